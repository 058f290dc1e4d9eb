// The sentinel's operations on one database server, each a few bounded statements as the
// sentinel's account (README.md lists the privileges they need). They do not decide
// anything: procedures.cpp strings them together.
#pragma once

#include <string>

#include "common/result.h"
#include "sentinel/config.h"
#include "sentinel/server_view.h"

namespace foobar::sentinel {

struct FenceOutcome {
  int killed = 0;  // connections ended so that commits stuck waiting for an ack could finish
};

// Makes `server` read-only, and switches its semi-sync master side off (only the primary
// has it on). SET GLOBAL read_only=1 waits for commits in progress; on a primary cut off
// from its replicas those wait forever for an acknowledgement, so after `wait_s` every
// client connection is killed (those in the commit queue first, then the ones waiting for
// the ack: killing only the latter would let the former return OK) — no client ever hears
// OK for a write the replicas lack — and the queued read_only=1 then goes through.
Result<FenceOutcome> Fence(const DbServer& server, const DbAccount& account, unsigned wait_s);

// STOP SLAVE IO_THREAD: no more events from (and no more acknowledgements to) its primary.
Status StopReceiving(const DbServer& server, const DbAccount& account);

// Waits until everything the server has received is applied (MASTER_GTID_WAIT on its
// Gtid_IO_Pos); returns the applied position. Fails if the SQL thread stopped on an error.
Result<std::string> ApplyRelayLog(const DbServer& server, const DbAccount& account, unsigned timeout_s);

// STOP SLAVE; RESET SLAVE ALL: the server no longer replicates from anyone.
Status Detach(const DbServer& server, const DbAccount& account);

// rpl_semi_sync_master_enabled := on, then read_only := 0.
Status OpenForWrites(const DbServer& server, const DbAccount& account, bool semi_sync);

Status SetSemiSyncMaster(const DbServer& server, const DbAccount& account, bool on);

// Makes `server` a replica of `primary` (GTID, semi-sync slave, heartbeat 0.5 s, retry 1 s).
// `former_primary`: its own writes count as applied (gtid_slave_pos := gtid_current_pos).
Status ReplicateFrom(const DbServer& server, const DbAccount& account, const DbServer& primary,
                     const DbAccount& replication, bool former_primary);

// @@gtid_binlog_pos: everything the server has written to its binlog.
Result<std::string> BinlogPosition(const DbServer& server, const DbAccount& account);

// A probe now, on a connection of its own (for decisions that must not rest on a probe a
// round old, like an operator's request).
Result<ServerView> ProbeNow(const DbServer& server, const DbAccount& account);

// MASTER_GTID_WAIT(position, timeout_s) on a replica: 0 once applied.
Status WaitForPosition(const DbServer& server, const DbAccount& account, const std::string& position,
                       unsigned timeout_s);

}  // namespace foobar::sentinel
