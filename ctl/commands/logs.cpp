// `foobar logs [HOST] [SERVICE] [--follow] [--lines N]`: a lab's logs without knowing where
// they live. No HOST: every host's log files with their paths. HOST: the last N lines of each
// of its logs; HOST SERVICE: of that service's logs (nginx: access, error and output).
// --follow keeps printing what is appended (polling; a truncated file is read again from its
// start) until SIGINT or SIGTERM, then exits 0.
#include <signal.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "ctl/commands/subcommand.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/log_files.h"

namespace foobar::ctl {
namespace {

constexpr auto kFollowPoll = std::chrono::milliseconds(200);

struct LogsOptions {
  std::string host;
  std::string service;
  bool follow = false;
  std::size_t lines = 20;
};

volatile std::sig_atomic_t stop_requested = 0;

void RequestStop(int) { stop_requested = 1; }

void PrintLine(const LogFile& file, bool prefix, const std::string& line) {
  if (prefix) {
    std::printf("%s %s | %s\n", file.host.c_str(), file.name.c_str(), line.c_str());
  } else {
    std::printf("%s\n", line.c_str());
  }
}

void ListLogs(const LabContext& lab) {
  std::printf("%-10s %-18s %-18s %10s  %s\n", "HOST", "SERVICE", "LOG", "BYTES", "PATH");
  for (const Host& host : lab.topology.hosts) {
    for (const LogFile& file : HostLogFiles(lab, host)) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(file.path, ec);
      std::printf("%-10s %-18s %-18s %10s  %s\n", host.name.c_str(), file.service.c_str(),
                  file.name.c_str(), ec ? "-" : std::to_string(size).c_str(),
                  file.path.c_str());
    }
  }
}

void Follow(const std::vector<LogFile>& files, bool prefix) {
  struct sigaction action {};
  action.sa_handler = RequestStop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::vector<std::uintmax_t> offsets;
  for (const auto& file : files) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file.path, ec);
    offsets.push_back(ec ? 0 : size);
  }
  while (stop_requested == 0) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      for (const auto& line : ReadNewLines(files[i].path, offsets[i])) {
        PrintLine(files[i], prefix, line);
      }
    }
    std::fflush(stdout);
    std::this_thread::sleep_for(kFollowPoll);
  }
}

int RunLogs(const LogsOptions& options) {
  const LabContext lab = RequireRecordedLab();
  if (options.host.empty()) {
    ListLogs(lab);
    return 0;
  }
  const Host& host = lab.HostNamed(options.host);  // throws for an unknown host
  std::vector<LogFile> files = options.service.empty()
                                   ? HostLogFiles(lab, host)
                                   : ServiceLogFiles(lab, host, options.service);
  if (files.empty()) throw LabError(host.name + " has no logs yet");
  // Several files: each line says which one it comes from.
  const bool prefix = files.size() > 1;
  for (const auto& file : files) {
    if (prefix && !options.follow) std::printf("==> %s %s (%s) <==\n", file.host.c_str(),
                                               file.name.c_str(), file.path.c_str());
    for (const auto& line : TailLines(file.path, options.lines)) PrintLine(file, prefix, line);
  }
  std::fflush(stdout);
  if (options.follow) Follow(files, prefix);
  return 0;
}

}  // namespace

Subcommand AddLogsCommand(CLI::App& cli) {
  auto options = std::make_shared<LogsOptions>();
  CLI::App* app = cli.add_subcommand(
      "logs", "Show lab logs: logs (list), logs HOST, logs HOST SERVICE [--follow] [--lines N]");
  app->add_option("host", options->host, "lab host (none: list every host's logs)");
  app->add_option("service", options->service, "a service of the host (or a log name: nginx-access)");
  app->add_flag("-f,--follow", options->follow, "keep printing new lines until Ctrl-C");
  app->add_option("-n,--lines", options->lines, "last lines of each log")
      ->check(CLI::Range(0, 100000));
  return Subcommand{app, [options] { return RunLogs(*options); }};
}

}  // namespace foobar::ctl
