#include "ctl/lab/rejoin.h"

#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "ctl/lab/command.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/lab/replication.h"
#include "ctl/render/mariadb_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

std::string LastLine(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

// Runs mariadb-backup with its output appended to the host's rejoin log; throws with the last
// line of that output on failure.
void RunBackupTool(const LabContext& lab, const Host& in_host, const Host& log_host, std::vector<std::string> args,
                   const std::string& what) {
  std::vector<std::string> argv = {"ip", "netns", "exec", NamespaceName(in_host.name), "mariadb-backup"};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult r = RunCommand(argv);
  const fs::path log = lab.state.Host(log_host.name).Log() / "rejoin-backup.log";
  std::ofstream(log, std::ios::app) << "$ " << JoinForDisplay(argv) << "\n" << r.out << r.err;
  if (!r.ok()) throw LabError(what + " failed (" + LastLine(r.err + r.out) + "); see " + log.string());
}

void ChownToMysql(const fs::path& root) {
  const passwd* pw = ::getpwnam("mysql");
  if (!pw) throw LabError("system user 'mysql' is missing");
  if (::lchown(root.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw LabError("cannot chown " + root.string());
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (::lchown(entry.path().c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw LabError("cannot chown " + entry.path().string());
}

}  // namespace

fs::path RejoinBackupDir(const LabContext& lab, const Host& host) {
  return lab.state.Host(host.name).Data() / "rejoin-copy";
}

void CopyPrimary(const LabContext& lab, const Host& primary, const Host& host) {
  const fs::path dir = RejoinBackupDir(lab, host);
  fs::remove_all(dir);
  // On the primary's host, as its root over its socket: the tool reads the primary's data
  // files while the server runs, and takes the binlog position under a brief backup lock.
  RunBackupTool(lab, primary, host,
                {"--defaults-file=" + MariadbConfigPath(lab.state.Host(primary.name)).string(), "--backup",
                 "--user=root", "--socket=" + MariadbAdminSocket(lab, primary).string(),
                 "--target-dir=" + dir.string()},
                "copying " + primary.name + "'s data");
}

void PrepareCopy(const LabContext& lab, const Host& host) {
  RunBackupTool(lab, host, host, {"--prepare", "--target-dir=" + RejoinBackupDir(lab, host).string()},
                "preparing the copy");
}

std::string InstallCopy(const LabContext& lab, const Host& host) {
  const fs::path copy = RejoinBackupDir(lab, host);
  // MariaDB 10.11 names it xtrabackup_binlog_info; 11.x mariadb_backup_binlog_info.
  const fs::path info_file = fs::exists(copy / "mariadb_backup_binlog_info") ? copy / "mariadb_backup_binlog_info"
                                                                              : copy / "xtrabackup_binlog_info";
  std::ifstream info(info_file);
  std::string file, offset, position;
  if (!(info >> file >> offset)) throw LabError("the copy has no binlog position (" + info_file.string() + ")");
  info >> position;  // absent when the primary had written nothing yet
  const fs::path data = lab.state.Host(host.name).Data();
  const fs::path aside = data / "mysql.before-rejoin";
  fs::remove_all(aside);
  if (fs::exists(data / "mysql")) fs::rename(data / "mysql", aside);
  fs::rename(copy, data / "mysql");
  ChownToMysql(data / "mysql");
  return position;
}

void StartReplicatingAt(const LabContext& lab, const Host& host, const Host& primary, const std::string& position) {
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, host), 10s);
  if (!conn.ok()) throw LabError("cannot reach MariaDB on " + host.name + ": " + conn.error().message);
  for (const std::string& sql : {std::string("STOP SLAVE"), std::string("RESET SLAVE ALL"),
                                 "SET GLOBAL gtid_slave_pos = " + SqlQuote(position), ReplicateFromSql(lab, primary)}) {
    auto r = (*conn)->Run(sql);
    if (!r.ok()) throw LabError("on " + host.name + ": " + r.error().message);
  }
}

}  // namespace foobar::ctl
