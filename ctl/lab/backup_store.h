// Backups on disk: STATE/backups/<UTC time>-<host>/ holds data/ (a prepared mariadb-backup
// copy), manifest.json (where and when it was taken, its GTID position, the app tables' row
// counts and checksums at that position) and SHA256SUMS (every other file, `sha256sum -c`
// format, so an operator can check it by hand). A backup whose files do not match SHA256SUMS
// is refused before anything is changed.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ctl/host_paths.h"
#include "ctl/lab/table_checksums.h"

namespace foobar::ctl {

struct BackupManifest {
  int format = 1;
  std::string source_host;    // the server the copy was taken from
  std::string source_role;    // "replica" or "primary" at the time
  std::string primary;        // the primary at the time
  std::string gtid_position;  // the GTID position the data holds: replication/replay resume after it
  std::string source_binlog_file;  // the source's own binlog at the copy's position
  std::string source_binlog_offset;
  std::string primary_binlog_file;  // the primary's binlog coordinates, when the tool recorded them
  std::string primary_binlog_offset;
  std::string slave_info;  // xtrabackup_slave_info as written by mariadb-backup --slave-info
  std::string started_at, finished_at;  // UTC, "YYYY-MM-DD HH:MM:SS.mmm"
  long long started_at_ms = 0, finished_at_ms = 0;
  double copy_s = 0, prepare_s = 0, verify_s = 0;  // how long each step took
  unsigned long long data_bytes = 0;
  int data_files = 0;
  std::string mariadb_version;
  std::vector<TableChecksum> tables;  // at gtid_position
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BackupManifest, format, source_host, source_role, primary,
                                                gtid_position, source_binlog_file, source_binlog_offset,
                                                primary_binlog_file, primary_binlog_offset, slave_info, started_at,
                                                finished_at, started_at_ms, finished_at_ms, copy_s, prepare_s,
                                                verify_s, data_bytes, data_files, mariadb_version, tables)

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kChecksumsFile = "SHA256SUMS";
inline constexpr const char* kBackupDataDir = "data";

// STATE/backups.
std::filesystem::path BackupsDir(const StatePaths& state);

// "20261126T183005Z-db-02": sorts by time, names the source.
std::string BackupName(std::chrono::system_clock::time_point at, const std::string& host);

// "2026-11-26 18:30:05.123" (UTC).
std::string UtcText(long long ms_since_epoch);

// A backup given on the command line: a directory path, or a name under BackupsDir. Throws
// LabError if it is neither.
std::filesystem::path ResolveBackup(const StatePaths& state, const std::string& name_or_path);

void WriteManifest(const std::filesystem::path& backup, const BackupManifest& manifest);
BackupManifest ReadManifest(const std::filesystem::path& backup);  // throws LabError

// Every regular file below `backup` except SHA256SUMS, relative, in name order.
std::vector<std::string> BackupFiles(const std::filesystem::path& backup);

// Writes SHA256SUMS over BackupFiles (after everything else is written).
void WriteChecksums(const std::filesystem::path& backup);

// Throws LabError naming what does not match: a file changed, missing or not listed, or no
// SHA256SUMS at all. Reads every file once.
void VerifyChecksums(const std::filesystem::path& backup);

// Parses `sha256sum` output lines "HASH  NAME" into (name, hash), in the order given; lines
// that are not of that form make it throw LabError.
std::vector<std::pair<std::string, std::string>> ParseChecksumLines(const std::string& text);

}  // namespace foobar::ctl
