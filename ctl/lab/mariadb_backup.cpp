#include "ctl/lab/mariadb_backup.h"

#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "ctl/lab/command.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/render/mariadb_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
namespace {

std::string LastLine(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

}  // namespace

void RunMariadbBackup(const Host& in_host, const std::vector<std::string>& args, const fs::path& log,
                      const std::string& what) {
  std::vector<std::string> argv = {"ip", "netns", "exec", NamespaceName(in_host.name), "mariadb-backup"};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult r = RunCommand(argv);
  std::ofstream(log, std::ios::app) << "$ " << JoinForDisplay(argv) << "\n" << r.out << r.err;
  if (!r.ok()) throw LabError(what + " failed (" + LastLine(r.err + r.out) + "); see " + log.string());
}

void BackupRunningServer(const LabContext& lab, const Host& source, const fs::path& target_dir, bool slave_info,
                         const fs::path& log) {
  fs::remove_all(target_dir);
  // --defaults-file must come first; the server's own my.cnf gives the datadir and InnoDB layout.
  std::vector<std::string> args = {"--defaults-file=" + MariadbConfigPath(lab.state.Host(source.name)).string(),
                                   "--backup", "--user=root", "--socket=" + MariadbAdminSocket(lab, source).string(),
                                   "--target-dir=" + target_dir.string()};
  if (slave_info) args.push_back("--slave-info");
  RunMariadbBackup(source, args, log, "copying " + source.name + "'s data");
}

void PrepareBackupCopy(const Host& in_host, const fs::path& dir, const fs::path& log) {
  RunMariadbBackup(in_host, {"--prepare", "--target-dir=" + dir.string()}, log, "preparing the copy");
}

CopyPosition ReadCopyPosition(const fs::path& dir) {
  // MariaDB 10.11 names it xtrabackup_binlog_info; 11.x mariadb_backup_binlog_info.
  const fs::path file = fs::exists(dir / "mariadb_backup_binlog_info") ? dir / "mariadb_backup_binlog_info"
                                                                        : dir / "xtrabackup_binlog_info";
  std::ifstream in(file);
  CopyPosition position;
  if (!(in >> position.binlog_file >> position.binlog_offset))
    throw LabError("the copy has no binlog position (" + file.string() + ")");
  in >> position.gtid;  // absent when the server had written nothing yet
  return position;
}

void ChownToMysql(const fs::path& root) {
  const passwd* pw = ::getpwnam("mysql");
  if (!pw) throw LabError("system user 'mysql' is missing");
  if (::lchown(root.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw LabError("cannot chown " + root.string());
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (::lchown(entry.path().c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw LabError("cannot chown " + entry.path().string());
}

void InstallDataDirectory(const LabContext& lab, const Host& host, const fs::path& dir, const std::string& aside_name,
                          bool move, const fs::path& log) {
  const fs::path data = lab.state.Host(host.name).Data();
  const fs::path aside = data / aside_name;
  fs::remove_all(aside);
  if (fs::exists(data / "mysql")) fs::rename(data / "mysql", aside);
  if (move) {
    fs::rename(dir, data / "mysql");
  } else {
    fs::create_directories(data / "mysql");
    RunMariadbBackup(host,
                     {"--defaults-file=" + MariadbConfigPath(lab.state.Host(host.name)).string(), "--copy-back",
                      "--target-dir=" + dir.string()},
                     log, "copying the backup into " + host.name + "'s data directory");
  }
  ChownToMysql(data / "mysql");
}

}  // namespace foobar::ctl
