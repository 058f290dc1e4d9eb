// Bookkeeping for graceful drain.
//  - ConnectionRegistry: the sessions of ONE io_context, so a drain can close the idle
//    ones. Used only from that io_context's thread, hence no locking.
//  - LiveConnections: the process-wide count of sessions, which the drain waits on.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <unordered_set>

namespace foobar::app {

class ConnectionRegistry {
 public:
  struct Slot {
    bool idle = false;           // waiting for the first byte of a request
    std::function<void()> stop;  // cancels the session's pending read
  };

  void Add(Slot* slot) { slots_.insert(slot); }
  void Remove(Slot* slot) { slots_.erase(slot); }

  // Stops every idle session; sessions that are busy see draining() and answer their
  // current request with Connection: close.
  void Drain();
  bool draining() const { return draining_; }
  std::size_t size() const { return slots_.size(); }

 private:
  std::unordered_set<Slot*> slots_;
  bool draining_ = false;
};

class LiveConnections {
 public:
  void Add();
  void Remove();
  int count() const;
  // True once the count is zero and Close() was called; false at `deadline`.
  bool WaitIdle(std::chrono::steady_clock::time_point deadline);
  // Marks that no more connections will be added (the acceptor is closed).
  void Close();

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  int count_ = 0;        // guarded by mutex_
  bool closed_ = false;  // guarded by mutex_
};

}  // namespace foobar::app
