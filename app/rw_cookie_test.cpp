#include "app/rw_cookie.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

TEST(ReadYourWritesCookieTest, SetCookieHasTheAgreedShape) {
  EXPECT_EQ(ReadYourWritesSetCookie(Gtid{0, 287, 19}),
            "fb_rw=0-287-19; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
}

TEST(ReadYourWritesCookieTest, FindsTheCookieAmongOthers) {
  EXPECT_EQ(ReadYourWritesGtid("fb_rw=0-287-19"), (Gtid{0, 287, 19}));
  EXPECT_EQ(ReadYourWritesGtid("a=1; fb_rw=0-287-19; b=2"), (Gtid{0, 287, 19}));
  EXPECT_EQ(ReadYourWritesGtid("a=1;fb_rw=1-2-3"), (Gtid{1, 2, 3}));
  EXPECT_EQ(ReadYourWritesGtid("  fb_rw=1-2-3  ;"), (Gtid{1, 2, 3}));
}

TEST(ReadYourWritesCookieTest, RoundTrips) {
  const std::string set_cookie = ReadYourWritesSetCookie(Gtid{3, 4, 5});
  EXPECT_EQ(ReadYourWritesGtid(set_cookie.substr(0, set_cookie.find(';'))), (Gtid{3, 4, 5}));
}

TEST(ReadYourWritesCookieTest, IgnoresMalformedValues) {
  for (const char* header :
       {"", "fb_rw", "fb_rw=", "fb_rw=abc", "fb_rw=\"0-1-2\"", "fb_rw=0-1-2,0-1-3",
        "fb_rw=0-1-2'); DROP TABLE messages; --", "fb_rw=0-1", "fb_rw =0-1-2", "FB_RW=0-1-2",
        "xfb_rw=0-1-2", "fb_rwx=0-1-2", "fb_rw=0-1-99999999999999999999999"}) {
    EXPECT_FALSE(ReadYourWritesGtid(header).has_value()) << header;
  }
}

TEST(ReadYourWritesCookieTest, TakesTheFirstWellFormedOne) {
  EXPECT_EQ(ReadYourWritesGtid("fb_rw=bad; fb_rw=0-1-7"), (Gtid{0, 1, 7}));
  EXPECT_EQ(ReadYourWritesGtid("fb_rw=0-1-7; fb_rw=0-1-9"), (Gtid{0, 1, 7}));
}

}  // namespace
}  // namespace foobar::app
