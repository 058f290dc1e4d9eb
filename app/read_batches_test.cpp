#include "app/read_batches.h"

#include <gtest/gtest.h>

#include <memory>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace foobar::app {
namespace {

using Answer = std::optional<Result<std::optional<Message>>>;

Message MessageWithId(std::uint64_t id) { return Message{id, "author", "body " + std::to_string(id), "t"}; }

// A batch runner that records each call's ids and answers with `reply(ids)` after one yield,
// as a query's round trip would; while `held` is set, queries wait until it is cancelled.
struct FakeServer {
  std::vector<std::vector<std::uint64_t>> calls;
  std::unique_ptr<asio::steady_timer> held;
  std::function<std::optional<Result<ReadBatches::Rows>>(const std::vector<std::uint64_t>&)> reply =
      [](const std::vector<std::uint64_t>& ids) {
        ReadBatches::Rows rows;
        for (std::uint64_t id : ids) {
          if (id != 404) rows.push_back(MessageWithId(id));
        }
        return std::optional<Result<ReadBatches::Rows>>(std::move(rows));
      };

  ReadBatches::RunBatch Runner() {
    return [this](std::vector<std::uint64_t> ids) -> asio::awaitable<std::optional<Result<ReadBatches::Rows>>> {
      calls.push_back(ids);
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
      if (held) {
        boost::system::error_code released;
        co_await held->async_wait(asio::redirect_error(asio::use_awaitable, released));
      }
      co_return reply(ids);
    };
  }
};

// Reads started on one io_context, answered by a FakeServer.
class ReadBatchesTest : public testing::Test {
 protected:
  // Starts a read of `id` for `key`'s server (it runs when io_ runs); its answer lands in the
  // slot returned.
  Answer& Read(const std::string& key, std::uint64_t id) {
    Answer& answer = *answers_.emplace_back(std::make_unique<Answer>());
    asio::co_spawn(
        io_,
        [this, key, id, &answer]() -> asio::awaitable<void> {
          answer = co_await batches_.Get(key, id, server_.Runner());
        },
        asio::detached);
    return answer;
  }

  asio::io_context io_;
  ReadBatches batches_;
  FakeServer server_;
  std::vector<std::unique_ptr<Answer>> answers_;
};

TEST_F(ReadBatchesTest, ReadsOfOneTurnShareOneQueryAndEachGetsItsRow) {
  Answer& a = Read("db-02", 7);
  Answer& b = Read("db-02", 5);
  Answer& c = Read("db-02", 7);
  io_.run();
  ASSERT_EQ(server_.calls.size(), 1u);
  EXPECT_EQ(server_.calls[0], (std::vector<std::uint64_t>{5, 7}));  // distinct ids, once each
  ASSERT_TRUE(a && a->ok() && **a);
  ASSERT_TRUE(b && b->ok() && **b);
  ASSERT_TRUE(c && c->ok() && **c);
  EXPECT_EQ((**a)->id, 7u);
  EXPECT_EQ((**b)->id, 5u);
  EXPECT_EQ((**c)->body, "body 7");
}

TEST_F(ReadBatchesTest, AnIdWithNoRowIsNotFoundWhileTheOthersAreServed) {
  Answer& found = Read("db-02", 3);
  Answer& missing = Read("db-02", 404);
  io_.run();
  ASSERT_EQ(server_.calls.size(), 1u);
  ASSERT_TRUE(found && found->ok() && **found);
  ASSERT_TRUE(missing && missing->ok());
  EXPECT_FALSE(**missing);
}

TEST_F(ReadBatchesTest, TheBatchErrorReachesEveryRead) {
  server_.reply = [](const std::vector<std::uint64_t>&) {
    return std::optional<Result<ReadBatches::Rows>>(Error{2013, "Lost connection"});
  };
  Answer& a = Read("db-02", 1);
  Answer& b = Read("db-02", 2);
  io_.run();
  ASSERT_TRUE(a && b);
  ASSERT_FALSE(a->ok());
  ASSERT_FALSE(b->ok());
  EXPECT_EQ(a->error().code, 2013);
  EXPECT_EQ(b->error().code, 2013);
}

TEST_F(ReadBatchesTest, ABatchThatCouldNotRunLeavesEveryReadToTheOtherPath) {
  server_.reply = [](const std::vector<std::uint64_t>&) { return std::optional<Result<ReadBatches::Rows>>(); };
  Answer& a = Read("db-02", 1);
  Answer& b = Read("db-02", 2);
  a.emplace(Error{1, "not cleared"});  // set, so that the reads must clear them
  b.emplace(Error{1, "not cleared"});
  io_.run();
  EXPECT_FALSE(a.has_value());
  EXPECT_FALSE(b.has_value());
}

TEST_F(ReadBatchesTest, EachServerHasItsOwnBatch) {
  Answer& a = Read("db-02", 1);
  Answer& b = Read("db-03", 2);
  io_.run();
  ASSERT_EQ(server_.calls.size(), 2u);
  EXPECT_EQ(server_.calls[0], std::vector<std::uint64_t>{1});
  EXPECT_EQ(server_.calls[1], std::vector<std::uint64_t>{2});
  EXPECT_TRUE(a && a->ok() && **a);
  EXPECT_TRUE(b && b->ok() && **b);
}

// A read that starts while the turn's batch is already running does not wait for it to
// finish: it opens a batch of its own.
TEST_F(ReadBatchesTest, AReadAfterTheBatchLeftStartsAnother) {
  Answer& first = Read("db-02", 1);
  while (server_.calls.empty()) io_.run_one();  // the first batch has left (its query is out)
  Answer& later = Read("db-02", 2);
  io_.run();
  ASSERT_EQ(server_.calls.size(), 2u);
  EXPECT_EQ(server_.calls[1], std::vector<std::uint64_t>{2});
  EXPECT_TRUE(first && first->ok() && **first);
  EXPECT_TRUE(later && later->ok() && **later);
}

TEST_F(ReadBatchesTest, ATurnWithMoreReadsThanOneQueryCarriesRunsMoreBatches) {
  std::vector<Answer*> answers;
  for (std::uint64_t id = 1; id <= ReadBatches::kMaxBatch + 1; ++id) answers.push_back(&Read("db-02", id));
  io_.run();
  ASSERT_EQ(server_.calls.size(), 2u);
  EXPECT_EQ(server_.calls[0].size(), ReadBatches::kMaxBatch);
  EXPECT_EQ(server_.calls[1], std::vector<std::uint64_t>{ReadBatches::kMaxBatch + 1});
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const Answer& answer = *answers[i];
    ASSERT_TRUE(answer && answer->ok() && answer->value().has_value()) << i;
    EXPECT_EQ(answer->value()->id, i + 1);
  }
}

