#include "app/read_batches.h"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace foobar::app {

using Answer = std::optional<Result<std::optional<Message>>>;

// A read waiting in a batch; lives in its coroutine's frame until the batch answered it.
struct ReadBatches::Waiter {
  std::uint64_t id = 0;
  Answer answer;
  boost::asio::steady_timer* wake = nullptr;  // nullptr: the read that runs the batch
};

struct ReadBatches::Batch {
  std::vector<Waiter*> waiters;
  boost::asio::steady_timer* turn = nullptr;  // while waiting for a running batch to end
  std::optional<Error> failed;                // set instead of a turn: a batch ahead failed
};

// One of the server's kMaxRunning places, held while a batch's query is out. Handed on to the
// oldest waiting batch when it is let go, also when the query threw.
class ReadBatches::Slot {
 public:
  explicit Slot(Server& server) : server_(server) {}
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() {
    if (server_.waiting.empty()) {
      --server_.running;
      return;
    }
    Batch* next = server_.waiting.front();
    server_.waiting.pop_front();
    next->turn->cancel();  // its wait ends; it runs in this slot
  }

 private:
  Server& server_;
};

namespace {

Answer AnswerFor(std::uint64_t id, const std::optional<Result<ReadBatches::Rows>>& rows) {
  if (!rows) return std::nullopt;
  if (!rows->ok()) return Answer(rows->error());
  for (const Message& message : **rows) {
    if (message.id == id) return Answer(std::optional<Message>(message));
  }
  return Answer(std::optional<Message>());
}

}  // namespace

ReadBatches& ReadBatches::ForThisThread() {
  thread_local ReadBatches batches;
  return batches;
}

asio::awaitable<Answer> ReadBatches::Get(const std::string& server_key, std::uint64_t id, RunBatch run) {
  auto executor = co_await asio::this_coro::executor;
  Server& server = servers_[server_key];  // std::map: the reference stays valid
  boost::system::error_code ignored;
  if (server.open != nullptr) {
    // A batch is open: wait for its answer (the timer only serves as the wake-up).
    asio::steady_timer wake(executor, asio::steady_timer::time_point::max());
    Waiter waiter{id, std::nullopt, &wake};
    server.open->waiters.push_back(&waiter);
    if (server.open->waiters.size() >= kMaxBatch) server.open = nullptr;  // full: the next read opens another
    co_await wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    co_return std::move(waiter.answer);
  }

  Batch batch;
  Waiter self{id, std::nullopt, nullptr};
  batch.waiters.push_back(&self);
  server.open = &batch;
  // Let the rest of this turn's ready requests run up to their reads and join.
  co_await asio::post(executor, asio::use_awaitable);
  std::optional<Slot> slot;
  if (server.running < kMaxRunning && server.waiting.empty()) {
    ++server.running;
    slot.emplace(server);
  } else {
    // Every place is taken: keep taking reads until a running batch hands its place on.
    asio::steady_timer turn(executor, asio::steady_timer::time_point::max());
    batch.turn = &turn;
    server.waiting.push_back(&batch);
    co_await turn.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    batch.turn = nullptr;
    if (!batch.failed) slot.emplace(server);
  }
  if (server.open == &batch) server.open = nullptr;

  std::optional<Result<Rows>> rows;
  if (batch.failed) {
    rows.emplace(*batch.failed);
  } else {
    std::vector<std::uint64_t> ids;
    ids.reserve(batch.waiters.size());
    for (const Waiter* waiter : batch.waiters) ids.push_back(waiter->id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    rows = co_await run(std::move(ids));
    // The batches waiting behind this one would go to the server that just failed (a frozen
    // one only fails at the read timeout): they fail with it, and their reads take the
    // primary at once, as this batch's do.
    if (rows && !rows->ok()) {
      for (Batch* waiting : server.waiting) {
        waiting->failed = rows->error();
        waiting->turn->cancel();
      }
      server.waiting.clear();
    }
  }
  slot.reset();
  for (Waiter* waiter : batch.waiters) {
    waiter->answer = AnswerFor(waiter->id, rows);
    if (waiter->wake != nullptr) waiter->wake->cancel();
  }
  co_return std::move(self.answer);
}

}  // namespace foobar::app
