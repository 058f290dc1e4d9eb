// The HTTP ceiling of the benchmark: a separate Nginx in an app host's namespace, with a
// config of its own, that answers a fixed `return 200` and serves the same static page as the
// stack's Nginx, with as many workers as the app has threads. It listens on the host's
// loopback only, lives for one bench run and is stopped (by its PID) when the guard goes.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <set>
#include <string>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl::bench {

inline constexpr int kReferenceNginxPort = 8090;
inline constexpr const char* kReferenceFixedPath = "/fixed";

struct ReferenceNginxSettings {
  int workers = 2;
  int port = kReferenceNginxPort;
  std::filesystem::path www;  // the stack's site files on that host
  std::filesystem::path dir;  // its own config, pid file, logs, temp files
};

// Pure: the whole nginx.conf.
std::string RenderReferenceNginxConfig(const ReferenceNginxSettings& settings);

class ReferenceNginx {
 public:
  // Writes the config under STATE/hosts/HOST/run/bench-nginx and starts it; throws LabError
  // if it does not answer within a few seconds.
  ReferenceNginx(const LabContext& lab, const std::string& host, int workers);
  ~ReferenceNginx();
  ReferenceNginx(const ReferenceNginx&) = delete;
  ReferenceNginx& operator=(const ReferenceNginx&) = delete;

  // The master's PID (its workers are its children): to tell its CPU time apart.
  std::set<pid_t> Pids() const { return {pid_}; }

 private:
  std::string host_;
  std::filesystem::path dir_;
  pid_t pid_ = 0;
};

}  // namespace foobar::ctl::bench
