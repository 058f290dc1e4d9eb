// One hop of a request's path through the stack, read from the structured (JSON) log line a
// service wrote for it: HAProxy's (load balancer), Nginx's access log (app server) and
// foobar-app's request log (app and database target). Pure parsing: tests feed it lines.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace foobar::ctl::trace {

struct TraceHop {
  std::string host;     // the lab host whose log holds the line
  std::string service;  // "haproxy" | "nginx" | "app"
  std::string time;     // as the service logged it
  int status = 0;
  double duration_ms = -1;  // the hop's own total time, -1 if the line has none
  // What the service says about the hop: HAProxy's backend/server and timers, Nginx's upstream
  // and times, the app's database target and server.
  nlohmann::ordered_json details = nlohmann::ordered_json::object();

  // One line for people: "lb-01  haproxy  200   5.0 ms  server app-01, Tw 0 Tc 0 Tr 4 ms".
  std::string Summary() const;
  nlohmann::ordered_json ToJson() const;
};

// The hop `line` describes if it is a request line of that service carrying exactly
// `request_id`; nullopt for any other line (start-up messages, other requests, garbage).
std::optional<TraceHop> ParseHaproxyHop(std::string_view line, std::string_view request_id);
std::optional<TraceHop> ParseNginxHop(std::string_view line, std::string_view request_id);
std::optional<TraceHop> ParseAppHop(std::string_view line, std::string_view request_id);

// The parser for the log of `service`, or nullptr if that service's log is not traced.
using HopParser = std::optional<TraceHop> (*)(std::string_view, std::string_view);
HopParser HopParserFor(std::string_view service);

}  // namespace foobar::ctl::trace
