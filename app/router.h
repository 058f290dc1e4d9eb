// Maps (method, path) to a route: found, 404 (unknown path) or 405 (known path, other
// method, with the Allow value to send). HEAD is accepted wherever GET is.
#pragma once

#include <cstddef>
#include <string_view>

#include "app/api_types.h"

namespace foobar::app {

enum class RouteId { kHealthz, kReadyz, kListMessages, kCreateMessage, kGetMessage };

// The routing table's path patterns, plus one for paths that match none.
inline constexpr std::size_t kRoutePatterns = 5;
inline constexpr std::size_t kUnmatchedRoute = kRoutePatterns - 1;

// "/healthz", ..., "/api/messages/{id}"; "unmatched" for kUnmatchedRoute.
std::string_view RoutePattern(std::size_t index);

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };

  Kind kind = Kind::kNotFound;
  RouteId route = RouteId::kHealthz;  // meaningful when kFound
  std::string_view id;                // the {id} path segment of kGetMessage
  std::string_view allow;             // the Allow header value when kMethodNotAllowed
  // The matched path pattern ("/api/messages/{id}"), found or 405, as an index for
  // RoutePattern(); kUnmatchedRoute for a 404. Metrics label requests by it, never by the raw
  // path, so their number of series stays bounded.
  std::size_t pattern = kUnmatchedRoute;
};

// `path` is the target's path without query. No percent-decoding: the API's paths are
// plain ASCII, so an encoded path simply does not match (or is a non-numeric id).
RouteMatch MatchRoute(Method method, std::string_view path);

}  // namespace foobar::app
