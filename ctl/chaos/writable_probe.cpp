#include "ctl/chaos/writable_probe.h"

#include <mysql.h>

namespace foobar::ctl::chaos {

WritableProbe::~WritableProbe() { Close(); }

void WritableProbe::Close() {
  if (mysql_) mysql_close(mysql_);
  mysql_ = nullptr;
}

std::optional<bool> WritableProbe::ReadOnly() {
  if (!mysql_) {
    mysql_ = mysql_init(nullptr);
    if (!mysql_) return std::nullopt;
    // Connect, read and write timeouts alike: the handshake of a frozen server is a read
    // that would otherwise wait forever.
    unsigned int seconds = static_cast<unsigned int>(timeout_.count());
    mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
    mysql_options(mysql_, MYSQL_OPT_READ_TIMEOUT, &seconds);
    mysql_options(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &seconds);
    if (!mysql_real_connect(mysql_, nullptr, "root", nullptr, nullptr, 0, socket_.c_str(), 0)) {
      Close();
      return std::nullopt;
    }
  }
  static constexpr char kQuery[] = "SELECT @@global.read_only";
  if (mysql_real_query(mysql_, kQuery, sizeof kQuery - 1) != 0) {
    Close();
    return std::nullopt;
  }
  MYSQL_RES* result = mysql_store_result(mysql_);
  MYSQL_ROW row = result ? mysql_fetch_row(result) : nullptr;
  std::optional<bool> read_only;
  if (row && row[0]) read_only = std::string(row[0]) != "0";
  if (result) mysql_free_result(result);
  if (!read_only) Close();
  return read_only;
}

}  // namespace foobar::ctl::chaos