// Reads that come while kMaxRunning batches are out, one per turn, wait together and go out
// as one batch when a running one comes back.
TEST_F(ReadBatchesTest, ReadsThatFindEveryPlaceTakenWaitAndGoOutTogether) {
  server_.held = std::make_unique<asio::steady_timer>(io_, asio::steady_timer::time_point::max());
  std::vector<Answer*> answers;
  for (std::uint64_t id = 1; id <= ReadBatches::kMaxRunning; ++id) {
    answers.push_back(&Read("db-02", id));
    while (server_.calls.size() < id) ASSERT_GT(io_.poll_one(), 0u) << "batch " << id << " never went out";
  }
  for (std::uint64_t id = 100; id < 103; ++id) {
    answers.push_back(&Read("db-02", id));
    io_.poll();  // a turn of its own
  }
  EXPECT_EQ(server_.calls.size(), static_cast<std::size_t>(ReadBatches::kMaxRunning));
  server_.held->cancel();
  server_.held.reset();
  io_.run();
  ASSERT_EQ(server_.calls.size(), static_cast<std::size_t>(ReadBatches::kMaxRunning) + 1);
  EXPECT_EQ(server_.calls.back(), (std::vector<std::uint64_t>{100, 101, 102}));
  for (const Answer* answer : answers) EXPECT_TRUE(*answer && (*answer)->ok() && (*answer)->value().has_value());
}

// A failed batch fails the batches waiting behind it (they would go to the same failing server)
// and lets its place go: later reads go out at once.
TEST_F(ReadBatchesTest, AFailedBatchFailsTheWaitingOnesAndLetsItsPlaceGo) {
  server_.reply = [](const std::vector<std::uint64_t>&) {
    return std::optional<Result<ReadBatches::Rows>>(Error{2013, "Lost connection"});
  };
  server_.held = std::make_unique<asio::steady_timer>(io_, asio::steady_timer::time_point::max());
  std::vector<Answer*> answers;
  for (std::uint64_t id = 1; id <= ReadBatches::kMaxRunning + 2; ++id) {
    answers.push_back(&Read("db-02", id));
    io_.poll();  // a turn of its own
  }
  server_.held->cancel();
  server_.held.reset();
  io_.run();
  // The waiting batch (the last two reads) never went out.
  ASSERT_EQ(server_.calls.size(), static_cast<std::size_t>(ReadBatches::kMaxRunning));
  for (std::size_t i = 0; i < answers.size(); ++i) {
    ASSERT_TRUE(answers[i]->has_value()) << "read " << i + 1 << " was never answered";
    ASSERT_FALSE((*answers[i])->ok());
    EXPECT_EQ((*answers[i])->error().code, 2013);
  }
  io_.restart();
  Answer& later = Read("db-02", 7);  // every place is free again: this one goes out at once
  while (server_.calls.size() < static_cast<std::size_t>(ReadBatches::kMaxRunning) + 1) {
    ASSERT_GT(io_.poll_one(), 0u) << "the read after the failures never went out";
  }
  io_.run();
  EXPECT_TRUE(later.has_value());
}

}  // namespace
}  // namespace foobar::app
