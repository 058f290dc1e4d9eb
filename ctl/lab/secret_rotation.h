// `foobar secrets rotate`: a new password for every database account of a running lab, with
// no failed request. MariaDB 10.11 has no dual passwords, so each kind of account changes in
// a way that never leaves a client without a password that works:
//
//  - the app: two accounts per app server, A and B, one in use. The idle one gets the new
//    password (on the primary; the replicas get it by replication, and the app reads from
//    them too), then the credentials file is replaced atomically; every app connection opened
//    with the old file retires at its next use or idle round (DbConnection::LooksAlive) and
//    reconnects as the new account; once no connection of the old account is left on any
//    server (processlist), the old account is locked with a password nobody keeps.
//  - replication: the primary's account changes (and replicates); then each replica is
//    stopped, given the new password (CHANGE MASTER) and started again, within milliseconds.
//    Its open connection is not affected by the change, so nothing breaks in between.
//  - the sentinels: one account per sentinel host, so one sentinel at a time is stopped, its
//    password changed and written, and started again; the other two keep watching (a
//    majority of three). A restart also gives it the new replication password.
//  - monitoring (mysqld_exporter) authenticates by unix_socket: nothing to rotate.
//
// Every step writes the store only once the server accepts the new password, and each is
// safe to repeat: if one fails, the message says what state it left, and running rotate
// again completes it.
#pragma once

#include <functional>
#include <string>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// Rotates every database password of the running lab; `say` gets one progress line per
// step. Throws LabError (what failed, what state is left, re-run to finish).
void RotateDatabaseSecrets(const LabContext& lab, const std::function<void(const std::string&)>& say);

}  // namespace foobar::ctl
