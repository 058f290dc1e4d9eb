#include "app/router.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

using Kind = RouteMatch::Kind;

TEST(MatchRouteTest, FindsEveryRoute) {
  EXPECT_EQ(MatchRoute(Method::kGet, "/healthz").route, RouteId::kHealthz);
  EXPECT_EQ(MatchRoute(Method::kGet, "/readyz").route, RouteId::kReadyz);
  EXPECT_EQ(MatchRoute(Method::kGet, "/api/messages").route, RouteId::kListMessages);
  EXPECT_EQ(MatchRoute(Method::kPost, "/api/messages").route, RouteId::kCreateMessage);
  const auto get = MatchRoute(Method::kGet, "/api/messages/17");
  EXPECT_EQ(get.kind, Kind::kFound);
  EXPECT_EQ(get.route, RouteId::kGetMessage);
  EXPECT_EQ(get.id, "17");
}

TEST(MatchRouteTest, HeadWorksWhereGetDoes) {
  EXPECT_EQ(MatchRoute(Method::kHead, "/healthz").kind, Kind::kFound);
  EXPECT_EQ(MatchRoute(Method::kHead, "/api/messages").route, RouteId::kListMessages);
}

TEST(MatchRouteTest, NonNumericIdStillRoutesSoTheHandlerCanSay400) {
  const auto m = MatchRoute(Method::kGet, "/api/messages/abc");
  EXPECT_EQ(m.kind, Kind::kFound);
  EXPECT_EQ(m.id, "abc");
}

TEST(MatchRouteTest, UnknownPathsAre404) {
  for (const char* path :
       {"/", "/api", "/api/", "/api/unknown", "/api/messages/", "/api/messages/1/x",
        "/api/messagesx", "/healthz/", "/HEALTHZ", "/index.html", "", "*"}) {
    EXPECT_EQ(MatchRoute(Method::kGet, path).kind, Kind::kNotFound) << path;
    EXPECT_EQ(MatchRoute(Method::kPost, path).kind, Kind::kNotFound) << path;
  }
}

TEST(MatchRouteTest, WrongMethodIs405WithAllow) {
  auto m = MatchRoute(Method::kPost, "/healthz");
  EXPECT_EQ(m.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD");
  m = MatchRoute(Method::kOther, "/api/messages");
  EXPECT_EQ(m.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
  m = MatchRoute(Method::kPost, "/api/messages/5");
  EXPECT_EQ(m.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD");
  EXPECT_EQ(MatchRoute(Method::kOther, "/readyz").allow, "GET, HEAD");
}

TEST(MatchRouteTest, PatternLabelsTheRouteNotThePath) {
  EXPECT_EQ(RoutePattern(MatchRoute(Method::kGet, "/api/messages/17").pattern),
            "/api/messages/{id}");
  EXPECT_EQ(RoutePattern(MatchRoute(Method::kPost, "/api/messages").pattern), "/api/messages");
  // 405 still names the path's pattern; 404 is one "unmatched" label for every unknown path.
  EXPECT_EQ(RoutePattern(MatchRoute(Method::kPost, "/healthz").pattern), "/healthz");
  EXPECT_EQ(MatchRoute(Method::kGet, "/nope/1").pattern, kUnmatchedRoute);
  EXPECT_EQ(RoutePattern(kUnmatchedRoute), "unmatched");
}

}  // namespace
}  // namespace foobar::app
