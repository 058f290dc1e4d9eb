#include "ctl/lab/mariadb_tls.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/lab/lab_error.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {
namespace fs = std::filesystem;

namespace {

// Copies `from` to `to` with `mode` from the first byte on, owned by `owner`.
void CopyOwned(const fs::path& from, const fs::path& to, fs::perms mode, const passwd& owner) {
  if (!fs::exists(from)) throw LabError(from.string() + " is missing (the lab CA makes it at `up`)");
  std::error_code ec;
  fs::remove(to, ec);
  fs::copy_file(from, to, ec);
  if (ec) throw LabError("cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
  fs::permissions(to, mode);
  if (::chown(to.c_str(), owner.pw_uid, owner.pw_gid) != 0) throw LabError("cannot chown " + to.string());
}

}  // namespace

void InstallMariadbTls(const LabContext& lab, const Host& host) {
  if (!lab.topology.security.end_to_end_tls) return;
  const passwd* mysql = ::getpwnam("mysql");
  if (!mysql) throw LabError("system user 'mysql' is missing (run `make deps`)");
  const HostPaths paths = lab.state.Host(host.name);
  const fs::path dir = MariadbTlsDir(paths);
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all);
  if (::chown(dir.c_str(), mysql->pw_uid, mysql->pw_gid) != 0) throw LabError("cannot chown " + dir.string());
  const fs::path secrets = lab.state.Secrets();
  const auto readable = fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read;
  CopyOwned(LabCaCertPath(secrets), MariadbTlsCaPath(paths), readable, *mysql);
  CopyOwned(HostCertPath(secrets, host.name), MariadbTlsCertPath(paths), readable, *mysql);
  CopyOwned(HostKeyPath(secrets, host.name), MariadbTlsKeyPath(paths), fs::perms::owner_read | fs::perms::owner_write,
            *mysql);
}

}  // namespace foobar::ctl
