// Access-log formatting. Strings from the client (path, request id) may hold any bytes;
// the replace handler keeps the line valid JSON instead of throwing.
#include "app/request_log.h"

#include <cmath>
#include <iterator>

#include <fmt/compile.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/time_format.h"

namespace foobar::app {

namespace {

// True when `text` can stand between quotes as it is: printable ASCII, no quote or backslash
// (the usual case: paths, addresses, ids).
bool NeedsNoEscaping(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

// A JSON string (or null when empty). nlohmann escapes the rest: invalid UTF-8 becomes U+FFFD.
void AppendString(fmt::memory_buffer& out, std::string_view text) {
  if (text.empty()) {
    fmt::format_to(std::back_inserter(out), "null");
    return;
  }
  if (NeedsNoEscaping(text)) {
    out.push_back('"');
    out.append(text.data(), text.data() + text.size());
    out.push_back('"');
    return;
  }
  const std::string quoted =
      nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.append(quoted.data(), quoted.data() + quoted.size());
}

}  // namespace

// Formatted directly rather than built as a JSON object and dumped: perf put that object's
// allocations at ~10% of the app's CPU for /healthz. Only the strings go through nlohmann.
std::string FormatRequestLog(const RequestLogRecord& r) {
  fmt::memory_buffer out;
  auto field = [&out](const char* name, std::string_view text) {
    fmt::format_to(std::back_inserter(out), FMT_COMPILE(",\"{}\":"), name);
    AppendString(out, text);
  };
  fmt::format_to(std::back_inserter(out), FMT_COMPILE("{{\"ts\":\"{}\""), FormatIsoUtc(r.time));
  field("host", r.host);
  field("method", r.method);
  field("path", r.path);
  // Three decimals (microseconds) is all the precision the clock reading deserves.
  const double duration = std::round(r.duration_ms * 1000.0) / 1000.0;
  fmt::format_to(std::back_inserter(out), FMT_COMPILE(",\"status\":{},\"duration_ms\":{},\"bytes_out\":{}"), r.status,
                 duration, r.bytes_out);
  field("remote", r.remote);
  field("request_id", r.request_id ? r.request_id->substr(0, kMaxLoggedRequestId) : std::string_view());
  field("db_target", r.db_target);
  field("db_server", r.db_server);
  if (!r.db_fallback.empty()) field("db_fallback", r.db_fallback);
  out.push_back('}');
  return fmt::to_string(out);
}

}  // namespace foobar::app
