// sshd (Debian's OpenSSH server) on every server: in the foreground (-D), logging to stderr (-e),
// with the config rendered for the host; its host key and authorized_keys prepared first.
#include "ctl/lab/admin_ssh.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/netns_socket.h"
#include "ctl/render/sshd_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

ServiceKind SshdKind() {
  return {
      .name = "sshd",
      .argv = [](const LabContext&, const Host&, const fs::path& config) {
        // sshd re-executes itself for each connection and wants an absolute path for that.
        return std::vector<std::string>{"/usr/sbin/sshd", "-D", "-e", "-f", config.string()};
      },
      .prepare = [](const LabContext& lab, const Host& host, const fs::path&) { PrepareSshServer(lab, host); },
      .answers = [](const LabContext&, const Host& host) {
        return TcpConnectsIn(host.name, SshListenAddress(host), kSshPort, 500ms);
      },
      .ready_timeout = 10s,
      .stop_grace = 5s,
  };
}

}  // namespace foobar::ctl
