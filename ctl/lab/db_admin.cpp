#include "ctl/lab/db_admin.h"

#include <mysql.h>

#include <thread>

namespace foobar::ctl {
using namespace std::chrono_literals;

Result<std::unique_ptr<AdminConnection>> AdminConnection::Connect(
    const std::filesystem::path& socket, std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  std::string last_error = "not tried";
  unsigned int last_errno = 0;
  do {
    MYSQL* m = mysql_init(nullptr);
    unsigned int timeout = 2;
    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    unsigned long flags = CLIENT_MULTI_STATEMENTS;
    if (mysql_real_connect(m, nullptr, "root", nullptr, nullptr, 0, socket.c_str(), flags))
      return std::unique_ptr<AdminConnection>(new AdminConnection(m));
    last_error = mysql_error(m);
    last_errno = mysql_errno(m);
    mysql_close(m);
    std::this_thread::sleep_for(100ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return Error{static_cast<int>(last_errno), last_error};
}

AdminConnection::~AdminConnection() { mysql_close(mysql_); }

Result<SqlResult> AdminConnection::Run(const std::string& sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0)
    return Error{static_cast<int>(mysql_errno(mysql_)), mysql_error(mysql_)};
  SqlResult out;
  // Walk every result of a multi-statement; the last result set with rows wins.
  for (;;) {
    if (MYSQL_RES* res = mysql_store_result(mysql_)) {
      out.columns.clear();
      out.rows.clear();
      unsigned int n = mysql_num_fields(res);
      MYSQL_FIELD* fields = mysql_fetch_fields(res);
      for (unsigned int i = 0; i < n; ++i) out.columns.emplace_back(fields[i].name);
      while (MYSQL_ROW row = mysql_fetch_row(res)) {
        unsigned long* lengths = mysql_fetch_lengths(res);
        std::vector<std::string> cells;
        for (unsigned int i = 0; i < n; ++i)
          cells.push_back(row[i] ? std::string(row[i], lengths[i]) : "NULL");
        out.rows.push_back(std::move(cells));
      }
      mysql_free_result(res);
    } else if (mysql_field_count(mysql_) == 0) {
      out.affected_rows = mysql_affected_rows(mysql_);
    } else {
      return Error{static_cast<int>(mysql_errno(mysql_)), mysql_error(mysql_)};
    }
    int next = mysql_next_result(mysql_);
    if (next > 0) return Error{static_cast<int>(mysql_errno(mysql_)), mysql_error(mysql_)};
    if (next < 0) break;
  }
  return out;
}

std::string SqlQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace foobar::ctl
