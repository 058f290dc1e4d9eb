// MariaDB: system tables created on first start; a clean shutdown may take a while.
#include <pwd.h>
#include <unistd.h>

#include "ctl/lab/command.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/mariadb_tls.h"
#include "ctl/render/mariadb_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

// Hands `path` to `user`; with `recursive`, everything below it too.
void Chown(const fs::path& path, const char* user, bool recursive) {
  const passwd* pw = ::getpwnam(user);
  if (!pw) throw LabError(std::string("system user '") + user + "' is missing (run `make deps`)");
  if (::chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw LabError("cannot chown " + path.string());
  if (!recursive) return;
  for (const auto& entry : fs::recursive_directory_iterator(path))
    if (::lchown(entry.path().c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw LabError("cannot chown " + entry.path().string());
}

void InitializeMariadb(const LabContext& lab, const Host& host, const fs::path& config) {
  HostPaths paths = lab.state.Host(host.name);
  // mariadbd runs as mysql: it owns its data, and may create its socket, pid file and log in
  // the host's run/ and log/ directories (which other daemons of the host share, so only the
  // directories themselves change hands, not what is in them).
  Chown(paths.Data(), "mysql", true);
  Chown(paths.Run(), "mysql", false);
  Chown(paths.Log(), "mysql", false);
  InstallMariadbTls(lab, host);  // [security] end_to_end_tls only
  if (fs::exists(paths.Data() / "mysql" / "mysql")) return;  // system tables exist already
  auto r = RunCommand({"mariadb-install-db", "--defaults-file=" + config.string(), "--user=mysql",
                       "--auth-root-authentication-method=socket", "--skip-test-db"});
  if (!r.ok()) throw LabError("mariadb-install-db on " + host.name + " failed: " + r.FirstErrorLine());
}

}  // namespace

fs::path MariadbAdminSocket(const LabContext& lab, const Host& host) {
  return MariadbSocketPath(lab.state.Host(host.name));
}

ServiceKind MariadbKind() {
  return {
      .name = "mariadb",
      .argv = [](const LabContext&, const Host&, const fs::path& config) {
        return std::vector<std::string>{"mariadbd", "--defaults-file=" + config.string()};
      },
      .prepare = &InitializeMariadb,
      .answers = [](const LabContext& lab, const Host& host) {
        return AdminConnection::Connect(MariadbAdminSocket(lab, host), 0ms).ok();
      },
      .ready_timeout = 60s,
      // InnoDB flushes on SIGTERM; a SIGKILL would only cost a crash recovery, but why pay it.
      .stop_grace = 30s,
  };
}

}  // namespace foobar::ctl
