#include "app/validation.h"

#include <chrono>

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

std::string Repeat(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

std::string Body(const std::string& author, const std::string& body) {
  return R"({"author":")" + author + R"(","body":")" + body + R"("})";
}

std::string ErrorOf(std::string_view json) {
  auto result = ParseNewMessage(json);
  if (result.ok()) return "OK";
  EXPECT_EQ(result.error().code, 400);
  return result.error().message;
}

TEST(IsJsonContentTypeTest, AcceptsJsonWithParameters) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("application/json; charset=utf-8"));
  EXPECT_TRUE(IsJsonContentType("Application/JSON;charset=UTF-8"));
  EXPECT_TRUE(IsJsonContentType(" application/json "));
  EXPECT_FALSE(IsJsonContentType(""));
  EXPECT_FALSE(IsJsonContentType("text/plain"));
  EXPECT_FALSE(IsJsonContentType("application/jsonx"));
  EXPECT_FALSE(IsJsonContentType("application/x-www-form-urlencoded"));
  EXPECT_FALSE(IsJsonContentType("application/json-patch+json"));
}

TEST(ParseNewMessageTest, AcceptsAValidMessage) {
  auto m = ParseNewMessage(R"({"author":"ann","body":"hello\nworld"})");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->author, "ann");
  EXPECT_EQ(m->body, "hello\nworld");
  // Field order and escapes do not matter.
  m = ParseNewMessage(R"( {"body":"caf\u00e9 \ud83d\ude00","author":"b"} )");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->body, "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(ParseNewMessageTest, RejectsBadJsonAndNonObjects) {
  EXPECT_EQ(ErrorOf(""), "invalid JSON");
  EXPECT_EQ(ErrorOf("{"), "invalid JSON");
  EXPECT_EQ(ErrorOf(R"({"author":"a","body":"b"} trailing)"), "invalid JSON");
  EXPECT_EQ(ErrorOf(R"({"author":"a","body":"b",})"), "invalid JSON");
  EXPECT_EQ(ErrorOf("[]"), "request body must be a JSON object");
  EXPECT_EQ(ErrorOf(R"("text")"), "request body must be a JSON object");
  EXPECT_EQ(ErrorOf("42"), "request body must be a JSON object");
  EXPECT_EQ(ErrorOf("null"), "request body must be a JSON object");
}

TEST(ParseNewMessageTest, RejectsMissingUnknownAndDuplicateFields) {
  EXPECT_EQ(ErrorOf("{}"), "author is required");
  EXPECT_EQ(ErrorOf(R"({"author":"a"})"), "body is required");
  EXPECT_EQ(ErrorOf(R"({"body":"b"})"), "author is required");
  EXPECT_EQ(ErrorOf(R"({"author":"a","body":"b","id":7})"), "unknown field \"id\"");
  EXPECT_EQ(ErrorOf(R"({"author":"a","author":"b","body":"c"})"), "duplicate field \"author\"");
}

TEST(ParseNewMessageTest, RejectsWrongTypes) {
  for (const char* value : {"1", "1.5", "-1", "true", "null", "[]", "{}", R"(["a"])"}) {
    EXPECT_EQ(ErrorOf(std::string(R"({"author":)") + value + R"(,"body":"b"})"),
              "author must be a string")
        << value;
    EXPECT_EQ(ErrorOf(std::string(R"({"author":"a","body":)") + value + "}"),
              "body must be a string")
        << value;
  }
}

TEST(ParseNewMessageTest, CountsLengthsInCodePoints) {
  EXPECT_EQ(ErrorOf(Body("", "b")), "author must not be empty");
  EXPECT_EQ(ErrorOf(Body("a", "")), "body must not be empty");
  EXPECT_EQ(ErrorOf(Body(Repeat("a", 64), "b")), "OK");
  EXPECT_EQ(ErrorOf(Body(Repeat("a", 65), "b")), "author must be at most 64 characters");
  // 64 four-byte characters are 256 bytes but 64 characters.
  EXPECT_EQ(ErrorOf(Body(Repeat("\xF0\x9F\x98\x80", 64), "b")), "OK");
  EXPECT_EQ(ErrorOf(Body(Repeat("\xC3\xA9", 65), "b")), "author must be at most 64 characters");
  EXPECT_EQ(ErrorOf(Body("a", Repeat("\xE2\x82\xAC", 2000))), "OK");
  EXPECT_EQ(ErrorOf(Body("a", Repeat("x", 2001))), "body must be at most 2000 characters");
}

TEST(ParseNewMessageTest, RejectsInvalidUtf8) {
  EXPECT_NE(ErrorOf(Body("a\xC3", "b")), "OK");
  EXPECT_NE(ErrorOf(Body("a", "\xED\xA0\x80")), "OK");            // raw surrogate
  EXPECT_NE(ErrorOf(Body("a", "\xC0\x80")), "OK");                // overlong
  EXPECT_NE(ErrorOf(R"({"author":"a","body":"\ud800"})"), "OK");  // lone escaped surrogate
  EXPECT_NE(ErrorOf(R"({"author":"a","body":"\udc00x"})"), "OK");
}

TEST(ParseNewMessageTest, RejectsControlCharacters) {
  const std::string kError = "body must not contain control characters";
  EXPECT_EQ(ErrorOf(R"({"author":"a","body":"nul\u0000here"})"), kError);
  EXPECT_EQ(ErrorOf(Body("a", std::string("raw\0nul", 7))), "invalid JSON");  // raw NUL: not JSON
  EXPECT_EQ(ErrorOf(R"({"author":"a","body":"esc\u001b[31m"})"), kError);
  EXPECT_EQ(ErrorOf(R"({"author":"a","body":"del\u007f"})"), kError);
  EXPECT_EQ(ErrorOf(R"({"author":"a","body":"c1\u0085"})"), kError);
  EXPECT_EQ(ErrorOf(R"({"author":"a\nb","body":"b"})"), "author must not contain control characters");
  EXPECT_EQ(ErrorOf(R"({"author":"a\tb","body":"b"})"), "author must not contain control characters");
  // The body is text with lines; the edges of the C1 range are ordinary characters.
  EXPECT_EQ(ErrorOf(R"({"author":"a","body":"line\nnext\ttab\r\n"})"), "OK");
  EXPECT_EQ(ErrorOf(R"({"author":"a","body":"nbsp\u00a0 \u00e9 \u007e"})"), "OK");
}

TEST(ParseNewMessageTest, RejectsDeepNestingCheaply) {
  const std::string deep_value =
      R"({"author":)" + Repeat("[", 100000) + Repeat("]", 100000) + R"(,"body":"b"})";
  const std::string deep_top = Repeat("[", 100000) + Repeat("]", 100000);
  const std::string deep_object = Repeat(R"({"a":)", 50000) + "1" + Repeat("}", 50000);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ErrorOf(deep_value), "author must be a string");
  EXPECT_EQ(ErrorOf(deep_top), "request body must be a JSON object");
  EXPECT_EQ(ErrorOf(deep_object), "unknown field \"a\"");
  EXPECT_EQ(ErrorOf(R"({"author":{"x":{"y":1}},"body":"b"})"), "author must be a string");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST(ParseNewMessageTest, DoesNotEchoLongUnknownKeys) {
  EXPECT_EQ(ErrorOf("{\"" + Repeat("k", 100) + "\":1}"), "unknown field");
}

}  // namespace
}  // namespace foobar::app
