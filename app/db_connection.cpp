// Connector/C connection handling. Options follow the runtime contract: 1 s connect,
// 3 s read/write timeouts, utf8mb4, session time zone UTC (DATETIME defaults are
// evaluated in the session zone, and the API reports UTC).
#include "app/db_connection.h"

#include <errmsg.h>
#include <poll.h>

#include <cstring>
#include <mutex>
#include <string_view>

#include <fmt/format.h>

namespace foobar::app {

void InitDbLibrary() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

Status DbConnection::Connect(const DbEndpoint& endpoint, const DbCredentials& credentials,
                             const DbTimeouts& timeouts) {
  Close();
  InitDbLibrary();
  MYSQL* mysql = mysql_init(nullptr);
  if (mysql == nullptr) return Error{CR_OUT_OF_MEMORY, "mysql_init failed"};
  mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeouts.connect_seconds);
  mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &timeouts.read_seconds);
  mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &timeouts.write_seconds);
  mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // last_gtid rides on each write's OK packet at no extra round trip (read-your-writes).
  mysql_options(mysql, MYSQL_INIT_COMMAND,
                "SET time_zone='+00:00', session_track_system_variables='last_gtid'");
  my_bool reconnect = 0;
  mysql_options(mysql, MYSQL_OPT_RECONNECT, &reconnect);
  if (mysql_real_connect(mysql, endpoint.host.c_str(), credentials.user.c_str(),
                         credentials.password.c_str(), credentials.database.c_str(), endpoint.port,
                         nullptr, 0) == nullptr) {
    Error error{static_cast<int>(mysql_errno(mysql)),
                fmt::format("connect to {}: {}", endpoint.ToString(), mysql_error(mysql))};
    mysql_close(mysql);
    return error;
  }
  mysql_ = mysql;
  endpoint_ = endpoint;
  return OkStatus();
}

void DbConnection::Close() {
  for (MYSQL_STMT* stmt : statements_) {
    if (stmt != nullptr) mysql_stmt_close(stmt);
  }
  statements_.clear();
  if (mysql_ != nullptr) mysql_close(mysql_);
  mysql_ = nullptr;
}

bool DbConnection::LooksAlive() const {
  if (mysql_ == nullptr) return false;
  pollfd pfd{};
  pfd.fd = static_cast<int>(mysql_get_socket(mysql_));
  pfd.events = POLLIN;
  return poll(&pfd, 1, 0) == 0;
}

Result<MYSQL_STMT*> DbConnection::Statement(std::size_t id, const char* sql) {
  if (mysql_ == nullptr) return Error{CR_SERVER_GONE_ERROR, "not connected"};
  if (statements_.size() <= id) statements_.resize(id + 1, nullptr);
  if (statements_[id] != nullptr) return statements_[id];
  MYSQL_STMT* stmt = mysql_stmt_init(mysql_);
  if (stmt == nullptr) return LastError();
  if (mysql_stmt_prepare(stmt, sql, static_cast<unsigned long>(std::strlen(sql))) != 0) {
    Error error = LastError(stmt);
    mysql_stmt_close(stmt);
    return error;
  }
  statements_[id] = stmt;
  return stmt;
}

std::string DbConnection::TrackedLastGtid() const {
  if (mysql_ == nullptr) return "";
  // The list alternates variable name and value.
  const char* data = nullptr;
  size_t length = 0;
  if (mysql_session_track_get_first(mysql_, SESSION_TRACK_SYSTEM_VARIABLES, &data, &length) != 0) {
    return "";
  }
  bool is_name = true;
  bool want_value = false;
  do {
    const std::string_view item(data, length);
    if (!is_name && want_value) return std::string(item);
    if (is_name) want_value = item == "last_gtid";
    is_name = !is_name;
  } while (mysql_session_track_get_next(mysql_, SESSION_TRACK_SYSTEM_VARIABLES, &data, &length) ==
           0);
  return "";
}

Error DbConnection::LastError(MYSQL_STMT* stmt) const {
  if (stmt != nullptr) {
    return Error{static_cast<int>(mysql_stmt_errno(stmt)),
                 fmt::format("{}: {}", endpoint_.ToString(), mysql_stmt_error(stmt))};
  }
  if (mysql_ == nullptr) return Error{CR_SERVER_GONE_ERROR, "not connected"};
  return Error{static_cast<int>(mysql_errno(mysql_)),
               fmt::format("{}: {}", endpoint_.ToString(), mysql_error(mysql_))};
}

}  // namespace foobar::app
