// Hop parsing. A line is matched on the request id first (a cheap substring test), then parsed
// as JSON from its first '{' (HAProxy's stdout log has no prefix today, but a syslog-style one
// would not break this). Fields missing from a line are simply left out of the details.
#include "ctl/trace/trace_hop.h"

#include <fmt/format.h>

namespace foobar::ctl::trace {
namespace {

using Json = nlohmann::ordered_json;

// The line's JSON object if it carries `request_id` in "request_id", else a discarded value.
Json RequestLine(std::string_view line, std::string_view request_id) {
  if (request_id.empty() || line.find(request_id) == std::string_view::npos) return Json(Json::value_t::discarded);
  const auto brace = line.find('{');
  if (brace == std::string_view::npos) return Json(Json::value_t::discarded);
  Json json = Json::parse(line.substr(brace), nullptr, false);
  if (!json.is_object()) return Json(Json::value_t::discarded);
  const auto id = json.find("request_id");
  if (id == json.end() || !id->is_string() || id->get<std::string>() != request_id) {
    return Json(Json::value_t::discarded);
  }
  return json;
}

// Copies `key` from `from` to `to` when present.
void Copy(const Json& from, Json& to, const char* key) {
  if (const auto it = from.find(key); it != from.end() && !it->is_null()) to[key] = *it;
}

int IntOf(const Json& json, const char* key) {
  const auto it = json.find(key);
  return it != json.end() && it->is_number() ? it->get<int>() : 0;
}

double NumberOf(const Json& json, const char* key, double fallback) {
  const auto it = json.find(key);
  return it != json.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string StringOf(const Json& json, const char* key) {
  const auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : "";
}

// Nginx writes seconds as "0.004", and several comma-separated values when it tried several
// upstreams; "-" when there was none. Returns the sum in ms, or -1.
double NginxSecondsToMs(const std::string& text) {
  double total = 0;
  bool any = false;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find_first_of(",:", at);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(at, end - at);
    try {
      std::size_t used = 0;
      const double value = std::stod(part, &used);
      if (used > 0) {
        total += value;
        any = true;
      }
    } catch (const std::exception&) {
      // "-" or empty: no upstream time for this attempt
    }
    at = end + 1;
  }
  return any ? total * 1000.0 : -1;
}

}  // namespace

std::optional<TraceHop> ParseHaproxyHop(std::string_view line, std::string_view request_id) {
  const Json json = RequestLine(line, request_id);
  if (json.is_discarded()) return std::nullopt;
  TraceHop hop;
  hop.service = "haproxy";
  hop.time = StringOf(json, "time");
  hop.status = IntOf(json, "status");
  hop.duration_ms = NumberOf(json, "Ta", -1);
  for (const char* key : {"method", "uri", "frontend", "backend", "server", "TR", "Tw", "Tc", "Tr",
                          "Ta", "retries", "termination"}) {
    Copy(json, hop.details, key);
  }
  return hop;
}

std::optional<TraceHop> ParseNginxHop(std::string_view line, std::string_view request_id) {
  const Json json = RequestLine(line, request_id);
  if (json.is_discarded()) return std::nullopt;
  TraceHop hop;
  hop.service = "nginx";
  hop.time = StringOf(json, "time");
  hop.status = IntOf(json, "status");
  const double request_s = NumberOf(json, "request_time", -1);
  hop.duration_ms = request_s < 0 ? -1 : request_s * 1000.0;
  Copy(json, hop.details, "request");
  Copy(json, hop.details, "upstream_addr");
  Copy(json, hop.details, "upstream_status");
  const double upstream_ms = NginxSecondsToMs(StringOf(json, "upstream_response_time"));
  if (upstream_ms >= 0) hop.details["upstream_response_ms"] = upstream_ms;
  return hop;
}

std::optional<TraceHop> ParseAppHop(std::string_view line, std::string_view request_id) {
  const Json json = RequestLine(line, request_id);
  if (json.is_discarded()) return std::nullopt;
  TraceHop hop;
  hop.service = "app";
  hop.time = StringOf(json, "ts");
  hop.status = IntOf(json, "status");
  hop.duration_ms = NumberOf(json, "duration_ms", -1);
  for (const char* key : {"method", "path", "db_target", "db_server", "db_fallback"}) {
    Copy(json, hop.details, key);
  }
  return hop;
}

HopParser HopParserFor(std::string_view service) {
  if (service == "haproxy") return &ParseHaproxyHop;
  if (service == "nginx") return &ParseNginxHop;
  if (service == "app") return &ParseAppHop;
  return nullptr;
}

std::string TraceHop::Summary() const {
  std::string what;
  auto add = [&](const std::string& text) { what += (what.empty() ? "" : ", ") + text; };
  auto text_of = [&](const char* key) {
    const auto it = details.find(key);
    if (it == details.end()) return std::string();
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  if (service == "haproxy") {
    add(fmt::format("{} {}", text_of("method"), text_of("uri")));
    add("backend " + text_of("backend") + "/" + text_of("server"));
    add(fmt::format("TR {} Tw {} Tc {} Tr {} Ta {} ms", text_of("TR"), text_of("Tw"), text_of("Tc"),
                    text_of("Tr"), text_of("Ta")));
    if (const std::string retries = text_of("retries"); !retries.empty() && retries != "0") {
      add("retries " + retries);
    }
  } else if (service == "nginx") {
    add(text_of("request"));
    std::string upstream = "upstream " + text_of("upstream_addr");
    if (details.contains("upstream_response_ms")) {
      upstream += fmt::format(" in {:.1f} ms", details["upstream_response_ms"].get<double>());
    }
    add(upstream);
  } else if (service == "app") {
    add(fmt::format("{} {}", text_of("method"), text_of("path")));
    const std::string target = text_of("db_target");
    add(target.empty() ? "no database" : "db " + target + " " + text_of("db_server"));
    if (const std::string fallback = text_of("db_fallback"); !fallback.empty()) {
      add("fell back to the primary: " + fallback);
    }
  }
  const std::string duration = duration_ms < 0 ? "-" : fmt::format("{:.1f} ms", duration_ms);
  return fmt::format("{:<8} {:<8} {:>3} {:>10}  {}", host, service, status, duration, what);
}

Json TraceHop::ToJson() const {
  Json json = {{"host", host}, {"service", service}, {"time", time}, {"status", status}};
  json["duration_ms"] = duration_ms < 0 ? Json(nullptr) : Json(duration_ms);
  json["details"] = details;
  return json;
}

}  // namespace foobar::ctl::trace
