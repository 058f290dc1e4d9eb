// Jobs are built as named variables, not inside a co_await expression: g++ 12 can double
// free a capturing lambda that appears in the same expression as a co_await. These
// functions are not coroutines at all; they return the pool's awaitable.
#include "app/mariadb_message_store.h"

#include "app/message_queries.h"

namespace foobar::app {

asio::awaitable<Result<std::vector<Message>>> MariaDbMessageStore::ListNewest(int limit) {
  DbPool::Job<std::vector<Message>> job = [limit](DbConnection& connection) {
    return SelectNewestMessages(connection, limit);
  };
  return router_.ForRead().Run(std::move(job));
}

asio::awaitable<Result<std::optional<Message>>> MariaDbMessageStore::Get(std::uint64_t id) {
  DbPool::Job<std::optional<Message>> job = [id](DbConnection& connection) {
    return SelectMessage(connection, id);
  };
  return router_.ForRead().Run(std::move(job));
}

asio::awaitable<Result<Message>> MariaDbMessageStore::Insert(NewMessage message) {
  DbPool::Job<Message> job = [message = std::move(message)](DbConnection& connection) {
    return InsertMessage(connection, message);
  };
  return router_.ForWrite().Run(std::move(job));
}

}  // namespace foobar::app
