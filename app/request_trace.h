// What a request did below HTTP, for its access-log line and `foobar trace`: which database
// target and server answered it, and whether a read fell back from a replica to the primary.
//
// How it reaches the store without threading a parameter through every handler: the HTTP
// session installs the request's trace on its thread (RequestTraceScope) right before it
// awaits the handler, and the store takes it (CurrentRequestTrace()) at its entry, before its
// first suspension. Asio starts an awaited coroutine at once on the same thread, and the
// handlers reach the store without suspending first (validation is synchronous), so what the
// store reads is the request being handled. Anything read after a suspension could belong to
// another request on the same thread: nothing reads it there. The trace lives in the session's
// frame, which waits for the store's jobs, so a worker thread may fill it (the job's completion
// is posted back to the session's thread, which orders the writes before the log line).
#pragma once

#include <string>

namespace foobar::app {

struct RequestTrace {
  std::string db_target;    // "primary" | "replica"; empty: no database job ran
  std::string db_server;    // ADDR:PORT of the server that ran the last job
  std::string db_fallback;  // "not_caught_up" | "replica_failed" when the primary served a read
                            // meant for a replica
};

// The trace of the request whose handler is starting on this thread, or nullptr.
RequestTrace* CurrentRequestTrace();

// Installs `trace` for this thread; the destructor uninstalls it if it is still the current
// one (a session's frame may end while another request's trace is installed).
class RequestTraceScope {
 public:
  explicit RequestTraceScope(RequestTrace* trace);
  ~RequestTraceScope();
  RequestTraceScope(const RequestTraceScope&) = delete;
  RequestTraceScope& operator=(const RequestTraceScope&) = delete;

 private:
  RequestTrace* trace_;
};

}  // namespace foobar::app
