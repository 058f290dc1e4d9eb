// `foobar exec HOST -- CMD...`: run a command on a lab host, as if logged in there.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ctl/commands/commands.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/network.h"

namespace foobar::ctl {

int ExecCommand(const std::string& host, const std::vector<std::string>& argv) {
  LabContext lab = RequireRecordedLab();
  lab.HostNamed(host);
  if (!NamespaceExists(host)) throw LabError("host '" + host + "' is not running (see `foobar status`)");
  if (argv.empty()) throw LabError("nothing to run: give a command after `--`");
  // `ip netns exec` replaces itself with the command: stdin, stdout and the exit code are
  // the command's own, and /etc/netns/HOST gives it the host's resolver.
  std::vector<std::string> full = {"ip", "netns", "exec", NamespaceName(host)};
  full.insert(full.end(), argv.begin(), argv.end());
  std::vector<char*> args;
  for (auto& a : full) args.push_back(a.data());
  args.push_back(nullptr);
  ::execvp("ip", args.data());
  throw LabError(std::string("cannot run ip: ") + std::strerror(errno));
}

}  // namespace foobar::ctl
