// The access log: one JSON line per request with the fields operators and tests rely on.
// Request bodies and query strings are never logged.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace foobar::app {

struct RequestLogRecord {
  std::chrono::system_clock::time_point time;  // when the response was written
  std::string_view host;                       // our host_name
  std::string_view method;                     // empty when the request did not parse
  std::string_view path;                       // target without query; empty if unparsed
  int status = 0;
  double duration_ms = 0;  // first request byte to response written
  std::size_t bytes_out = 0;
  std::string_view remote;                     // peer address
  std::optional<std::string_view> request_id;  // X-Request-ID, if sent
  // The database that answered (request_trace.h); empty when none was asked.
  std::string_view db_target;    // "primary" | "replica"
  std::string_view db_server;    // ADDR:PORT
  std::string_view db_fallback;  // why the primary served a read meant for a replica
};

// Longer X-Request-ID values are cut: a client must not be able to bloat the log.
inline constexpr std::size_t kMaxLoggedRequestId = 128;

std::string FormatRequestLog(const RequestLogRecord& record);

}  // namespace foobar::app
