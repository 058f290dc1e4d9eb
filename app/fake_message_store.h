// In-memory MessageStore and ReadinessProbe for tests: same contract as the MariaDB store
// (ids grow from 1, newest first), plus switches to simulate an unavailable database.
#pragma once

#include <algorithm>
#include <map>

#include "app/message_store.h"
#include "app/readiness.h"

namespace foobar::app::testing {

class FakeMessageStore : public MessageStore {
 public:
  bool fail = false;  // every call returns an error, as with the database down
  int insert_calls = 0;

  asio::awaitable<Result<std::vector<Message>>> ListNewest(int limit) override {
    if (fail) co_return Error{2013, "lost connection"};
    std::vector<Message> out;
    for (auto it = rows_.rbegin(); it != rows_.rend() && static_cast<int>(out.size()) < limit;
         ++it) {
      out.push_back(it->second);
    }
    co_return out;
  }

  asio::awaitable<Result<std::optional<Message>>> Get(std::uint64_t id) override {
    if (fail) co_return Error{2013, "lost connection"};
    auto it = rows_.find(id);
    if (it == rows_.end()) co_return std::optional<Message>{};
    co_return std::optional<Message>(it->second);
  }

  asio::awaitable<Result<Message>> Insert(NewMessage message) override {
    ++insert_calls;
    if (fail) co_return Error{2013, "lost connection"};
    const std::uint64_t id = ++last_id_;
    Message stored{id, std::move(message.author), std::move(message.body),
                   "2026-11-26T15:13:21.123Z"};
    rows_[id] = stored;
    co_return stored;
  }

  std::size_t size() const { return rows_.size(); }

 private:
  std::map<std::uint64_t, Message> rows_;
  std::uint64_t last_id_ = 0;
};

class FakeReadiness : public ReadinessProbe {
 public:
  bool ready = true;
  bool IsReady() const override { return ready; }
};

}  // namespace foobar::app::testing
