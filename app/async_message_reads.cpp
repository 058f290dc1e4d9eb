#include "app/async_message_reads.h"

#include <array>
#include <bit>
#include <string>

#include "app/message_rows.h"

namespace foobar::app {
namespace {

// Statement slots of an event-loop connection; after kLoopSelectIn2, one per IN-list size
// 4, 8, ... kMaxIdsPerSelect.
enum LoopStatementId : std::size_t { kLoopSelectById, kLoopSelectNewest, kLoopSelectIn2 };

constexpr std::size_t kInSizes = std::bit_width(kMaxIdsPerSelect) - 1;  // sizes 2, 4, ... kMaxIdsPerSelect

// "SELECT ... WHERE id IN (?, ?)" and so on, for 2, 4, ... kMaxIdsPerSelect ids.
const std::string& SelectInSql(std::size_t size_index) {
  static const std::array<std::string, kInSizes> statements = [] {
    std::array<std::string, kInSizes> sql;
    for (std::size_t i = 0; i < kInSizes; ++i) {
      sql[i] = "SELECT id, author, body, created_at FROM messages WHERE id IN (?";
      for (std::size_t n = 1; n < (std::size_t{2} << i); ++n) sql[i] += ", ?";
      sql[i] += ")";
    }
    return sql;
  }();
  return statements[size_index];
}

// Runs the statement `id` (`sql`, one integer parameter per value, in order) and returns its
// rows. `values` is taken by value: the bound parameters point into it until the execute ends.
asio::awaitable<Result<std::vector<Message>>> SelectWithIntegers(AsyncDbConnection& connection,
                                                                 std::size_t id, const char* sql,
                                                                 std::vector<unsigned long long> values) {
  auto stmt = co_await connection.Statement(id, sql);
  if (!stmt.ok()) co_return stmt.error();
  std::vector<MYSQL_BIND> params;
  params.reserve(values.size());
  for (unsigned long long& value : values) params.push_back(IntegerParam(value, true));
  if (mysql_stmt_bind_param(*stmt, params.data()) != 0) co_return HandleError(nullptr, *stmt, connection.endpoint());
  auto executed = co_await connection.ExecuteAndStore(*stmt);
  if (!executed.ok()) co_return executed.error();
  auto rows = FetchMessageRows(*stmt, 4, connection.endpoint());
  if (!rows.ok()) co_return rows.error();
  co_return MessagesOf(std::move(*rows));
}

}  // namespace

asio::awaitable<Result<std::vector<Message>>> SelectMessagesOnLoop(AsyncDbConnection& connection,
                                                                   std::vector<std::uint64_t> ids) {
  if (ids.empty() || ids.size() > kMaxIdsPerSelect) co_return Error{0, "bad id list for a batched read"};
  std::vector<unsigned long long> values(ids.begin(), ids.end());
  if (ids.size() == 1) co_return co_await SelectWithIntegers(connection, kLoopSelectById, kSelectByIdSql, std::move(values));
  // Padded to the next prepared size with the last id again (IN ignores repeats): a handful
  // of statements per connection instead of one per list length.
  const std::size_t size = std::bit_ceil(ids.size());
  const std::size_t size_index = static_cast<std::size_t>(std::countr_zero(size)) - 1;
  values.resize(size, values.back());
  co_return co_await SelectWithIntegers(connection, kLoopSelectIn2 + size_index, SelectInSql(size_index).c_str(),
                                        std::move(values));
}

asio::awaitable<Result<std::vector<Message>>> SelectNewestMessagesOnLoop(AsyncDbConnection& connection,
                                                                         std::uint64_t limit) {
  // A named vector: g++ 12 rejects a braced temporary in a co_await expression.
  std::vector<unsigned long long> values{limit};
  co_return co_await SelectWithIntegers(connection, kLoopSelectNewest, kSelectNewestSql, std::move(values));
}

}  // namespace foobar::app
