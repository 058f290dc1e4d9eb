// Shared by the renderer tests: the seed topology (as is or edited), a temp state directory
// that is removed afterwards, line matching, and running a real tool's config check.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ctl/render/render_context.h"
#include "ctl/topology.h"

namespace foobar::ctl::testing {

inline std::string SeedText() {
  std::ifstream in(std::string(FOOBAR_SOURCE_DIR) + "/topologies/seed.toml");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline Topology LoadSeed() {
  return LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/seed.toml");
}

// The seed with `from` replaced by `to` (which must occur exactly once).
inline Topology EditedSeed(const std::string& from, const std::string& to) {
  std::string text = SeedText();
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return ParseTopology(text, "edited seed");
}

// A fresh directory under /tmp, removed with everything in it when this goes away.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "foobar-render-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline RenderContext ContextFor(const Topology& topology, const std::string& host,
                                const std::filesystem::path& state_root) {
  const Host* h = topology.FindHost(host);
  if (!h) throw std::runtime_error("no host " + host);
  StatePaths state{state_root};
  return RenderContext{topology, *h, state.Host(host), state.Secrets(), "/usr/bin/foobar-app"};
}

// The file's lines with surrounding whitespace trimmed, comments and blank lines dropped.
inline std::vector<std::string> Directives(const std::string& content) {
  std::vector<std::string> out;
  std::istringstream in(content);
  std::string line;
  while (std::getline(in, line)) {
    const auto begin = line.find_first_not_of(" \t");
    if (begin == std::string::npos || line[begin] == '#') continue;
    const auto end = line.find_last_not_of(" \t");
    out.push_back(line.substr(begin, end - begin + 1));
  }
  return out;
}

inline bool HasDirective(const std::string& content, const std::string& directive) {
  const auto lines = Directives(content);
  return std::find(lines.begin(), lines.end(), directive) != lines.end();
}

// Every directive line starting with `prefix`, in file order.
inline std::vector<std::string> DirectivesStartingWith(const std::string& content,
                                                       const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& line : Directives(content))
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
  return out;
}

inline void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << content;
}

// The first executable named `name` in PATH or the sbin directories (tests may run without
// /usr/sbin in PATH).
inline std::optional<std::filesystem::path> FindTool(const std::string& name) {
  std::string dirs = getenv("PATH") ? getenv("PATH") : "";
  dirs += ":/usr/sbin:/sbin:/usr/local/sbin";
  std::istringstream in(dirs);
  std::string dir;
  while (std::getline(in, dir, ':')) {
    if (dir.empty()) continue;
    const std::filesystem::path candidate = std::filesystem::path(dir) / name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs a check command (no daemon: the tools' own config-check modes) and waits for it.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> chunk{};
  size_t n = 0;
  while ((n = fread(chunk.data(), 1, chunk.size(), pipe)) > 0)
    result.output.append(chunk.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// A loopback TCP port nobody listens on right now.
inline int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

}  // namespace foobar::ctl::testing
