// The `foobar` subcommands. Each returns the process exit code and throws LabError or
// TopologyError for a failure that main() prints as one line.
#pragma once

#include <string>
#include <vector>

namespace foobar::ctl {

int UpCommand(const std::string& topology);
int DownCommand();
int StatusCommand(bool json);
int ExecCommand(const std::string& host, const std::vector<std::string>& argv);
int ServiceCommand(const std::string& action, const std::string& host, const std::string& service);
int ConfigCommand(const std::string& host, const std::string& service);
int SqlCommand(const std::string& host, const std::string& statement);
int ForwardCommand(int port, const std::string& from_host);

// `foobar db switchover` and `foobar db rejoin HOST` (ctl/commands/db.cpp).
int DbSwitchoverCommand();
int DbRejoinCommand(const std::string& host);

struct ChaosOptions {
  std::string fault;   // kill | stop | pause | partition
  std::string target;  // HOST, or HOST/SERVICE for stop and pause
  double duration_s = 30;
  double rate = 50;    // requests per second, open loop
  bool json = false;
  std::string out_dir;  // where the timeline CSV and plot go ("" = a default under the state dir)
};
// `foobar chaos FAULT TARGET ...` (ctl/commands/chaos.cpp).
int ChaosCommand(const ChaosOptions& options);

}  // namespace foobar::ctl
