#include "ctl/lab/admin_ssh.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/render/sshd_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
namespace {

void WriteFile(const fs::path& path, const std::string& content, fs::perms perms) {
  fs::create_directories(path.parent_path());
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content;
    if (!out) throw LabError("cannot write " + tmp.string());
  }
  fs::permissions(tmp, perms);
  fs::rename(tmp, path);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A new ed25519 key pair at `key` (+ ".pub"), without a passphrase.
void GenerateKey(const fs::path& key, const std::string& comment) {
  fs::create_directories(key.parent_path());
  const CommandResult r = RunCommand({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.string()});
  if (!r.ok()) throw LabError("ssh-keygen for " + key.string() + " failed: " + r.FirstErrorLine());
}

}  // namespace

fs::path AdminKeyPath(const LabContext& lab) { return lab.state.Secrets() / "admin-ssh-ed25519.key"; }

fs::path AdminKnownHostsPath(const LabContext& lab) {
  return lab.state.Host(kAdminHostName).Etc() / "ssh" / "known_hosts";
}

void EnsureAdminKey(const LabContext& lab) {
  const fs::path key = AdminKeyPath(lab);
  if (fs::exists(key)) return;
  fs::create_directories(key.parent_path());
  ::chmod(key.parent_path().c_str(), 0700);
  GenerateKey(key, "foobar-admin");
  // The store holds secrets only: the public half is derived from the key when needed.
  std::error_code ec;
  fs::remove(key.string() + ".pub", ec);
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);
}

std::string AdminPublicKey(const LabContext& lab) {
  const CommandResult r = RunCommand({"ssh-keygen", "-y", "-f", AdminKeyPath(lab).string()});
  if (!r.ok() || r.out.empty()) throw LabError("cannot read the admin's public key: " + r.FirstErrorLine());
  std::string key = r.out.substr(0, r.out.find('\n'));
  if (key.find(' ', key.find(' ') + 1) == std::string::npos) key += " foobar-admin";
  return key;
}

void PrepareSshServer(const LabContext& lab, const Host& host) {
  const HostPaths paths = lab.state.Host(host.name);
  if (!fs::exists(SshHostKeyPath(paths))) GenerateKey(SshHostKeyPath(paths), "root@" + host.name);
  WriteFile(SshAuthorizedKeysPath(paths), AdminPublicKey(lab) + "\n", fs::perms::owner_read | fs::perms::owner_write);
  // sshd's privilege separation directory (a fixed path in Debian's build), in the machine's own
  // mount namespace, which every lab host shares; Debian's ssh.service would create it too.
  fs::create_directories("/run/sshd");
  ::chmod("/run/sshd", 0755);
}

void WriteAdminKnownHosts(const LabContext& lab) {
  if (!lab.topology.FindHost(kAdminHostName)) return;
  std::string known;
  for (const Host* host : lab.topology.HostsRunning("sshd")) {
    std::istringstream pub(ReadFile(SshHostKeyPath(lab.state.Host(host->name)).string() + ".pub"));
    std::string type, key;
    if (!(pub >> type >> key)) throw LabError("the host key of " + host->name + " is missing");
    known += SshListenAddress(*host) + "," + host->name + " " + type + " " + key + "\n";
  }
  WriteFile(AdminKnownHostsPath(lab), known,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

std::vector<std::string> AdminSshArgv(const LabContext& lab, const Host& target,
                                      const std::vector<std::string>& command) {
  std::vector<std::string> argv = {"ip", "netns", "exec", NamespaceName(kAdminHostName), "ssh",
                                   // Nothing from root's own ~/.ssh/config: the options below are all.
                                   "-F", "/dev/null",
                                   "-i", AdminKeyPath(lab).string(),
                                   "-o", "IdentitiesOnly=yes",
                                   "-o", "IdentityAgent=none",
                                   "-o", "UserKnownHostsFile=" + AdminKnownHostsPath(lab).string(),
                                   "-o", "GlobalKnownHostsFile=/dev/null",
                                   "-o", "StrictHostKeyChecking=yes",
                                   "-o", "PreferredAuthentications=publickey",
                                   "-o", "BatchMode=yes",
                                   "-o", "ConnectTimeout=5",
                                   "-o", "LogLevel=ERROR",
                                   "-l", "root",
                                   SshListenAddress(target)};
  // ssh hands the words to the remote shell, joined by spaces, as it always does.
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

}  // namespace foobar::ctl
