#include "ctl/lab/lab_etcd.h"

#include <thread>

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/render/etcd_config.h"

namespace foobar::ctl {
using namespace std::chrono_literals;

LabEtcd::LabEtcd(const LabContext& lab) : lab_(lab) {
  for (const auto& url : EtcdClientUrls(lab.topology)) endpoints_ += (endpoints_.empty() ? "" : ",") + url;
}

std::string LabEtcd::Run(const std::vector<std::string>& args) const {
  if (endpoints_.empty()) throw LabError("topology '" + lab_.topology.name + "' runs no etcd");
  std::string last;
  for (const Host* host : lab_.topology.HostsRunning("etcd")) {
    std::vector<std::string> argv = {"ip", "netns", "exec", NamespaceName(host->name), "etcdctl",
                                     "--endpoints=" + endpoints_, "--dial-timeout=1s", "--command-timeout=3s"};
    argv.insert(argv.end(), args.begin(), args.end());
    const CommandResult r = RunCommand(argv);
    if (r.ok()) return r.out;
    last = host->name + ": " + r.FirstErrorLine();
  }
  throw LabError("etcd does not answer (" + last + ")");
}

std::optional<std::string> LabEtcd::Get(const std::string& key) const {
  std::string out = Run({"get", "--print-value-only", "--", key});
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (out.empty()) return std::nullopt;
  return out;
}

void LabEtcd::Put(const std::string& key, const std::string& value) const { Run({"put", "--", key, value}); }

void LabEtcd::Delete(const std::string& key) const { Run({"del", "--", key}); }

void LabEtcd::WaitUntilAnswering(std::chrono::milliseconds bound) const {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  for (;;) {
    try {
      Get("/foobar/ping");
      return;
    } catch (const LabError& e) {
      if (std::chrono::steady_clock::now() > deadline)
        throw LabError("etcd did not form its cluster within " + std::to_string(bound.count() / 1000) + " s: " + e.what());
    }
    std::this_thread::sleep_for(250ms);
  }
}

}  // namespace foobar::ctl
