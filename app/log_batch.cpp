#include "app/log_batch.h"

#include <boost/asio/post.hpp>

#include "app/json_log.h"

namespace foobar::app {

LogBatch& LogBatch::ForThisThread() {
  thread_local LogBatch batch;
  return batch;
}

LogBatch::~LogBatch() { Flush(); }

void LogBatch::Add(std::string_view line, const asio::any_io_executor& executor) {
  pending_.append(line);
  pending_.push_back('\n');
  if (flush_posted_) return;
  flush_posted_ = true;
  asio::post(executor, [this] { Flush(); });
}

void LogBatch::Flush() {
  flush_posted_ = false;
  if (pending_.empty()) return;
  WriteLogLines(pending_);
  pending_.clear();
}

}  // namespace foobar::app
