#include "app/utf8.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

TEST(CountCodePointsTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("\xC3\xA9"), 1u);          // é
  EXPECT_EQ(CountCodePoints("\xE2\x82\xAC"), 1u);      // €
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80"), 1u);  // 😀
  EXPECT_EQ(CountCodePoints("a\xC3\xA9\xF0\x9F\x98\x80z"), 4u);
  EXPECT_EQ(CountCodePoints(std::string_view("\0", 1)), 1u);  // NUL is valid UTF-8
  EXPECT_EQ(CountCodePoints("\xF4\x8F\xBF\xBF"), 1u);         // U+10FFFF, the last one
}

TEST(CountCodePointsTest, RejectsMalformedInput) {
  EXPECT_FALSE(CountCodePoints("\x80"));              // lone continuation byte
  EXPECT_FALSE(CountCodePoints("\xC3"));              // truncated
  EXPECT_FALSE(CountCodePoints("\xE2\x82"));          // truncated
  EXPECT_FALSE(CountCodePoints("\xC0\x80"));          // overlong NUL
  EXPECT_FALSE(CountCodePoints("\xC1\xBF"));          // overlong
  EXPECT_FALSE(CountCodePoints("\xE0\x80\x80"));      // overlong 3-byte
  EXPECT_FALSE(CountCodePoints("\xF0\x80\x80\x80"));  // overlong 4-byte
  EXPECT_FALSE(CountCodePoints("\xED\xA0\x80"));      // U+D800 surrogate
  EXPECT_FALSE(CountCodePoints("\xED\xBF\xBF"));      // U+DFFF surrogate
  EXPECT_FALSE(CountCodePoints("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(CountCodePoints("\xF5\x80\x80\x80"));
  EXPECT_FALSE(CountCodePoints("\xFF"));
  EXPECT_FALSE(CountCodePoints("ok\xC3("));  // bad continuation after a good prefix
}

}  // namespace
}  // namespace foobar::app
