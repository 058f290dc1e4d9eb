// Administering a lab host's MariaDB as its root user over the host's unix socket
// (unix_socket authentication: no admin password exists to leak). Used by `up` for
// users and migrations, and by `foobar sql`.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

struct st_mysql;

namespace foobar::ctl {

struct SqlResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // NULL is "NULL"
  unsigned long long affected_rows = 0;
};

class AdminConnection {
 public:
  // Connects, retrying until `wait` has passed (the server may still be starting).
  static Result<std::unique_ptr<AdminConnection>> Connect(const std::filesystem::path& socket,
                                                          std::chrono::milliseconds wait);
  ~AdminConnection();
  AdminConnection(const AdminConnection&) = delete;
  AdminConnection& operator=(const AdminConnection&) = delete;

  // Runs one statement (or several separated by ';' when multi is true).
  Result<SqlResult> Run(const std::string& sql);

 private:
  explicit AdminConnection(st_mysql* mysql) : mysql_(mysql) {}
  st_mysql* mysql_;
};

// Quotes a string literal for SQL (for generated identifiers and passwords we made).
std::string SqlQuote(const std::string& text);

}  // namespace foobar::ctl
