// `foobar restore BACKUP [--to HOST] [--until 'YYYY-MM-DD HH:MM:SS'] [--force]`: rebuilds a
// database server from a backup made by `foobar backup`.
//  - First the backup is checked against its SHA256SUMS: a changed, missing or extra file and
//    nothing at all is touched.
//  - The target's MariaDB is stopped, its data directory moved to data/mysql.before-restore,
//    the backup copied in (mariadb-backup --copy-back), the server started (read-only, as
//    every server of a replicated topology starts) and its app tables compared with the
//    manifest's row counts and checksums: the data is exactly the backup's.
//  - Default: it replicates from the current primary from the backup's GTID position, catches
//    up and is handed back to the sentinels: a new (or rebuilt) replica.
//  - --until: point-in-time recovery. The primary's binlogs from the backup's position up to
//    that time (UTC) are replayed into it; it is left read-only and replicating from nobody (no
//    site traffic reaches it), to read or export from; `foobar db rejoin HOST` makes it a
//    replica again.
// The default target is a replica. The primary is a target only with --force, a disaster-
// recovery step: its MariaDB is stopped, the sentinels promote the in-sync replica (writes pause
// for a few seconds; nothing acknowledged is lost), and the old primary is rebuilt as above.
#include <cstdio>
#include <memory>
#include <thread>

#include "ctl/commands/commands.h"
#include "ctl/commands/progress.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/backup_store.h"
#include "ctl/lab/binlog_replay.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/mariadb_backup.h"
#include "ctl/lab/rejoin.h"
#include "ctl/lab/replication.h"
#include "ctl/lab/sentinel_request.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

struct RestoreOptions {
  std::string backup;
  std::string to;
  std::string until;
  bool force = false;
};

std::unique_ptr<AdminConnection> Admin(const LabContext& lab, const Host& host) {
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, host), 30s);
  if (!conn.ok()) throw LabError("cannot reach MariaDB on " + host.name + ": " + conn.error().message);
  return std::move(*conn);
}

const Host& DefaultTarget(const LabContext& lab, const std::string& primary) {
  for (const Host* h : lab.topology.HostsRunning("mariadb"))
    if (h->name != primary) return *h;
  throw LabError("there is no database server besides the primary " + primary + " to restore onto");
}

// Waits until the sentinels no longer count on `host` (stopped): it is out of the in-sync set
// and the primary does not wait for its acknowledgements. Without this, a server that comes
// back quickly without replicating (point-in-time recovery) would leave the primary waiting
// for an acknowledgement nobody sends.
void WaitUntilNotCountedOn(const LabContext& lab, const std::string& host) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  for (;;) {
    const auto record = ReadClusterRecord(lab);
    if (!record.IsInSync(host) && (!record.semi_sync || !record.in_sync.empty())) return;
    if (std::chrono::steady_clock::now() > deadline)
      throw LabError("the sentinels still count " + host + " as an in-sync replica 20 s after it stopped");
    std::this_thread::sleep_for(250ms);
  }
}

// --force on the primary: after its MariaDB stopped, the sentinels' new primary.
const Host& WaitForNewPrimary(const LabContext& lab, const std::string& old_primary) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    const auto record = ReadClusterRecord(lab);
    if (record.primary != old_primary) {
      const Host& next = lab.HostNamed(record.primary);
      const DbServerState s = InspectDatabase(lab, next);
      if (s.answers && !s.read_only) return next;
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw LabError("no new primary 30 s after stopping " + old_primary + "; see `foobar status`");
    std::this_thread::sleep_for(250ms);
  }
}

void CheckUntil(const std::string& until, const BackupManifest& manifest) {
  if (!IsUtcDateTime(until)) throw LabError("--until wants 'YYYY-MM-DD HH:MM:SS' (UTC), not '" + until + "'");
  // The backup's data reaches up to the end of its copy; earlier times need an older backup.
  const std::string finished = manifest.finished_at.substr(0, 19);
  if (until < finished)
    throw LabError("--until " + until + " is before this backup was completed (" + finished +
                   " UTC); use an older backup");
}

