// The `foobar` subcommands. Each returns the process exit code and throws LabError or
// TopologyError for a failure that main() prints as one line.
#pragma once

#include <string>
#include <vector>

#include "ctl/commands/subcommand.h"

namespace foobar::ctl {

// What `up` builds when no --topology is given: the design without single points of failure.
inline constexpr const char* kDefaultTopology = "production";

int UpCommand(const std::string& topology);
int DownCommand();
int StatusCommand(bool json);
int ExecCommand(const std::string& host, const std::vector<std::string>& argv);
int ServiceCommand(const std::string& action, const std::string& host, const std::string& service);
int ConfigCommand(const std::string& host, const std::string& service);
int SqlCommand(const std::string& host, const std::string& statement);
// `to` is "" (the site) or ADDRESS:PORT as seen from `from_host`.
int ForwardCommand(int port, const std::string& from_host, const std::string& to);
// `foobar alerts [--json]` (ctl/commands/alerts.cpp).
int AlertsCommand(bool json);
// `foobar diagram [--out FILE] [--topology NAME]` (ctl/commands/diagram.cpp): "" writes to stdout;
// no topology: the lab that is up (coloured by health), else the seed.
int DiagramCommand(const std::string& out_file, const std::string& topology);

// `foobar db switchover` and `foobar db rejoin HOST` (ctl/commands/db.cpp).
int DbSwitchoverCommand();
int DbRejoinCommand(const std::string& host);

struct ChaosOptions {
  std::string fault;   // kill | stop | pause | partition
  std::string target;  // HOST, or HOST/SERVICE for stop and pause
  double duration_s = 30;
  double rate = 50;    // requests per second, open loop
  double timeout_s = 2;  // a request not answered this long after its scheduled time failed
  bool json = false;
  std::string out_dir;  // where the timeline CSV and plot go ("" = a default under the state dir)
};
// `foobar chaos FAULT TARGET ...` (ctl/commands/chaos.cpp).
int ChaosCommand(const ChaosOptions& options);

// `foobar ssh HOST [-- CMD...]` (ctl/commands/ssh.cpp).
Subcommand AddSshCommand(CLI::App& cli);
Subcommand AddSecretsCommand(CLI::App& cli);  // `foobar secrets list|rotate` (ctl/commands/secrets.cpp)

// `foobar backup` and `foobar restore BACKUP` (ctl/commands/backup.cpp, restore.cpp).
Subcommand AddBackupCommand(CLI::App& cli);
Subcommand AddRestoreCommand(CLI::App& cli);

// `foobar load ...` and `foobar bench ...` (ctl/commands/load.cpp, bench.cpp; issue 7).
Subcommand AddLoadCommand(CLI::App& cli);
Subcommand AddBenchCommand(CLI::App& cli);

// `foobar trace ID` and `foobar logs [HOST] [SERVICE]` (ctl/commands/trace.cpp, logs.cpp; issue 5).
Subcommand AddTraceCommand(CLI::App& cli);
Subcommand AddLogsCommand(CLI::App& cli);

// `foobar release|deploy|rollback|scale|reload` (ctl/commands/release.cpp, deploy.cpp, scale.cpp, reload.cpp; issue 6).
Subcommand AddReleaseCommand(CLI::App& cli);
Subcommand AddDeployCommand(CLI::App& cli);
Subcommand AddRollbackCommand(CLI::App& cli);
Subcommand AddScaleCommand(CLI::App& cli);
Subcommand AddReloadCommand(CLI::App& cli);

}  // namespace foobar::ctl
