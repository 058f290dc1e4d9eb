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

}  // namespace foobar::ctl
