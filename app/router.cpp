// Routing table. Four paths do not need a trie; a table keeps Allow values next to the
// routes they describe.
#include "app/router.h"

#include <array>
#include <optional>

namespace foobar::app {
namespace {

constexpr std::string_view kMessagesPath = "/api/messages";

struct PathRoutes {
  std::string_view path;  // "{id}" stands for one non-empty segment
  std::optional<RouteId> get;
  std::optional<RouteId> post;
  std::string_view allow;
};

constexpr std::array<PathRoutes, kRoutePatterns - 1> kTable = {{
    {"/healthz", RouteId::kHealthz, std::nullopt, "GET, HEAD"},
    {"/readyz", RouteId::kReadyz, std::nullopt, "GET, HEAD"},
    {kMessagesPath, RouteId::kListMessages, RouteId::kCreateMessage, "GET, HEAD, POST"},
    {"/api/messages/{id}", RouteId::kGetMessage, std::nullopt, "GET, HEAD"},
}};

// Matches `path` against a table pattern; sets `id` for the {id} pattern.
bool PathMatches(std::string_view pattern, std::string_view path, std::string_view& id) {
  constexpr std::string_view kIdSuffix = "/{id}";
  if (pattern.size() > kIdSuffix.size() &&
      pattern.substr(pattern.size() - kIdSuffix.size()) == kIdSuffix) {
    const auto prefix = pattern.substr(0, pattern.size() - kIdSuffix.size() + 1);  // keeps '/'
    if (path.size() <= prefix.size() || path.substr(0, prefix.size()) != prefix) return false;
    const auto segment = path.substr(prefix.size());
    if (segment.find('/') != std::string_view::npos) return false;
    id = segment;
    return true;
  }
  return pattern == path;
}

}  // namespace

std::string_view RoutePattern(std::size_t index) {
  return index < kTable.size() ? kTable[index].path : "unmatched";
}

RouteMatch MatchRoute(Method method, std::string_view path) {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    const auto& entry = kTable[i];
    std::string_view id;
    if (!PathMatches(entry.path, path, id)) continue;
    std::optional<RouteId> route;
    if (method == Method::kGet || method == Method::kHead) route = entry.get;
    if (method == Method::kPost) route = entry.post;
    if (!route) return RouteMatch{RouteMatch::Kind::kMethodNotAllowed, {}, {}, entry.allow, i};
    return RouteMatch{RouteMatch::Kind::kFound, *route, id, {}, i};
  }
  return RouteMatch{};
}

}  // namespace foobar::app
