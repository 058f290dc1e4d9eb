// mariadb-backup as `foobar db rejoin`, `foobar backup` and `foobar restore` use it: a physical
// copy of a running server taken inside its host's namespace (the data directory is there),
// prepared into a consistent data directory, and installed as a host's data directory. One
// place, so every command copies, prepares and installs the same way.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// Where a copy stands in the copied server's own binlog (xtrabackup_binlog_info).
struct CopyPosition {
  std::string binlog_file;  // e.g. mysql-bin.000002
  std::string binlog_offset;
  std::string gtid;  // the GTID position the data holds ("" when nothing was ever written)
};

// Runs `mariadb-backup ARGS` in `in_host`'s namespace, appending the command and its output to
// `log`; throws LabError with the tool's last line on failure ("<what> failed (...)").
void RunMariadbBackup(const Host& in_host, const std::vector<std::string>& args, const std::filesystem::path& log,
                      const std::string& what);

// mariadb-backup --backup of the server running on `source` (as its root over its socket) into
// `target_dir`, which is removed first. With `slave_info` (a replica), the primary's position is
// recorded too (xtrabackup_slave_info). 10.11 takes BACKUP STAGE locks: InnoDB files are copied
// while the server runs; commits wait only for the short BLOCK_COMMIT stage at the end.
void BackupRunningServer(const LabContext& lab, const Host& source, const std::filesystem::path& target_dir,
                         bool slave_info, const std::filesystem::path& log);

// mariadb-backup --prepare: the copy becomes a consistent data directory.
void PrepareBackupCopy(const Host& in_host, const std::filesystem::path& dir, const std::filesystem::path& log);

// The copy's position; throws LabError if the copy has none.
CopyPosition ReadCopyPosition(const std::filesystem::path& dir);

// Gives `root` and everything below it to the system user mysql.
void ChownToMysql(const std::filesystem::path& root);

// Replaces `host`'s data directory (data/mysql) with the prepared copy `dir`; the old one is
// moved to data/`aside_name` (replacing an older one). `move`: the copy is renamed into place
// (it is on the host's own disk and used once); otherwise mariadb-backup --copy-back copies it,
// leaving `dir` as it was. MariaDB must be stopped on `host`.
void InstallDataDirectory(const LabContext& lab, const Host& host, const std::filesystem::path& dir,
                          const std::string& aside_name, bool move, const std::filesystem::path& log);

}  // namespace foobar::ctl
