// Reads by id that one event-loop thread starts in the same loop turn, for the same server,
// share one query (`WHERE id IN (...)`): the first read of a turn yields once, every read the
// turn's other ready requests start meanwhile joins it, and then the whole batch runs. Under
// load a turn carries several requests, and one round trip and one statement on the server
// serve them all; when requests come one at a time, each runs alone after a yield of a few
// microseconds. Measured in README "Performance".
//
// Results are shared out by id: each read gets its row, "not found", the batch's error (the
// caller falls back as after its own failed read), or nullopt when the batch could not run on
// the loop (the caller's other path).
//
// Owned and used by one event-loop thread (ForThisThread), like LoopReadConnections.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/asio_fwd.h"
#include "app/message.h"
#include "common/result.h"

namespace foobar::app {

class ReadBatches {
 public:
  // The most ids one query carries; a turn with more reads starts another batch.
  static constexpr std::size_t kMaxBatch = 32;

  using Rows = std::vector<Message>;
  // Runs one batch: the distinct ids, every row found (in any order); nullopt: not run.
  using RunBatch = std::function<asio::awaitable<std::optional<Result<Rows>>>(std::vector<std::uint64_t>)>;

  static ReadBatches& ForThisThread();

  // Message `id` from a batch of the reads for `server` (any key naming one server); the
  // batch runs with the `run` of the read that opened it.
  asio::awaitable<std::optional<Result<std::optional<Message>>>> Get(const std::string& server,
                                                                     std::uint64_t id, RunBatch run);

 private:
  struct Waiter;
  struct Batch;

  // Batches still taking reads, by server: at most one each.
  std::map<std::string, Batch*> open_;
};

}  // namespace foobar::app
