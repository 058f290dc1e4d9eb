#include "app/request_log.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace foobar::app {
namespace {

using Json = nlohmann::json;

RequestLogRecord Sample() {
  RequestLogRecord r;
  r.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795706001123));
  r.host = "app-01";
  r.method = "GET";
  r.path = "/api/messages";
  r.status = 200;
  r.duration_ms = 1.23456789;
  r.bytes_out = 321;
  r.remote = "127.0.0.1";
  return r;
}

TEST(FormatRequestLogTest, HasEveryField) {
  RequestLogRecord r = Sample();
  r.request_id = "abc-123";
  const Json line = Json::parse(FormatRequestLog(r));
  EXPECT_EQ(line["ts"], "2026-11-26T15:13:21.123Z");
  EXPECT_EQ(line["host"], "app-01");
  EXPECT_EQ(line["method"], "GET");
  EXPECT_EQ(line["path"], "/api/messages");
  EXPECT_EQ(line["status"], 200);
  EXPECT_DOUBLE_EQ(line["duration_ms"].get<double>(), 1.235);
  EXPECT_EQ(line["bytes_out"], 321);
  EXPECT_EQ(line["remote"], "127.0.0.1");
  EXPECT_EQ(line["request_id"], "abc-123");
  EXPECT_EQ(FormatRequestLog(r).find('\n'), std::string::npos);
}

TEST(FormatRequestLogTest, MissingValuesAreNull) {
  RequestLogRecord r = Sample();
  r.method = "";
  r.path = "";
  const Json line = Json::parse(FormatRequestLog(r));
  EXPECT_TRUE(line["request_id"].is_null());
  EXPECT_TRUE(line["method"].is_null());
  EXPECT_TRUE(line["path"].is_null());
  EXPECT_TRUE(line["db_target"].is_null());
  EXPECT_TRUE(line["db_server"].is_null());
  EXPECT_FALSE(line.contains("db_fallback"));
}

TEST(FormatRequestLogTest, NamesTheDatabaseThatAnswered) {
  RequestLogRecord r = Sample();
  r.db_target = "primary";
  r.db_server = "198.18.1.31:3306";
  r.db_fallback = "not_caught_up";
  const Json line = Json::parse(FormatRequestLog(r));
  EXPECT_EQ(line["db_target"], "primary");
  EXPECT_EQ(line["db_server"], "198.18.1.31:3306");
  EXPECT_EQ(line["db_fallback"], "not_caught_up");
}

TEST(FormatRequestLogTest, HostileInputStaysOneValidLine) {
  RequestLogRecord r = Sample();
  const std::string path = "/a\xFF\n\"b";
  const std::string id(1000, 'x');
  r.path = path;
  r.request_id = id;
  std::string text;
  ASSERT_NO_THROW(text = FormatRequestLog(r));
  EXPECT_EQ(text.find('\n'), std::string::npos);
  const Json line = Json::parse(text);
  EXPECT_EQ(line["request_id"].get<std::string>().size(), kMaxLoggedRequestId);
}

TEST(FormatRequestLogTest, QuotesBackslashesAndControlsAreEscapedExactly) {
  RequestLogRecord r = Sample();
  const std::string path = "/q\"u\\o\te\x01";
  r.path = path;
  r.request_id = "plain-id";
  const Json line = Json::parse(FormatRequestLog(r));
  EXPECT_EQ(line["path"], path);
  EXPECT_EQ(line["request_id"], "plain-id");
  EXPECT_EQ(line.size(), 11u) << "every field once, db_fallback only when set";
}

}  // namespace
}  // namespace foobar::app
