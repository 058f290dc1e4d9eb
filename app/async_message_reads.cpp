#include "app/async_message_reads.h"

#include "app/message_rows.h"

namespace foobar::app {
namespace {

// Statement slots of an event-loop connection.
enum LoopStatementId : std::size_t { kLoopSelectById, kLoopSelectNewest };

// Runs the statement `id` (`sql`, one integer parameter) and returns its rows.
asio::awaitable<Result<std::vector<Message>>> SelectWithInteger(AsyncDbConnection& connection,
                                                                std::size_t id, const char* sql,
                                                                std::uint64_t parameter) {
  auto stmt = co_await connection.Statement(id, sql);
  if (!stmt.ok()) co_return stmt.error();
  unsigned long long value = parameter;
  MYSQL_BIND param = IntegerParam(value, true);
  if (mysql_stmt_bind_param(*stmt, &param) != 0) co_return HandleError(nullptr, *stmt, connection.endpoint());
  auto executed = co_await connection.ExecuteAndStore(*stmt);
  if (!executed.ok()) co_return executed.error();
  auto rows = FetchMessageRows(*stmt, 4, connection.endpoint());
  if (!rows.ok()) co_return rows.error();
  co_return MessagesOf(std::move(*rows));
}

}  // namespace

asio::awaitable<Result<std::optional<Message>>> SelectMessageOnLoop(AsyncDbConnection& connection,
                                                                    std::uint64_t id) {
  auto rows = co_await SelectWithInteger(connection, kLoopSelectById, kSelectByIdSql, id);
  if (!rows.ok()) co_return rows.error();
  if (rows->empty()) co_return std::optional<Message>{};
  co_return std::optional<Message>(std::move(rows->front()));
}

asio::awaitable<Result<std::vector<Message>>> SelectNewestMessagesOnLoop(AsyncDbConnection& connection,
                                                                         std::uint64_t limit) {
  co_return co_await SelectWithInteger(connection, kLoopSelectNewest, kSelectNewestSql, limit);
}

}  // namespace foobar::app
