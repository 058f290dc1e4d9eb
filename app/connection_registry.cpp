// Drain bookkeeping. Drain() copies the idle slots first: stopping a session can run its
// cleanup later, but never re-enter this loop, yet copying keeps the loop obviously safe.
#include "app/connection_registry.h"

#include <vector>

namespace foobar::app {

void ConnectionRegistry::Drain() {
  draining_ = true;
  std::vector<Slot*> idle;
  for (Slot* slot : slots_) {
    if (slot->idle) idle.push_back(slot);
  }
  for (Slot* slot : idle) {
    if (slot->stop) slot->stop();
  }
}

void LiveConnections::Add() {
  std::lock_guard lock(mutex_);
  ++count_;
}

void LiveConnections::Remove() {
  bool notify = false;
  {
    std::lock_guard lock(mutex_);
    notify = --count_ == 0;
  }
  if (notify) cv_.notify_all();
}

int LiveConnections::count() const {
  std::lock_guard lock(mutex_);
  return count_;
}

bool LiveConnections::WaitIdle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return cv_.wait_until(lock, deadline, [this] { return closed_ && count_ == 0; });
}

void LiveConnections::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  cv_.notify_all();
}

}  // namespace foobar::app
