// One MariaDB connection (Connector/C, blocking) with its cache of prepared statements.
// Not thread-safe: each connection is owned and used by exactly one thread.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <mysql.h>

#include "app/config.h"
#include "common/result.h"

namespace foobar::app {

struct DbCredentials {
  std::string user;
  std::string password;
  std::string database;
  // When set, user and password come from this file ("USER\nPASSWORD\n"), read at every
  // Connect: the way a rotated credential reaches new connections.
  std::string credentials_file = {};
  // When set: TLS, and the server's certificate must verify against this CA file for the
  // address dialled (MYSQL_OPT_SSL_VERIFY_SERVER_CERT). Empty: plain TCP.
  std::string ssl_ca = {};
};

struct DbTimeouts {
  unsigned connect_seconds = 1;
  unsigned read_seconds = 3;
  unsigned write_seconds = 3;
};

// Which version of a credentials file a connection was opened with (a rename makes a new inode).
struct CredentialsFileVersion {
  unsigned long inode = 0;
  long mtime_ns = 0;
  bool operator==(const CredentialsFileVersion&) const = default;
};

// The account a new connection logs in with: the given values, or the file's current content.
struct ResolvedCredentials {
  std::string user;
  std::string password;
  CredentialsFileVersion version;  // zero when not from a file
};
Result<ResolvedCredentials> ResolveCredentials(const DbCredentials& credentials);

// A handle with the runtime's connection options (below); `nonblocking` adds
// MYSQL_OPT_NONBLOCK for the *_start/*_cont API. Null if Connector/C is out of memory.
MYSQL* NewDbHandle(const DbCredentials& credentials, const DbTimeouts& timeouts, bool nonblocking);

// See DbConnection::LooksAlive; shared with AsyncDbConnection.
bool HandleLooksAlive(MYSQL* mysql, const std::string& credentials_file,
                      const CredentialsFileVersion& version);

// The error of the last failed call on `stmt` (or on `mysql` if stmt is null), naming `endpoint`.
Error HandleError(MYSQL* mysql, MYSQL_STMT* stmt, const DbEndpoint& endpoint);

// Initialises Connector/C once; call before starting threads that use it (mysql_init's
// implicit initialisation is not thread-safe). Safe to call more than once.
void InitDbLibrary();

class DbConnection {
 public:
  DbConnection() = default;
  ~DbConnection() { Close(); }
  DbConnection(const DbConnection&) = delete;
  DbConnection& operator=(const DbConnection&) = delete;

  // Opens a connection (utf8mb4, UTC session time zone, no auto-reconnect: a silent
  // reconnect would drop our prepared statements; last_gtid tracked in OK packets, see
  // TrackedLastGtid). Closes any previous one first.
  Status Connect(const DbEndpoint& endpoint, const DbCredentials& credentials,
                 const DbTimeouts& timeouts);
  void Close();

  bool connected() const { return mysql_ != nullptr; }
  const DbEndpoint& endpoint() const { return endpoint_; }

  // False if the server has closed the connection while it sat idle (restart, kill,
  // wait_timeout): an idle connection has nothing to read, so readable means EOF or an
  // error packet. Also false once the credentials file it was opened with has been
  // replaced (`foobar secrets rotate`): the caller reconnects either way, so every
  // connection moves to the new account within a request or an idle round, and the old
  // account can be locked once none uses it. Costs one poll(2) and one stat(2), no round trip.
  bool LooksAlive() const;

  // The prepared statement number `id`, prepared from `sql` on first use on this
  // connection and reused afterwards. Valid until Close().
  Result<MYSQL_STMT*> Statement(std::size_t id, const char* sql);

  // The session's last GTID as reported by the last OK packet (session_track_system_variables
  // = 'last_gtid'), or "" if it reported none. Checked on MariaDB 10.11 + Connector/C 3.3:
  // the OK packet of mysql_stmt_execute for a plain INSERT carries it, and every OK packet
  // resets it; statements answered with a result set (SELECT, and INSERT ... RETURNING
  // too) leave the PREVIOUS value in place. So read it only right after a statement that
  // answers with OK, or it may name an older write.
  std::string TrackedLastGtid() const;

  // The error of the last failed call on `stmt` (or on the connection if null), as an
  // Error{errno, text}. The text is for logs.
  Error LastError(MYSQL_STMT* stmt = nullptr) const;

 private:
  MYSQL* mysql_ = nullptr;
  DbEndpoint endpoint_;
  std::string credentials_file_;  // "" when the credentials were given as values
  CredentialsFileVersion credentials_version_;
  std::vector<MYSQL_STMT*> statements_;
};

}  // namespace foobar::app
