// The lab's MariaDB accounts as data: who connects from where with which rights and which
// secret. `up` creates them (database_setup.cpp), `foobar secrets rotate` changes their
// passwords (secret_rotation.cpp), the lab test checks SHOW GRANTS against the same list.
//
// Least privilege: every account is bound to the exact private address of each host that
// uses it (never '%'); root exists only as root@localhost over unix_socket; the monitoring
// account is unix_socket too (monitoring_setup.cpp). Passwords reach the server only as
// mysql_native_password hashes (IDENTIFIED BY PASSWORD '*...'), so the statement text that
// goes to the binary log and the replicas never holds a password.
#pragma once

#include <string>
#include <vector>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// One GRANT: "SELECT, INSERT ON `foobar`.*".
struct DbGrant {
  std::string privileges;
  std::string on;
};

// One account: user@address and its grants.
struct DbAccount {
  std::string user;
  std::string address;
  std::vector<DbGrant> grants;
  std::string secret;  // the file under secrets/ holding its password
  // [security] end_to_end_tls: the server refuses this account a connection without TLS.
  bool require_ssl = false;
};

// The app's rights: DML on its own schema, and SLAVE MONITOR (SHOW SLAVE STATUS: the app
// reads a replica's lag before it sends it reads). No DDL: migrations run as root over the
// admin socket at `up`.
std::vector<DbGrant> AppGrants();

// Every password account the topology needs: both app accounts (A and B) per app server,
// the replication account per database server, the sentinel account per sentinel host. With
// [security] end_to_end_tls every one of them REQUIRE SSL.
std::vector<DbAccount> LabDbAccounts(const Topology& topology);

// The app's credentials file (kAppDbCredentialsFile): the account in use and its password.
struct AppCredentials {
  std::string user;
  std::string password;
};
AppCredentials ReadAppCredentials(const std::filesystem::path& store);  // throws LabError
void WriteAppCredentials(const std::filesystem::path& store, const AppCredentials& credentials);
// The other one of kAppDbUserA / kAppDbUserB.
std::string OtherAppUser(const std::string& user);

// At `up`: every database secret the topology needs exists in the store (the app's
// credentials with account A, the replication password, one password per sentinel host).
void EnsureDatabaseSecrets(const LabContext& lab);

// The mysql_native_password hash of `password`: "*" + 40 upper-case hex digits of
// SHA1(SHA1(password)), what PASSWORD() returns.
std::string NativePasswordHash(const std::string& password);

// 'user'@'address'
std::string AccountName(const std::string& user, const std::string& address);

// The statements that make `account` exist with exactly the password `password` and its
// grants, unlocked (or locked, with `locked`): CREATE USER IF NOT EXISTS, ALTER USER ...
// IDENTIFIED BY PASSWORD 'hash' [REQUIRE SSL] ACCOUNT UNLOCK|LOCK, one GRANT per DbGrant.
std::vector<std::string> EnsureAccountSql(const DbAccount& account, const std::string& password, bool locked);

}  // namespace foobar::ctl
