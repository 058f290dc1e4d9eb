// `foobar backup [--from HOST]`: a consistent physical backup of the database, taken from a
// replica so the primary does nothing for it beyond replicating as always. mariadb-backup
// copies the replica's data files while it runs (10.11's BACKUP STAGE locks: only the short
// BLOCK_COMMIT stage at the end holds the replica's SQL thread, never the primary; the IO
// thread keeps receiving and acknowledging, so semi-sync commits on the primary do not wait).
// --safe-slave-backup is not used: it stops the SQL thread for the whole copy, the replica's
// lag becomes unknown and the app sends every read to the primary meanwhile.
// The copy is prepared, started once on a scratch server to record the app tables' row counts
// and checksums at its GTID position, described in manifest.json and sealed by SHA256SUMS.
// The last line printed is the backup's path.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>

#include "ctl/commands/commands.h"
#include "ctl/commands/progress.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/backup_store.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/mariadb_backup.h"
#include "ctl/lab/replication.h"
#include "ctl/lab/scratch_server.h"
#include "ctl/lab/sentinel_request.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

long long NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The primary as the cluster knows it: the sentinels' record, or the only server.
const Host& CurrentPrimary(const LabContext& lab, std::vector<std::string>* fenced) {
  const auto servers = lab.topology.HostsRunning("mariadb");
  if (servers.empty()) throw LabError("topology '" + lab.topology.name + "' has no database server");
  if (servers.size() == 1 || lab.topology.HostsRunning("sentinel").empty()) return *servers.front();
  const auto record = ReadClusterRecord(lab);
  if (fenced) *fenced = record.fenced;
  return lab.HostNamed(record.primary);
}

bool Contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string ReplicaProblem(const DbServerState& s, const Host& primary) {
  if (!s.answers) return "does not answer (" + s.error + ")";
  if (!s.read_only) return "is writable";
  if (!s.Replicating()) return "does not replicate (IO " + s.io_running + ", SQL " + s.sql_running + ")";
  if (s.master_host != primary.AddressOn("private").value_or("")) return "replicates from " + s.master_host + ", not the primary";
  return "";
}

// The server to copy: --from if given (the primary only when named), else the first healthy
// replica of the primary.
const Host& ChooseSource(const LabContext& lab, const Host& primary, const std::vector<std::string>& fenced,
                         const std::string& from) {
  if (!from.empty()) {
    const Host& host = lab.HostNamed(from);
    CheckHostRuns(host, "mariadb");
    if (&host == &primary) return host;
    if (Contains(fenced, host.name)) throw LabError(host.name + " is fenced (an old primary): its data may have diverged");
    const std::string problem = ReplicaProblem(InspectDatabase(lab, host), primary);
    if (!problem.empty()) throw LabError(host.name + " " + problem + ": a copy of it would not be the site's data");
    return host;
  }
  std::string why;
  for (const Host* h : lab.topology.HostsRunning("mariadb")) {
    if (h == &primary) continue;
    if (Contains(fenced, h->name)) {
      why += "; " + h->name + " is fenced";
      continue;
    }
    const std::string problem = ReplicaProblem(InspectDatabase(lab, *h), primary);
    if (problem.empty()) return *h;
    why += "; " + h->name + " " + problem;
  }
  throw LabError("no healthy replica to copy" + why + ". `foobar backup --from " + primary.name +
                 "` copies the primary itself (it reads its data files while serving)");
}

std::string ReadFileText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Fills in what the copy says about itself: positions, sizes.
void DescribeCopy(const fs::path& data, BackupManifest& manifest) {
  const CopyPosition position = ReadCopyPosition(data);
  manifest.gtid_position = position.gtid;
  manifest.source_binlog_file = position.binlog_file;
  manifest.source_binlog_offset = position.binlog_offset;
  for (const char* name : {"mariadb_backup_slave_info", "xtrabackup_slave_info"})
    if (fs::exists(data / name)) manifest.slave_info = ReadFileText(data / name);
  std::smatch m;
  static const std::regex coordinates(R"(MASTER_LOG_FILE\s*=\s*'([^']+)',\s*MASTER_LOG_POS\s*=\s*(\d+))",
                                      std::regex::icase);
  if (std::regex_search(manifest.slave_info, m, coordinates)) {
    manifest.primary_binlog_file = m[1];
    manifest.primary_binlog_offset = m[2];
  }
  for (const auto& entry : fs::recursive_directory_iterator(data))
    if (entry.is_regular_file()) {
      manifest.data_bytes += entry.file_size();
      ++manifest.data_files;
    }
}

