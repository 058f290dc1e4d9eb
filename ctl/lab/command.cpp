#include "ctl/lab/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "ctl/lab/lab_error.h"

namespace foobar::ctl {
namespace {

void CloseIfOpen(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

std::string CommandResult::FirstErrorLine() const {
  const std::string& text = err.empty() ? out : err;
  auto end = text.find('\n');
  return text.substr(0, end);
}

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input) {
  CommandResult result;
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) || ::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC)) {
    result.err = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  // A child that exits without reading all its input must not kill us with SIGPIPE: the
  // write then fails with EPIPE instead, and the child's exit code tells what happened.
  static const bool sigpipe_ignored = [] { return ::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)sigpipe_ignored;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGPIPE, SIG_DFL);  // an ignored signal would stay ignored across exec
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::string msg = "cannot run " + argv[0] + ": " + std::strerror(errno) + "\n";
    (void)!::write(2, msg.data(), msg.size());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  int in_fd = in_pipe[1], out_fd = out_pipe[0], err_fd = err_pipe[0];
  // Non-blocking input: a large input must not block us while the child's output fills up.
  ::fcntl(in_fd, F_SETFL, O_NONBLOCK);
  size_t written = 0;
  if (input.empty()) CloseIfOpen(in_fd);
  std::array<char, 65536> buffer{};
  while (out_fd >= 0 || err_fd >= 0) {
    std::array<pollfd, 3> fds{};
    nfds_t n = 0;
    if (out_fd >= 0) fds[n++] = {out_fd, POLLIN, 0};
    if (err_fd >= 0) fds[n++] = {err_fd, POLLIN, 0};
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    if (::poll(fds.data(), n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      int fd = fds[i].fd;
      if (fd == in_fd) {
        ssize_t w = ::write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) CloseIfOpen(in_fd);
        continue;
      }
      ssize_t r = ::read(fd, buffer.data(), buffer.size());
      if (r > 0) {
        (fd == out_fd ? result.out : result.err).append(buffer.data(), static_cast<size_t>(r));
      } else if (r == 0 || errno != EINTR) {
        CloseIfOpen(fd == out_fd ? out_fd : err_fd);
      }
    }
  }
  CloseIfOpen(in_fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

void RunIpBatch(const std::vector<std::string>& ip_prefix_args, const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  std::vector<std::string> argv = {"ip"};
  argv.insert(argv.end(), ip_prefix_args.begin(), ip_prefix_args.end());
  argv.insert(argv.end(), {"-batch", "-"});
  std::string script;
  for (const auto& l : lines) script += l + "\n";
  auto r = RunCommand(argv, script);
  if (!r.ok()) throw LabError(JoinForDisplay(argv) + " failed: " + r.FirstErrorLine());
}

std::string JoinForDisplay(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t'\"\\$`") == std::string::npos;
    out += plain ? a : "'" + a + "'";
  }
  return out;
}

}  // namespace foobar::ctl
