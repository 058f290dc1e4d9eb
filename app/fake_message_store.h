// In-memory MessageStore and ReadinessProbe for tests: same contract as the MariaDB store
// (ids grow from 1, newest first, Idempotency-Key replay and conflict, a GTID per write),
// plus switches to simulate an unavailable database.
#pragma once

#include <algorithm>
#include <map>

#include "app/db_errors.h"
#include "app/message_store.h"
#include "app/readiness.h"

namespace foobar::app::testing {

class FakeMessageStore : public MessageStore {
 public:
  bool fail = false;      // every call returns an error, as with the database down
  int fail_code = 2013;   // ...with this code (e.g. kDbErrOutcomeUnknown, kDbErrNoPrimary)
  bool with_gtid = true;  // writes report a GTID (a server without binlog reports none)
  int insert_calls = 0;
  std::optional<Gtid> last_read_write;  // the last_write the latest read was given

  asio::awaitable<Result<std::vector<Message>>> ListNewest(
      int limit, std::optional<Gtid> last_write) override {
    last_read_write = last_write;
    if (fail) co_return Error{fail_code, "simulated failure"};
    std::vector<Message> out;
    for (auto it = rows_.rbegin(); it != rows_.rend() && static_cast<int>(out.size()) < limit;
         ++it) {
      out.push_back(it->second);
    }
    co_return out;
  }

  asio::awaitable<Result<std::optional<Message>>> Get(std::uint64_t id,
                                                      std::optional<Gtid> last_write) override {
    last_read_write = last_write;
    if (fail) co_return Error{fail_code, "simulated failure"};
    auto it = rows_.find(id);
    if (it == rows_.end()) co_return std::optional<Message>{};
    co_return std::optional<Message>(it->second);
  }

  asio::awaitable<Result<StoredMessage>> Insert(
      NewMessage message, std::optional<std::string> idempotency_key) override {
    ++insert_calls;
    if (fail) co_return Error{fail_code, "simulated failure"};
    if (idempotency_key) {
      if (auto it = keys_.find(*idempotency_key); it != keys_.end()) {
        const Message& first = rows_.at(it->second);
        if (first.author != message.author || first.body != message.body) {
          co_return Error{kDbErrIdempotencyConflict, "key used for another message"};
        }
        co_return StoredMessage{first, WriteGtid(), true};
      }
    }
    const std::uint64_t id = ++last_id_;
    Message stored{id, std::move(message.author), std::move(message.body),
                   "2026-11-26T15:13:21.123Z"};
    rows_[id] = stored;
    if (idempotency_key) keys_[*idempotency_key] = id;
    co_return StoredMessage{stored, WriteGtid(), false};
  }

  std::size_t size() const { return rows_.size(); }

 private:
  std::optional<app::Gtid> WriteGtid() const {
    if (!with_gtid) return std::nullopt;
    return app::Gtid{0, 1, 100 + last_id_};
  }

  std::map<std::uint64_t, Message> rows_;
  std::map<std::string, std::uint64_t> keys_;
  std::uint64_t last_id_ = 0;
};

class FakeReadiness : public ReadinessProbe {
 public:
  bool ready = true;
  bool IsReady() const override { return ready; }
};

}  // namespace foobar::app::testing