int RestoreCommand(const RestoreOptions& options) {
  const LabContext lab = RequireRecordedLab();
  if (lab.topology.HostsRunning("mariadb").size() < 2 || lab.topology.HostsRunning("sentinel").empty())
    throw LabError("topology '" + lab.topology.name +
                   "' has a single database server and no sentinels; restore rebuilds a server of a replicated "
                   "topology from a backup");
  const fs::path backup = ResolveBackup(lab.state, options.backup);
  const bool pitr = !options.until.empty();
  const auto started = std::chrono::steady_clock::now();
  Progress progress(pitr ? 6 : 7);

  // Nothing is changed before the backup proved whole.
  BackupManifest manifest;
  progress.Step("Verifying " + backup.filename().string() + " against its " + kChecksumsFile, [&] {
    VerifyChecksums(backup);
    manifest = ReadManifest(backup);
  });
  if (pitr) CheckUntil(options.until, manifest);

  const auto record = ReadClusterRecord(lab);
  const Host* primary = &lab.HostNamed(record.primary);
  const Host& target = options.to.empty() ? DefaultTarget(lab, primary->name) : lab.HostNamed(options.to);
  CheckHostRuns(target, "mariadb");
  const bool target_is_primary = &target == primary;
  if (target_is_primary && !options.force)
    throw LabError(target.name +
                   " is the primary. Restore onto a replica (the default), or pass --force to rebuild it anyway: its "
                   "MariaDB is stopped, the sentinels promote the in-sync replica (writes pause a few seconds, none "
                   "acknowledged is lost), and " + target.name + " is rebuilt from the backup" +
                   (pitr ? " as a point-in-time copy" : " as a replica of the new primary"));
  if (!target_is_primary) {
    const DbServerState p = InspectDatabase(lab, *primary);
    if (!p.answers || p.read_only)
      throw LabError("the primary " + primary->name + " is not writable right now (" +
                     (p.answers ? "read-only" : p.error) + "); wait for the sentinels, see `foobar status`");
  }

  std::printf("Restoring %s (GTID %s, taken from %s at %s UTC) onto %s; %s\n", backup.filename().c_str(),
              manifest.gtid_position.c_str(), manifest.source_host.c_str(), manifest.finished_at.c_str(),
              target.name.c_str(),
              pitr ? ("then replaying the primary's binlogs up to " + options.until + " UTC").c_str()
                   : "then it replicates from the primary");
  std::fflush(stdout);
  const fs::path log = lab.state.Host(target.name).Log() / "restore.log";
  ReplayResult replay;
  std::vector<TableChecksum> final_tables;
  try {
    progress.Step("Stopping mariadb on " + target.name + (target_is_primary ? " (the primary: the sentinels fail over)" : ""),
                  [&] {
                    StopService(lab, target, "mariadb");
                    if (target_is_primary) primary = &WaitForNewPrimary(lab, target.name);
                    WaitUntilNotCountedOn(lab, target.name);
                  });
    progress.Step("Copying the backup into " + target.name + "'s data directory (the old one: data/mysql.before-restore)",
                  [&] { InstallDataDirectory(lab, target, backup / kBackupDataDir, "mysql.before-restore", false, log); });
    progress.Step("Starting mariadb on " + target.name + " (read-only, replicating from nobody)", [&] {
      StartService(lab, target, "mariadb");
      auto db = Admin(lab, target);
      auto r = db->Run("STOP SLAVE; RESET SLAVE ALL");
      if (!r.ok()) throw LabError("on " + target.name + ": " + r.error().message);
    });
    progress.Step("Comparing " + target.name + "'s tables with the manifest (row counts, CHECKSUM TABLE)", [&] {
      const std::string diff = CompareTableChecksums(manifest.tables, ChecksumAppTables(*Admin(lab, target)));
      if (!diff.empty()) throw LabError("the restored data differs from the backup's manifest: " + diff);
    });
    if (pitr) {
      progress.Step("Replaying " + primary->name + "'s binlogs after " + manifest.gtid_position + " up to " +
                        options.until + " UTC",
                    [&] {
                      replay = ReplayBinlogsUntil(lab, *primary, target, manifest.gtid_position, options.until, log);
                      final_tables = ChecksumAppTables(*Admin(lab, target));
                    });
    } else {
      progress.Step("Replicating from " + primary->name + " after " + manifest.gtid_position + " and catching up",
                    [&] {
                      StartReplicatingAt(lab, target, *primary, manifest.gtid_position);
                      WaitForReplica(lab, target, InspectDatabase(lab, *primary).gtid_binlog_pos, 120);
                    });
    }
  } catch (const std::exception& e) {
    // Never leave a half-restored server running: stopped, it starts read-only and unreplicated.
    try {
      StopService(lab, target, "mariadb");
    } catch (const std::exception&) {
    }
    throw LabError(std::string(e.what()) + " -- " + target.name + " is left stopped; `foobar db rejoin " + target.name +
                   "` rebuilds it from the primary");
  }

  if (!pitr) {
    progress.Step("Handing " + target.name + " back to the sentinels", [&] { HandBackToSentinels(lab, target); });
    std::printf("%s was restored from %s (checksums verified) and is a replica of %s again, in sync (%.1f s)\n",
                target.name.c_str(), backup.filename().c_str(), primary->name.c_str(), Progress::Seconds(started));
    return 0;
  }
  long long rows = 0;
  for (const auto& t : final_tables) rows += t.rows;
  std::printf(
      "%s holds the data as of %s UTC: the backup (GTID %s) + %d transactions from %s's binlogs (%s%s%s); "
      "%lld rows in %zu tables (%.1f s).\n"
      "It is read-only, replicates from nobody and takes no site traffic; the primary %s runs without it "
      "(semi-sync waits for no replica meanwhile).\n"
      "  read:    foobar sql %s 'SELECT ...'\n"
      "  export:  foobar exec %s -- mariadb-dump --socket=%s --single-transaction %s > dump.sql\n"
      "  return:  foobar db rejoin %s   (rebuilds it as a replica of the primary)\n",
      target.name.c_str(), options.until.c_str(), manifest.gtid_position.c_str(), replay.transactions,
      primary->name.c_str(), replay.first_gtid.c_str(), replay.transactions ? " .. " : "none",
      replay.last_gtid.c_str(), rows, final_tables.size(), Progress::Seconds(started), primary->name.c_str(),
      target.name.c_str(), target.name.c_str(), MariadbAdminSocket(lab, target).c_str(), kDatabaseName,
      target.name.c_str());
  return 0;
}

}  // namespace

Subcommand AddRestoreCommand(CLI::App& cli) {
  auto options = std::make_shared<RestoreOptions>();
  auto* app = cli.add_subcommand("restore",
                                 "Rebuild a database server from a backup (verified first): a new replica, or with "
                                 "--until a point-in-time copy");
  app->add_option("backup", options->backup, "the backup's directory (or its name under STATE/backups)")->required();
  app->add_option("--to", options->to, "the database host to rebuild (default: a replica)");
  app->add_option("--until", options->until,
                  "point-in-time recovery: replay the primary's binlogs up to this UTC time, 'YYYY-MM-DD HH:MM:SS'");
  app->add_flag("--force", options->force, "allow the primary as the target (it is failed over first)");
  return {app, [options] { return RestoreCommand(*options); }};
}

}  // namespace foobar::ctl
