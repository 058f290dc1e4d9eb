// Rebuilding a database server as a replica of the current primary (`foobar db rejoin`):
// safe even when the server diverged (an old primary with writes nobody else has), because
// nothing of its data is kept: it gets a physical copy of the primary taken with
// mariadb-backup while the primary keeps serving, and replicates from the GTID position the
// copy was taken at. Each step is a function, so the command can report them one by one.
// `foobar restore` shares the last two steps (replicate from a position, hand back).
#pragma once

#include <filesystem>
#include <string>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// Where the copy is taken: the rejoining host's data directory (its own disk).
std::filesystem::path RejoinBackupDir(const LabContext& lab, const Host& host);

// mariadb-backup --backup of the running primary into RejoinBackupDir (the old copy, if any,
// is removed first); its output goes to HOST's log/rejoin-backup.log. Throws LabError.
void CopyPrimary(const LabContext& lab, const Host& primary, const Host& host);

// mariadb-backup --prepare: the copy becomes a consistent data directory.
void PrepareCopy(const LabContext& lab, const Host& host);

// Moves the host's data directory aside (data/mysql.before-rejoin, replacing an older one)
// and the prepared copy in; returns the GTID position the copy holds. MariaDB must be stopped.
std::string InstallCopy(const LabContext& lab, const Host& host);

// On the (read-only) server: gtid_slave_pos := `position`, replicate from `primary`.
void StartReplicatingAt(const LabContext& lab, const Host& host, const Host& primary, const std::string& position);

// The request `rejoined` to the sentinel leader (it unfences HOST if fenced), then waits up to
// 20 s until the record counts HOST in sync with semi-sync on: full strength. Throws LabError.
void HandBackToSentinels(const LabContext& lab, const Host& host);

}  // namespace foobar::ctl
