// One blocking MariaDB connection (Connector/C) to a database server as the sentinel's
// account, with every wait bounded: connect, read and write timeouts in whole seconds
// (Connector/C's unit). Not thread-safe: one connection per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "sentinel/config.h"

struct st_mysql;

namespace foobar::sentinel {

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt is SQL NULL

  // The value of `column` in row `row`, nullopt if NULL or absent.
  std::optional<std::string> Get(size_t row, const std::string& column) const;
};

// Calls mysql_library_init once; call before starting threads.
void InitDbLibrary();

class DbConnection {
 public:
  static Result<std::unique_ptr<DbConnection>> Open(const DbServer& server, const DbAccount& account,
                                                     unsigned connect_timeout_s, unsigned read_timeout_s);
  ~DbConnection();
  DbConnection(const DbConnection&) = delete;
  DbConnection& operator=(const DbConnection&) = delete;

  // Runs one or more statements (';'-separated) and returns every result set, in order.
  Result<std::vector<ResultSet>> Query(const std::string& sql);
  // Runs statements that return no rows.
  Status Exec(const std::string& sql);

  // A statement in two halves, for one that may wait in the server for a long time: Send()
  // returns once it is sent, Answered() polls for the reply, Finish() reads it (blocking up
  // to the read timeout).
  Status Send(const std::string& sql);
  bool Answered(int wait_ms);
  Status Finish();

 private:
  explicit DbConnection(st_mysql* mysql) : mysql_(mysql) {}
  st_mysql* mysql_;
};

// Quotes a string literal for SQL.
std::string SqlString(const std::string& text);

}  // namespace foobar::sentinel