std::string ServerVersion(const LabContext& lab, const Host& host) {
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, host), 5s);
  if (!conn.ok()) return "";
  auto r = (*conn)->Run("SELECT VERSION()");
  return r.ok() && !r->rows.empty() ? r->rows[0][0] : "";
}

int BackupCommand(const std::string& from) {
  const LabContext lab = RequireRecordedLab();
  std::vector<std::string> fenced;
  const Host& primary = CurrentPrimary(lab, &fenced);
  const Host& source = ChooseSource(lab, primary, fenced, from);
  const bool from_replica = &source != &primary;

  BackupManifest manifest;
  manifest.source_host = source.name;
  manifest.source_role = from_replica ? "replica" : "primary";
  manifest.primary = primary.name;
  manifest.mariadb_version = ServerVersion(lab, source);
  const auto started = std::chrono::system_clock::now();
  const fs::path dir = BackupsDir(lab.state) / BackupName(started, source.name);
  if (fs::exists(dir)) throw LabError(dir.string() + " exists already; try again in a second");
  fs::create_directories(dir);
  const fs::path data = dir / kBackupDataDir;
  const fs::path log = dir / "mariadb-backup.log";

  std::printf("Backing up the database from %s (%s%s) into %s\n", source.name.c_str(), manifest.source_role.c_str(),
              from_replica ? (" of " + primary.name + "; the primary only replicates as always").c_str()
                           : "; no replica is used",
              dir.c_str());
  Progress progress(5);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    manifest.started_at_ms = NowMs();
    progress.Step("Copying " + source.name + "'s data with mariadb-backup" + (from_replica ? " --slave-info" : ""),
                  [&] { BackupRunningServer(lab, source, data, from_replica, log); });
    manifest.copy_s = Progress::Seconds(t0);
    manifest.finished_at_ms = NowMs();
    const auto t1 = std::chrono::steady_clock::now();
    progress.Step("Preparing the copy (--prepare)", [&] { PrepareBackupCopy(source, data, log); });
    manifest.prepare_s = Progress::Seconds(t1);
    DescribeCopy(data, manifest);
    const auto t2 = std::chrono::steady_clock::now();
    progress.Step("Starting a scratch server on a copy of it: row counts and checksums at " + manifest.gtid_position,
                  [&] { manifest.tables = ChecksumPreparedCopy(lab, source, data, log); });
    manifest.verify_s = Progress::Seconds(t2);
    manifest.started_at = UtcText(manifest.started_at_ms);
    manifest.finished_at = UtcText(manifest.finished_at_ms);
    progress.Step("Writing " + std::string(kManifestFile), [&] { WriteManifest(dir, manifest); });
    progress.Step("Writing " + std::string(kChecksumsFile) + " (sha256 of every file)", [&] { WriteChecksums(dir); });
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);  // ours, half made: never leave something that looks restorable
    throw LabError(std::string(e.what()) + " -- no backup was kept");
  }
  long long rows = 0;
  for (const auto& t : manifest.tables) rows += t.rows;
  std::printf("Backup of %s at GTID %s: %.1f MB in %d files, %zu tables / %lld rows checksummed, %.1f s\n",
              source.name.c_str(), manifest.gtid_position.c_str(), static_cast<double>(manifest.data_bytes) / 1e6,
              manifest.data_files, manifest.tables.size(), rows, Progress::Seconds(t0));
  std::printf("%s\n", dir.c_str());
  return 0;
}

}  // namespace

Subcommand AddBackupCommand(CLI::App& cli) {
  auto from = std::make_shared<std::string>();
  auto* app = cli.add_subcommand(
      "backup", "Physical backup of the database from a replica (mariadb-backup), checksummed; prints its path last");
  app->add_option("--from", *from, "the database host to copy (default: a healthy replica; the primary only if named)");
  return {app, [from] { return BackupCommand(*from); }};
}

}  // namespace foobar::ctl
