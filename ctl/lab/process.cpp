#include "ctl/lab/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool IsAlive(pid_t pid) {
  // Reap it if it is our own child that already exited.
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == pid) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return false;
  char state = line[close + 2];
  return state != 'Z' && state != 'X';
}

pid_t StartDaemon(const DaemonSpec& spec) {
  fs::create_directories(spec.log_file.parent_path());
  fs::create_directories(spec.pid_file.parent_path());
  int log_fd = ::open(spec.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (log_fd < 0) throw LabError("cannot open log " + spec.log_file.string() + ": " + std::strerror(errno));
  int sync_pipe[2];
  if (::pipe2(sync_pipe, O_CLOEXEC) != 0) throw LabError("pipe failed");

  std::vector<std::string> argv = {"ip", "netns", "exec", NamespaceName(spec.host_namespace)};
  argv.insert(argv.end(), spec.argv.begin(), spec.argv.end());
  pid_t pid = ::fork();
  if (pid < 0) throw LabError(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    ::setsid();  // its own session: a Ctrl-C at the terminal that ran `foobar up` won't reach it
    int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    // Daemons must not inherit our signal mask or dispositions.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    int err = errno;
    (void)!::write(sync_pipe[1], &err, sizeof err);
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(sync_pipe[1]);
  int exec_errno = 0;
  ssize_t n = ::read(sync_pipe[0], &exec_errno, sizeof exec_errno);  // EOF on successful exec
  ::close(sync_pipe[0]);
  if (n > 0) {
    ::waitpid(pid, nullptr, 0);
    throw LabError("cannot start " + spec.argv.front() + ": " + std::strerror(exec_errno));
  }
  std::ofstream(spec.pid_file, std::ios::trunc) << pid << "\n";
  return pid;
}

std::optional<pid_t> RunningDaemonPid(const DaemonSpec& spec) {
  std::ifstream in(spec.pid_file);
  long pid = 0;
  if (!(in >> pid) || pid <= 1) return std::nullopt;
  auto p = static_cast<pid_t>(pid);
  if (!IsAlive(p)) return std::nullopt;
  // A recycled PID would not be in the lab's namespace: never signal it.
  if (!ProcessInNamespace(p, spec.host_namespace)) return std::nullopt;
  return p;
}

bool SignalDaemon(const DaemonSpec& spec, int signal) {
  auto pid = RunningDaemonPid(spec);
  return pid && ::kill(*pid, signal) == 0;
}

void TerminateProcesses(const std::vector<pid_t>& pids, std::chrono::milliseconds grace) {
  for (pid_t p : pids) {
    ::kill(p, SIGTERM);
    ::kill(p, SIGCONT);  // a frozen (SIGSTOPped) process must wake up to act on SIGTERM
  }
  auto deadline = std::chrono::steady_clock::now() + grace;
  auto all_gone = [&] {
    for (pid_t p : pids)
      if (IsAlive(p)) return false;
    return true;
  };
  while (!all_gone() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  for (pid_t p : pids)
    if (IsAlive(p)) ::kill(p, SIGKILL);
  // SIGKILL cannot be ignored; wait for the kernel to finish each one off.
  auto hard_deadline = std::chrono::steady_clock::now() + 5s;
  while (!all_gone() && std::chrono::steady_clock::now() < hard_deadline) std::this_thread::sleep_for(10ms);
}

}  // namespace foobar::ctl
