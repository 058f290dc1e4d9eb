#include "app/message_json.h"
#include "app/version.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace foobar::app {
namespace {

using Json = nlohmann::json;

TEST(MessageJsonTest, MessageShape) {
  const Message m{7, "ann", "hi \"there\"", "2026-11-26T15:13:21.123Z"};
  EXPECT_EQ(
      MessageJson(m),
      R"({"id":7,"author":"ann","body":"hi \"there\"","created_at":"2026-11-26T15:13:21.123Z"})");
  const Json parsed = Json::parse(MessageJson(m));
  EXPECT_TRUE(parsed["id"].is_number_unsigned());
}

TEST(MessageJsonTest, ListShapeKeepsOrder) {
  const Json list = Json::parse(MessageListJson(
      {Message{2, "b", "two", "2026-01-01T00:00:00.000Z"}, Message{1, "a", "one", "x"}}));
  ASSERT_TRUE(list["messages"].is_array());
  ASSERT_EQ(list["messages"].size(), 2u);
  EXPECT_EQ(list["messages"][0]["id"], 2);
  EXPECT_EQ(list["messages"][1]["body"], "one");
  EXPECT_EQ(MessageListJson({}), R"({"messages":[]})");
}

TEST(MessageJsonTest, ErrorAndStatusShapes) {
  EXPECT_EQ(ErrorJson("message not found"), R"({"error":"message not found"})");
  EXPECT_EQ(StatusJson("app-01"), R"({"status":"ok","host":"app-01","version":")" + Version() + R"("})");
  const ApiResponse r = ErrorResponse(503, "database unavailable");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, R"({"error":"database unavailable"})");
}

TEST(MessageJsonTest, InvalidUtf8FromStorageDoesNotThrow) {
  const Message m{1, "a\xFF", "b", "t"};
  std::string out;
  EXPECT_NO_THROW(out = MessageJson(m));
  EXPECT_TRUE(Json::accept(out));
}

TEST(MessageJsonTest, KeepsNonAsciiAsUtf8) {
  EXPECT_EQ(ErrorJson("caf\xC3\xA9"), "{\"error\":\"caf\xC3\xA9\"}");
}

}  // namespace
}  // namespace foobar::app
