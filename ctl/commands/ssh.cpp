// `foobar ssh HOST [-- CMD...]`: log in to a lab server as an operator would, from the admin
// host, with the admin's key and the known_hosts written at `up` (a changed host key is refused).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "ctl/commands/commands.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/admin_ssh.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/network.h"

namespace foobar::ctl {
namespace {

struct SshOptions {
  std::string host;
  std::vector<std::string> command;
};

int RunSsh(const SshOptions& options) {
  LabContext lab = RequireRecordedLab();
  const Host& target = lab.HostNamed(options.host);
  if (!lab.topology.FindHost(kAdminHostName))
    throw LabError("topology '" + lab.topology.name + "' has no admin host to log in from");
  if (!target.Runs("sshd")) throw LabError("host '" + target.name + "' runs no sshd (only servers do)");
  if (!NamespaceExists(kAdminHostName)) throw LabError("the admin host is not running (see `foobar status`)");
  std::vector<std::string> argv = AdminSshArgv(lab, target, options.command);
  // Replaced by ssh: the terminal, stdin/stdout and the exit code are the session's own.
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  throw LabError(std::string("cannot run ip: ") + std::strerror(errno));
}

}  // namespace

Subcommand AddSshCommand(CLI::App& cli) {
  auto options = std::make_shared<SshOptions>();
  auto* app = cli.add_subcommand("ssh", "Log in to a lab server from the admin host: ssh HOST [-- CMD...]");
  app->add_option("host", options->host, "lab server (every host that runs services)")->required();
  app->add_option("command", options->command, "a command to run there instead of a shell, after --");
  return {app, [options] { return RunSsh(*options); }};
}

}  // namespace foobar::ctl
