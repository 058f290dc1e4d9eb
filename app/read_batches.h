// Reads by id that one event-loop thread starts for the same server share one query
// (`WHERE id IN (...)`): the first read of a batch yields once, every read the turn's other
// ready requests start meanwhile joins it, and then the whole batch runs. At most
// kMaxRunning batches per server are out at once on a thread; a batch that finds them all out
// keeps taking reads until one comes back (oldest waiting batch first), or fails with the
// first that fails (it would go to the same failing server). So a batch carries
// several reads whenever reads come faster than the server answers them, whether the app's
// CPU or the database is what holds them up; when requests come one at a time, each runs
// alone after a yield of a few microseconds. Measured in README "Performance".
//
// Results are shared out by id: each read gets its row, "not found", the batch's error (the
// caller falls back as after its own failed read), or nullopt when the batch could not run on
// the loop (the caller's other path).
//
// Owned and used by one event-loop thread (ForThisThread), like LoopReadConnections.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
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
  // The most batches per server whose query is out at once, per thread. Without a bound,
  // turns of one or two requests each sent a statement, and past
  // LoopReadConnections::kMaxPerServer in flight reads took the worker pool, one statement
  // each (a CI run: 29,436 reads over 20,427 statements). More queries at once do not make a
  // 2-core server answer sooner; 1 or 2 cost throughput (app/README "Threads").
  static constexpr int kMaxRunning = 4;

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
  class Slot;

  struct Server {
    Batch* open = nullptr;        // the batch still taking reads, if any
    int running = 0;              // batches whose query is out
    std::deque<Batch*> waiting;   // batches waiting for one of those to end, oldest first
  };

  std::map<std::string, Server> servers_;
};

}  // namespace foobar::app
