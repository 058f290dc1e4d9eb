// Access-log formatting. Strings from the client (path, request id) may hold any bytes;
// the replace handler keeps the line valid JSON instead of throwing.
#include "app/request_log.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "app/time_format.h"

namespace foobar::app {

std::string FormatRequestLog(const RequestLogRecord& r) {
  using Json = nlohmann::ordered_json;  // ts first: easier for people reading the log
  auto or_null = [](std::string_view text) { return text.empty() ? Json(nullptr) : Json(text); };
  Json request_id = nullptr;
  if (r.request_id) request_id = r.request_id->substr(0, kMaxLoggedRequestId);
  // Three decimals (microseconds) is all the precision the clock reading deserves.
  const double duration = std::round(r.duration_ms * 1000.0) / 1000.0;
  Json line = {
      {"ts", FormatIsoUtc(r.time)},  {"host", r.host},
      {"method", or_null(r.method)}, {"path", or_null(r.path)},
      {"status", r.status},          {"duration_ms", duration},
      {"bytes_out", r.bytes_out},    {"remote", or_null(r.remote)},
      {"request_id", request_id},    {"db_target", or_null(r.db_target)},
      {"db_server", or_null(r.db_server)},
  };
  if (!r.db_fallback.empty()) line["db_fallback"] = r.db_fallback;
  return line.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace foobar::app
