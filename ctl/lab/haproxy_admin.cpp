#include "ctl/lab/haproxy_admin.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <sstream>

namespace foobar::ctl {

Result<std::string> HaproxyCommand(const std::filesystem::path& socket_path, const std::string& command) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{errno, "socket failed"};
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof addr.sun_path - 1);
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return Error{errno, "cannot connect to " + socket_path.string() + ": " + std::strerror(errno)};
  }
  std::string line = command + "\n";
  if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    ::close(fd);
    return Error{errno, "cannot write to " + socket_path.string()};
  }
  std::string answer;
  char buffer[8192];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  return answer;
}

Result<std::vector<BackendServer>> BackendServers(const std::filesystem::path& socket) {
  auto csv = HaproxyCommand(socket, "show stat");
  if (!csv.ok()) return csv.error();
  std::vector<BackendServer> servers;
  std::istringstream in(*csv);
  std::string line;
  int status_column = -1;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line.starts_with("# ") ? line.substr(2) : line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (line.starts_with("# ")) {
      for (size_t i = 0; i < cells.size(); ++i)
        if (cells[i] == "status") status_column = static_cast<int>(i);
      continue;
    }
    if (status_column < 0 || cells.size() <= static_cast<size_t>(status_column)) continue;
    if (cells[1] == "FRONTEND" || cells[1] == "BACKEND") continue;
    servers.push_back({cells[0], cells[1], cells[static_cast<size_t>(status_column)]});
  }
  return servers;
}

}  // namespace foobar::ctl
