#include "ctl/render/sshd_config.h"

#include <fmt/format.h>

#include "ctl/render/render_common.h"

namespace foobar::ctl {

const std::string& SshListenAddress(const Host& host) { return RequireAddress(host, SshNetwork(host), "sshd"); }

std::string SshNetwork(const Host& host) { return host.AddressOn("private") ? "private" : "public"; }

std::filesystem::path SshdConfigPath(const HostPaths& paths) { return paths.Etc() / "ssh" / "sshd_config"; }
std::filesystem::path SshHostKeyPath(const HostPaths& paths) { return paths.Etc() / "ssh" / "ssh_host_ed25519_key"; }
std::filesystem::path SshAuthorizedKeysPath(const HostPaths& paths) { return paths.Etc() / "ssh" / "authorized_keys"; }

std::string RenderSshdConfig(const RenderContext& ctx) {
  return fmt::format(R"({header}
# Run in the foreground by the lab: sshd -D -e -f THIS_FILE (logs go to stderr, into the host's log).
# One address, IPv4: the management address; the firewall accepts port {port} from the admin host only.
ListenAddress {address}:{port}
AddressFamily inet
# This host's own key, generated at `foobar up`; the admin host's known_hosts pins it.
HostKey {host_key}
PidFile {pid_file}

# Keys only: no passwords, no keyboard-interactive, root by key alone. PAM is off, so nothing
# outside this file can turn password logins back on.
PubkeyAuthentication yes
AuthorizedKeysFile {authorized_keys}
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitEmptyPasswords no
PermitRootLogin prohibit-password
UsePAM no
AllowUsers root
# Few tries and a short grace time: an unauthenticated connection costs little and goes soon.
MaxAuthTries 3
LoginGraceTime 20
MaxStartups 10:30:60
# Logs each key's fingerprint, so the log says who logged in.
LogLevel VERBOSE

# A server is administered, not used as a jump host: no forwarding of any kind.
AllowTcpForwarding no
AllowAgentForwarding no
AllowStreamLocalForwarding no
X11Forwarding no
PermitTunnel no
GatewayPorts no
PrintMotd no
# Dead admin sessions (a cut link) go after about 90 s.
ClientAliveInterval 30
ClientAliveCountMax 3
Subsystem sftp internal-sftp
)",
                     fmt::arg("header", RenderedHeader(ctx, "sshd, the admin host's way in")),
                     fmt::arg("address", SshListenAddress(ctx.host)), fmt::arg("port", kSshPort),
                     fmt::arg("host_key", ConfigPath(SshHostKeyPath(ctx.paths))),
                     fmt::arg("pid_file", ConfigPath(ctx.paths.Run() / "sshd.pid")),
                     fmt::arg("authorized_keys", ConfigPath(SshAuthorizedKeysPath(ctx.paths))));
}

}  // namespace foobar::ctl
