#include "ctl/lab/scratch_server.h"

#include "ctl/lab/db_admin.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/mariadb_backup.h"
#include "ctl/lab/process.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

// Stops the scratch server and removes its directory however the check ends.
class ScratchServer {
 public:
  ScratchServer(const Host& host, fs::path root, const fs::path& log) : root_(std::move(root)) {
    fs::remove_all(root_);
    fs::create_directories(root_);
    spec_.host_namespace = host.name;
    spec_.log_file = log;
    spec_.pid_file = root_ / "foobar-scratch.pid";
    spec_.argv = {"mariadbd",
                  "--no-defaults",
                  "--user=mysql",
                  "--datadir=" + (root_ / "data").string(),
                  "--socket=" + Socket().string(),
                  "--pid-file=" + (root_ / "mysqld.pid").string(),
                  "--skip-networking",
                  "--skip-log-bin",
                  "--skip-slave-start",
                  "--skip-grant-tables",
                  "--innodb-buffer-pool-size=32M",
                  "--innodb-buffer-pool-dump-at-shutdown=OFF",
                  "--innodb-buffer-pool-load-at-startup=OFF",
                  "--performance-schema=OFF"};
  }
  ~ScratchServer() {
    if (pid_ > 0) TerminateProcesses({pid_}, 30s);
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  ScratchServer(const ScratchServer&) = delete;
  ScratchServer& operator=(const ScratchServer&) = delete;

  fs::path DataDir() const { return root_ / "data"; }
  fs::path Socket() const { return root_ / "mysqld.sock"; }
  void Start() {
    ChownToMysql(root_);
    pid_ = StartDaemon(spec_);
  }

 private:
  fs::path root_;
  DaemonSpec spec_;
  pid_t pid_ = -1;
};

}  // namespace

std::vector<TableChecksum> ChecksumPreparedCopy(const LabContext& lab, const Host& host, const fs::path& prepared_dir,
                                                const fs::path& log) {
  ScratchServer server(host, lab.state.Host(host.name).Data() / "backup-verify", log);
  fs::copy(prepared_dir, server.DataDir(), fs::copy_options::recursive);
  server.Start();
  auto conn = AdminConnection::Connect(server.Socket(), 60s);
  if (!conn.ok())
    throw LabError("a server started on the backup's copy does not answer (" + conn.error().message + "); see " +
                   log.string());
  return ChecksumAppTables(**conn);
}

}  // namespace foobar::ctl
