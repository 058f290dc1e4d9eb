#include "app/read_batches.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace foobar::app {
namespace {

using Answer = std::optional<Result<std::optional<Message>>>;

Message MessageWithId(std::uint64_t id) { return Message{id, "author", "body " + std::to_string(id), "t"}; }

// A batch runner that records each call's ids and answers with `reply(ids)` after one yield,
// as a query's round trip would.
struct FakeServer {
  std::vector<std::vector<std::uint64_t>> calls;
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
      co_return reply(ids);
    };
  }
};

// Starts a read of `id` on `io` (it runs when io runs) that stores its answer in `answer`.
void StartRead(asio::io_context& io, ReadBatches& batches, FakeServer& server, const std::string& key,
               std::uint64_t id, Answer& answer) {
  asio::co_spawn(
      io,
      [&batches, &server, key, id, &answer]() -> asio::awaitable<void> {
        answer = co_await batches.Get(key, id, server.Runner());
      },
      asio::detached);
}

TEST(ReadBatchesTest, ReadsOfOneTurnShareOneQueryAndEachGetsItsRow) {
  asio::io_context io;
  ReadBatches batches;
  FakeServer server;
  Answer a, b, c;
  StartRead(io, batches, server, "db-02", 7, a);
  StartRead(io, batches, server, "db-02", 5, b);
  StartRead(io, batches, server, "db-02", 7, c);
  io.run();
  ASSERT_EQ(server.calls.size(), 1u);
  EXPECT_EQ(server.calls[0], (std::vector<std::uint64_t>{5, 7}));  // distinct ids, once each
  ASSERT_TRUE(a && a->ok() && **a);
  ASSERT_TRUE(b && b->ok() && **b);
  ASSERT_TRUE(c && c->ok() && **c);
  EXPECT_EQ((**a)->id, 7u);
  EXPECT_EQ((**b)->id, 5u);
  EXPECT_EQ((**c)->body, "body 7");
}

TEST(ReadBatchesTest, AnIdWithNoRowIsNotFoundWhileTheOthersAreServed) {
  asio::io_context io;
  ReadBatches batches;
  FakeServer server;
  Answer found, missing;
  StartRead(io, batches, server, "db-02", 3, found);
  StartRead(io, batches, server, "db-02", 404, missing);
  io.run();
  ASSERT_EQ(server.calls.size(), 1u);
  ASSERT_TRUE(found && found->ok() && **found);
  ASSERT_TRUE(missing && missing->ok());
  EXPECT_FALSE(**missing);
}

TEST(ReadBatchesTest, TheBatchErrorReachesEveryRead) {
  asio::io_context io;
  ReadBatches batches;
  FakeServer server;
  server.reply = [](const std::vector<std::uint64_t>&) {
    return std::optional<Result<ReadBatches::Rows>>(Error{2013, "Lost connection"});
  };
  Answer a, b;
  StartRead(io, batches, server, "db-02", 1, a);
  StartRead(io, batches, server, "db-02", 2, b);
  io.run();
  ASSERT_TRUE(a && b);
  ASSERT_FALSE(a->ok());
  ASSERT_FALSE(b->ok());
  EXPECT_EQ(a->error().code, 2013);
  EXPECT_EQ(b->error().code, 2013);
}

TEST(ReadBatchesTest, ABatchThatCouldNotRunLeavesEveryReadToTheOtherPath) {
  asio::io_context io;
  ReadBatches batches;
  FakeServer server;
  server.reply = [](const std::vector<std::uint64_t>&) { return std::optional<Result<ReadBatches::Rows>>(); };
  Answer a = Answer(std::optional<Message>()), b = Answer(std::optional<Message>());
  StartRead(io, batches, server, "db-02", 1, a);
  StartRead(io, batches, server, "db-02", 2, b);
  io.run();
  EXPECT_FALSE(a.has_value());
  EXPECT_FALSE(b.has_value());
}

TEST(ReadBatchesTest, EachServerHasItsOwnBatch) {
  asio::io_context io;
  ReadBatches batches;
  FakeServer server;
  Answer a, b;
  StartRead(io, batches, server, "db-02", 1, a);
  StartRead(io, batches, server, "db-03", 2, b);
  io.run();
  ASSERT_EQ(server.calls.size(), 2u);
  EXPECT_EQ(server.calls[0], std::vector<std::uint64_t>{1});
  EXPECT_EQ(server.calls[1], std::vector<std::uint64_t>{2});
  EXPECT_TRUE(a && a->ok() && **a);
  EXPECT_TRUE(b && b->ok() && **b);
}

// A read that starts while the turn's batch is already running does not wait for it to
// finish: it opens a batch of its own.
TEST(ReadBatchesTest, AReadAfterTheBatchLeftStartsAnother) {
  asio::io_context io;
  ReadBatches batches;
  FakeServer server;
  Answer first, later;
  StartRead(io, batches, server, "db-02", 1, first);
  while (server.calls.empty()) io.run_one();  // the first batch has left (its query is out)
  StartRead(io, batches, server, "db-02", 2, later);
  io.run();
  ASSERT_EQ(server.calls.size(), 2u);
  EXPECT_EQ(server.calls[1], std::vector<std::uint64_t>{2});
  EXPECT_TRUE(first && first->ok() && **first);
  EXPECT_TRUE(later && later->ok() && **later);
}

TEST(ReadBatchesTest, ATurnWithMoreReadsThanOneQueryCarriesRunsMoreBatches) {
  asio::io_context io;
  ReadBatches batches;
  FakeServer server;
  std::vector<Answer> answers(ReadBatches::kMaxBatch + 1);
  for (std::size_t i = 0; i < answers.size(); ++i) StartRead(io, batches, server, "db-02", i + 1, answers[i]);
  io.run();
  ASSERT_EQ(server.calls.size(), 2u);
  EXPECT_EQ(server.calls[0].size(), ReadBatches::kMaxBatch);
  EXPECT_EQ(server.calls[1], std::vector<std::uint64_t>{ReadBatches::kMaxBatch + 1});
  for (std::size_t i = 0; i < answers.size(); ++i) {
    ASSERT_TRUE(answers[i] && answers[i]->ok() && answers[i]->value().has_value()) << i;
    EXPECT_EQ(answers[i]->value()->id, i + 1);
  }
}

}  // namespace
}  // namespace foobar::app
