// The MessageStore backed by MariaDB: each call becomes a job on the pool that the
// DatabaseRouter picks (reads: ForRead, writes: ForWrite).
#pragma once

#include "app/database_router.h"
#include "app/message_store.h"

namespace foobar::app {

class MariaDbMessageStore : public MessageStore {
 public:
  // `router` must outlive this object.
  explicit MariaDbMessageStore(DatabaseRouter& router) : router_(router) {}

  asio::awaitable<Result<std::vector<Message>>> ListNewest(int limit) override;
  asio::awaitable<Result<std::optional<Message>>> Get(std::uint64_t id) override;
  asio::awaitable<Result<Message>> Insert(NewMessage message) override;

 private:
  DatabaseRouter& router_;
};

}  // namespace foobar::app
