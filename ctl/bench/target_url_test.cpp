#include "ctl/bench/target_url.h"

#include <gtest/gtest.h>

namespace foobar::ctl::bench {
namespace {

TEST(BenchTargetUrl, SchemesPortsAndTargets) {
  auto a = ParseTargetUrl("http://127.0.0.1:8080/api/messages?limit=20");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->tls);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  EXPECT_EQ(a->target, "/api/messages?limit=20");
  auto b = ParseTargetUrl("https://www.foobar.com");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->tls);
  EXPECT_EQ(b->port, 443);
  EXPECT_EQ(b->target, "/");
  auto c = ParseTargetUrl("http://www.foobar.com?x=1");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->target, "/?x=1");
}

TEST(BenchTargetUrl, RejectsWhatIsNotAnHttpUrl) {
  EXPECT_FALSE(ParseTargetUrl("ftp://x/"));
  EXPECT_FALSE(ParseTargetUrl("http://"));
  EXPECT_FALSE(ParseTargetUrl("http://x:99999/"));
  EXPECT_FALSE(ParseTargetUrl("http://x:port/"));
}

}  // namespace
}  // namespace foobar::ctl::bench
