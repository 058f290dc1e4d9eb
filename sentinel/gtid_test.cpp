#include "sentinel/gtid.h"

#include <gtest/gtest.h>

namespace foobar::sentinel {
namespace {

TEST(GtidTest, ParsesMariadbLists) {
  const auto empty = ParseGtidPosition("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->domains.empty());
  const auto two = ParseGtidPosition("0-31-1042,1-32-7");
  ASSERT_TRUE(two);
  ASSERT_EQ(two->domains.size(), 2u);
  EXPECT_EQ(two->domains.at(0).server_id, 31u);
  EXPECT_EQ(two->domains.at(0).sequence, 1042u);
  EXPECT_EQ(two->domains.at(1).sequence, 7u);
  EXPECT_EQ(two->ToString(), "0-31-1042,1-32-7");
  EXPECT_EQ(two->TotalSequence(), 1049u);
}

TEST(GtidTest, RejectsMalformedLists) {
  for (const char* bad : {"0-31", "a-1-2", "0-1-2,", "0-1-2,0-1-3", "0--2", "-1-1-1"})
    EXPECT_FALSE(ParseGtidPosition(bad)) << bad;
}

TEST(GtidTest, ContainsComparesSequencesPerDomain) {
  EXPECT_TRUE(GtidContains("0-31-10", "0-31-10"));
  EXPECT_TRUE(GtidContains("0-32-11", "0-31-10"));  // the server id does not matter
  EXPECT_FALSE(GtidContains("0-31-9", "0-31-10"));
  EXPECT_TRUE(GtidContains("0-31-10", ""));
  EXPECT_FALSE(GtidContains("", "0-31-1"));
  EXPECT_FALSE(GtidContains("0-31-10", "1-31-1"));
  EXPECT_TRUE(GtidContains("0-31-10,1-31-1", "1-31-1"));
  EXPECT_FALSE(GtidContains("garbage", ""));
}

}  // namespace
}  // namespace foobar::sentinel
