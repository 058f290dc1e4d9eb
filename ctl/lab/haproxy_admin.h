// HAProxy's runtime API (the admin unix socket): server states now, drains later.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace foobar::ctl {

// Sends one command to the socket and returns HAProxy's answer.
Result<std::string> HaproxyCommand(const std::filesystem::path& socket, const std::string& command);

struct BackendServer {
  std::string backend;
  std::string server;
  std::string status;  // "UP", "DOWN", "MAINT", "UP 1/2", ...
};

// Every server of every backend, from `show stat`.
Result<std::vector<BackendServer>> BackendServers(const std::filesystem::path& socket);

}  // namespace foobar::ctl
