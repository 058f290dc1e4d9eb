#include "app/log_batch.h"

#include <gtest/gtest.h>

#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace foobar::app {
namespace {

// Lines added in one turn of the loop come out together when the loop runs the flush, whole
// and in order; none is written before that.
TEST(LogBatchTest, LinesOfOneTurnAreWrittenTogetherWhenTheLoopRuns) {
  asio::io_context io;
  std::string before_run;
  testing::internal::CaptureStdout();
  asio::post(io, [&] {
    LogBatch& batch = LogBatch::ForThisThread();
    batch.Add(R"({"n":1})", io.get_executor());
    batch.Add(R"({"n":2})", io.get_executor());
    batch.Add(R"({"n":3})", io.get_executor());
  });
  io.run_one();  // the handler that added the lines; the flush is still queued
  std::fflush(stdout);
  before_run = testing::internal::GetCapturedStdout();
  testing::internal::CaptureStdout();
  io.run();
  const std::string after_run = testing::internal::GetCapturedStdout();
  EXPECT_EQ(before_run, "");
  EXPECT_EQ(after_run, "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
}

// A thread that ends with lines still queued (its loop stopped first) writes them as it exits.
TEST(LogBatchTest, LinesLeftAtThreadExitAreWritten) {
  testing::internal::CaptureStdout();
  std::thread([] {
    asio::io_context io;
    LogBatch::ForThisThread().Add("last words", io.get_executor());  // io never runs
  }).join();
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "last words\n");
}

}  // namespace
}  // namespace foobar::app
