// SSH into the lab's servers from the admin host: the admin's key pair (the private key in the
// secrets store, 0600), each server's host key (generated once, in the host's own tree), the
// servers' authorized_keys, and the admin host's known_hosts that pins every host key, so that
// `foobar ssh HOST` checks the server strictly.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// STATE/secrets/admin-ssh-ed25519.key (its public half is derived from it, never stored there).
std::filesystem::path AdminKeyPath(const LabContext& lab);
// STATE/hosts/admin/etc/ssh/known_hosts.
std::filesystem::path AdminKnownHostsPath(const LabContext& lab);

// Creates the admin's key pair if it does not exist yet. Throws LabError.
void EnsureAdminKey(const LabContext& lab);
// "ssh-ed25519 AAAA... foobar-admin", from the private key.
std::string AdminPublicKey(const LabContext& lab);

// The server's host key (created if missing) and its authorized_keys (the admin's key alone).
void PrepareSshServer(const LabContext& lab, const Host& host);

// known_hosts on the admin host: every sshd's address and name with its host key.
void WriteAdminKnownHosts(const LabContext& lab);

// The command line that runs `command` (a login shell when empty) as root on `target`, from the
// admin host, with the admin's key and strict host key checking.
std::vector<std::string> AdminSshArgv(const LabContext& lab, const Host& target, const std::vector<std::string>& command);

}  // namespace foobar::ctl
