// The servers' sshd (Debian's OpenSSH), rendered from the topology: key-only logins as root,
// from the admin host alone (the firewall enforces "alone"; see firewall_config.h), on the host's
// management address. Its host key and the admin's authorized key live in the host's own tree.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

inline constexpr int kSshPort = 22;

// The address a server's sshd listens on: its private one, or its public one on a host that has
// none (the DNS server). The admin host reaches it from its own address on the same network.
const std::string& SshListenAddress(const Host& host);
// The network of SshListenAddress: "private" or "public".
std::string SshNetwork(const Host& host);

// Etc()/ssh/: sshd_config, the host key pair and authorized_keys.
std::filesystem::path SshdConfigPath(const HostPaths& paths);
std::filesystem::path SshHostKeyPath(const HostPaths& paths);  // ed25519; ".pub" beside it
std::filesystem::path SshAuthorizedKeysPath(const HostPaths& paths);

std::string RenderSshdConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
