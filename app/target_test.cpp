#include "app/target.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

TEST(SplitTargetTest, SplitsPathAndQuery) {
  auto t = SplitTarget("/api/messages?limit=5");
  EXPECT_EQ(t.path, "/api/messages");
  EXPECT_EQ(t.query, "limit=5");
  t = SplitTarget("/healthz");
  EXPECT_EQ(t.path, "/healthz");
  EXPECT_EQ(t.query, "");
  t = SplitTarget("/a?x=1#frag");
  EXPECT_EQ(t.path, "/a");
  EXPECT_EQ(t.query, "x=1");
  t = SplitTarget("/a?");
  EXPECT_EQ(t.path, "/a");
  EXPECT_EQ(t.query, "");
}

TEST(QueryParamTest, FindsAndDecodes) {
  EXPECT_EQ(*QueryParam("limit=5", "limit"), std::optional<std::string>("5"));
  EXPECT_EQ(*QueryParam("a=1&limit=%31%30&b", "limit"), std::optional<std::string>("10"));
  EXPECT_EQ(*QueryParam("q=a+b", "q"), std::optional<std::string>("a b"));
  EXPECT_EQ(*QueryParam("limit", "limit"), std::optional<std::string>(""));
  EXPECT_EQ(*QueryParam("", "limit"), std::nullopt);
  EXPECT_EQ(*QueryParam("limits=5&xlimit=3", "limit"), std::nullopt);
}

TEST(QueryParamTest, RejectsDuplicatesAndBadEncoding) {
  EXPECT_FALSE(QueryParam("limit=1&limit=2", "limit").ok());
  EXPECT_FALSE(QueryParam("limit=%3", "limit").ok());
  EXPECT_FALSE(QueryParam("limit=%zz", "limit").ok());
  EXPECT_FALSE(QueryParam("limit=5%", "limit").ok());
}

TEST(ParseMessageIdTest, AcceptsPositiveIntegers) {
  EXPECT_EQ(*ParseMessageId("1"), 1u);
  EXPECT_EQ(*ParseMessageId("42"), 42u);
  EXPECT_EQ(*ParseMessageId("18446744073709551615"), 18446744073709551615u);
}

TEST(ParseMessageIdTest, RejectsEverythingElse) {
  for (const char* bad : {"0", "-1", "abc", "1e3", "", "18446744073709551616",
                          "99999999999999999999999", " 1", "1 ", "+1", "1.0", "0x10", "%31"}) {
    auto id = ParseMessageId(bad);
    EXPECT_FALSE(id.ok()) << bad;
    if (!id.ok()) {
      EXPECT_EQ(id.error().code, 400);
    }
  }
}

TEST(ParseLimitTest, DefaultsAndRange) {
  EXPECT_EQ(*ParseLimit(std::nullopt), 20);
  EXPECT_EQ(*ParseLimit("1"), 1);
  EXPECT_EQ(*ParseLimit("100"), 100);
  EXPECT_EQ(*ParseLimit("050"), 50);
  for (const char* bad :
       {"0", "101", "", "abc", "-5", "1e2", "5.0", "0005", " 5", "+5", "99999999999999999999"}) {
    EXPECT_FALSE(ParseLimit(std::string(bad)).ok()) << bad;
  }
}

}  // namespace
}  // namespace foobar::app
