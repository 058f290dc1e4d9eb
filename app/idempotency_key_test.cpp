#include "app/idempotency_key.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

TEST(IdempotencyKeyTest, AbsentMeansNoKey) {
  const auto key = ParseIdempotencyKey({});
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(key->has_value());
}

TEST(IdempotencyKeyTest, AcceptsOneToOneHundredTwentyEightPrintableCharacters) {
  for (const std::string& text :
       {std::string("k"), std::string("3f1c2a9e-7b1d-4c3e-9a52-0c6f1e2d3b4a"),
        std::string(128, 'x'), std::string("with space and ~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./")}) {
    const auto key = ParseIdempotencyKey({text});
    ASSERT_TRUE(key.ok()) << text;
    EXPECT_EQ(**key, text);
  }
}

TEST(IdempotencyKeyTest, RejectsEmptyLongAndNonPrintable) {
  for (const std::string& text :
       {std::string(), std::string(129, 'x'), std::string("tab\there"), std::string("nl\n"),
        std::string("del\x7f"), std::string("nul\0x", 5), std::string("caf\xc3\xa9")}) {
    const auto key = ParseIdempotencyKey({text});
    ASSERT_FALSE(key.ok()) << text;
    EXPECT_EQ(key.error().code, 400);
    EXPECT_EQ(key.error().message, "Idempotency-Key must be 1-128 printable ASCII characters");
  }
}

TEST(IdempotencyKeyTest, RejectsARepeatedHeader) {
  const auto key = ParseIdempotencyKey({"a", "a"});
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().message, "Idempotency-Key must be sent once");
}

}  // namespace
}  // namespace foobar::app
