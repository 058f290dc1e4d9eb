#include "app/gtid.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

TEST(GtidTest, ParsesDomainServerSeq) {
  EXPECT_EQ(ParseGtid("0-287-19"), (Gtid{0, 287, 19}));
  EXPECT_EQ(ParseGtid("4294967295-4294967295-18446744073709551615"),
            (Gtid{4294967295u, 4294967295u, 18446744073709551615ull}));
  EXPECT_EQ(ParseGtid("00-1-2"), (Gtid{0, 1, 2}));
}

TEST(GtidTest, RejectsAnythingElse) {
  for (const char* text : {"",
                           "-",
                           "--",
                           "0-1",
                           "0-1-",
                           "-1-2",
                           "0--2",
                           "0-1-2-3",
                           "0-1-2,1-2-3",
                           " 0-1-2",
                           "0-1-2 ",
                           "+0-1-2",
                           "0-+1-2",
                           "0-1-0x2",
                           "a-b-c",
                           "0-1-2;",
                           "4294967296-1-2",
                           "0-4294967296-2",
                           "0-1-18446744073709551616",
                           "0-1-000000000000000000001",
                           "0-1-2\n",
                           "0-1-２"}) {
    EXPECT_FALSE(ParseGtid(text).has_value()) << "'" << text << "'";
  }
}

TEST(GtidTest, FormatsBack) {
  EXPECT_EQ(FormatGtid(Gtid{0, 287, 19}), "0-287-19");
  EXPECT_EQ(ParseGtid(FormatGtid(Gtid{7, 8, 9})), (Gtid{7, 8, 9}));
}

}  // namespace
}  // namespace foobar::app
