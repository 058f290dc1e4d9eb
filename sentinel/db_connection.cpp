#include "sentinel/db_connection.h"

#include <mysql.h>
#include <poll.h>

#include <mutex>

namespace foobar::sentinel {

std::optional<std::string> ResultSet::Get(size_t row, const std::string& column) const {
  if (row >= rows.size()) return std::nullopt;
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == column) return i < rows[row].size() ? rows[row][i] : std::nullopt;
  return std::nullopt;
}

void InitDbLibrary() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

Result<std::unique_ptr<DbConnection>> DbConnection::Open(const DbServer& server, const DbAccount& account,
                                                         unsigned connect_timeout_s, unsigned read_timeout_s) {
  InitDbLibrary();
  MYSQL* m = mysql_init(nullptr);
  if (!m) return Error{0, "mysql_init failed"};
  unsigned int write_timeout_s = read_timeout_s;
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout_s);
  mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &read_timeout_s);
  mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout_s);
  mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (!server.ssl_ca.empty()) {
    // End-to-end TLS: encrypted, and only to a server whose certificate the lab CA signed for
    // the address we dial (a probe must not be answered by an impostor).
    const my_bool verify = 1;
    mysql_options(m, MYSQL_OPT_SSL_CA, server.ssl_ca.c_str());
    mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  if (!mysql_real_connect(m, server.address.c_str(), account.user.c_str(), account.password.c_str(), nullptr,
                          server.port, nullptr, CLIENT_MULTI_STATEMENTS)) {
    Error error{static_cast<int>(mysql_errno(m)), mysql_error(m)};
    mysql_close(m);
    return error;
  }
  return std::unique_ptr<DbConnection>(new DbConnection(m));
}

DbConnection::~DbConnection() { mysql_close(mysql_); }

Result<std::vector<ResultSet>> DbConnection::Query(const std::string& sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0)
    return Error{static_cast<int>(mysql_errno(mysql_)), mysql_error(mysql_)};
  std::vector<ResultSet> out;
  for (;;) {
    if (MYSQL_RES* res = mysql_store_result(mysql_)) {
      ResultSet set;
      const unsigned int n = mysql_num_fields(res);
      const MYSQL_FIELD* fields = mysql_fetch_fields(res);
      for (unsigned int i = 0; i < n; ++i) set.columns.emplace_back(fields[i].name);
      while (MYSQL_ROW row = mysql_fetch_row(res)) {
        const unsigned long* lengths = mysql_fetch_lengths(res);
        std::vector<std::optional<std::string>> cells;
        for (unsigned int i = 0; i < n; ++i)
          cells.push_back(row[i] ? std::optional<std::string>(std::string(row[i], lengths[i])) : std::nullopt);
        set.rows.push_back(std::move(cells));
      }
      mysql_free_result(res);
      out.push_back(std::move(set));
    } else if (mysql_field_count(mysql_) != 0) {
      return Error{static_cast<int>(mysql_errno(mysql_)), mysql_error(mysql_)};
    }
    const int next = mysql_next_result(mysql_);
    if (next > 0) return Error{static_cast<int>(mysql_errno(mysql_)), mysql_error(mysql_)};
    if (next < 0) break;
  }
  return out;
}

Status DbConnection::Exec(const std::string& sql) {
  auto r = Query(sql);
  if (!r.ok()) return r.error();
  return OkStatus();
}

Status DbConnection::Send(const std::string& sql) {
  if (mysql_send_query(mysql_, sql.data(), static_cast<unsigned long>(sql.size())) != 0)
    return Error{static_cast<int>(mysql_errno(mysql_)), mysql_error(mysql_)};
  return OkStatus();
}

bool DbConnection::Answered(int wait_ms) {
  pollfd fd{static_cast<int>(mysql_get_socket(mysql_)), POLLIN, 0};
  return ::poll(&fd, 1, wait_ms) > 0;
}

Status DbConnection::Finish() {
  if (mysql_read_query_result(mysql_) != 0) return Error{static_cast<int>(mysql_errno(mysql_)), mysql_error(mysql_)};
  return OkStatus();
}

std::string SqlString(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace foobar::sentinel
