// Handler behaviour through the full dispatch (ApiService), with an in-memory store.
#include "app/messages_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/fake_message_store.h"
#include "app/request_handler.h"
#include "app/test_util.h"

namespace foobar::app {
namespace {

using Json = nlohmann::json;
using testing::FakeMessageStore;
using testing::FakeReadiness;
using testing::RunAwaitable;

class MessagesApiTest : public ::testing::Test {
 protected:
  ApiResponse Call(Method method, std::string target, std::string body = "",
                   std::string content_type = "application/json") {
    ApiRequest request{method, std::move(target), std::move(content_type), std::move(body)};
    return RunAwaitable(service_.Handle(std::move(request)));
  }

  ApiResponse Post(std::string body, std::string content_type = "application/json") {
    return Call(Method::kPost, "/api/messages", std::move(body), std::move(content_type));
  }

  static std::string ErrorText(const ApiResponse& r) { return Json::parse(r.body)["error"]; }

  FakeMessageStore store_;
  FakeReadiness readiness_;
  MessagesApi api_{store_};
  ApiService service_{api_, readiness_, "app-01"};
};

TEST_F(MessagesApiTest, HealthzAlwaysOk) {
  readiness_.ready = false;
  const auto r = Call(Method::kGet, "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Json::parse(r.body), (Json{{"status", "ok"}, {"host", "app-01"}}));
}

TEST_F(MessagesApiTest, ReadyzFollowsTheDatabase) {
  EXPECT_EQ(Call(Method::kGet, "/readyz").status, 200);
  readiness_.ready = false;
  const auto r = Call(Method::kGet, "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, R"({"error":"database unreachable"})");
}

TEST_F(MessagesApiTest, CreateReturns201WithLocationAndStoredMessage) {
  const auto r = Post(R"({"author":"ann","body":"hello"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const Json body = Json::parse(r.body);
  EXPECT_EQ(body["id"], 1);
  EXPECT_EQ(body["author"], "ann");
  EXPECT_EQ(body["body"], "hello");
  EXPECT_EQ(body["created_at"], "2026-11-26T15:13:21.123Z");
  ASSERT_NE(r.Header("Location"), nullptr);
  EXPECT_EQ(*r.Header("Location"), "/api/messages/1");
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(MessagesApiTest, CreateAcceptsCharsetParameter) {
  EXPECT_EQ(Post(R"({"author":"a","body":"b"})", "application/json; charset=utf-8").status, 201);
}

TEST_F(MessagesApiTest, InvalidCreatesStoreNothing) {
  EXPECT_EQ(Post(R"({"author":"a","body":"b"})", "text/plain").status, 415);
  EXPECT_EQ(Post(R"({"author":"a","body":"b"})", "").status, 415);
  EXPECT_EQ(Post("not json").status, 400);
  EXPECT_EQ(Post("[1]").status, 400);
  EXPECT_EQ(Post(R"({"author":"a"})").status, 400);
  EXPECT_EQ(Post(R"({"author":"a","body":"b","x":1})").status, 400);
  EXPECT_EQ(Post(R"({"author":1,"body":"b"})").status, 400);
  EXPECT_EQ(Post(R"({"author":"","body":"b"})").status, 400);
  EXPECT_EQ(Post(R"({"author":"a","body":")" + std::string(2001, 'x') + R"("})").status, 400);
  EXPECT_EQ(store_.insert_calls, 0);
  EXPECT_EQ(store_.size(), 0u);
  EXPECT_EQ(ErrorText(Post(R"({"author":1,"body":"b"})")), "author must be a string");
}

TEST_F(MessagesApiTest, ListIsNewestFirstWithLimit) {
  for (int i = 1; i <= 25; ++i) {
    ASSERT_EQ(Post(R"({"author":"a","body":")" + std::to_string(i) + R"("})").status, 201);
  }
  auto r = Call(Method::kGet, "/api/messages");
  ASSERT_EQ(r.status, 200);
  Json list = Json::parse(r.body)["messages"];
  ASSERT_EQ(list.size(), 20u);  // default limit
  EXPECT_EQ(list[0]["id"], 25);
  EXPECT_EQ(list[19]["id"], 6);

  r = Call(Method::kGet, "/api/messages?limit=3");
  list = Json::parse(r.body)["messages"];
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["body"], "25");
  EXPECT_EQ(list[2]["body"], "23");
  EXPECT_EQ(Json::parse(Call(Method::kGet, "/api/messages?limit=100").body)["messages"].size(),
            25u);
}

TEST_F(MessagesApiTest, BadLimitIs400) {
  for (const char* q : {"0", "101", "abc", "-1", "", "1e1", "5&limit=6"}) {
    const auto r = Call(Method::kGet, std::string("/api/messages?limit=") + q);
    EXPECT_EQ(r.status, 400) << q;
  }
}

TEST_F(MessagesApiTest, GetOneMessage) {
  ASSERT_EQ(Post(R"({"author":"a","body":"b"})").status, 201);
  auto r = Call(Method::kGet, "/api/messages/1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Json::parse(r.body)["id"], 1);
  r = Call(Method::kGet, "/api/messages/2");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error":"message not found"})");
  for (const char* id : {"0", "-1", "abc", "1e3", "99999999999999999999999"}) {
    EXPECT_EQ(Call(Method::kGet, std::string("/api/messages/") + id).status, 400) << id;
  }
}

TEST_F(MessagesApiTest, StorageFailureIs503WithoutDetail) {
  store_.fail = true;
  for (const auto& r : {Call(Method::kGet, "/api/messages"), Call(Method::kGet, "/api/messages/1"),
                        Post(R"({"author":"a","body":"b"})")}) {
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body, R"({"error":"database unavailable"})");
  }
}

TEST_F(MessagesApiTest, ValidationHappensBeforeStorage) {
  store_.fail = true;
  EXPECT_EQ(Call(Method::kGet, "/api/messages/abc").status, 400);
  EXPECT_EQ(Post("{}").status, 400);
}

TEST_F(MessagesApiTest, UnknownPathsAndMethods) {
  auto r = Call(Method::kGet, "/api/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorText(r), "not found");
  EXPECT_EQ(Call(Method::kGet, "/elsewhere").status, 404);
  r = Call(Method::kOther, "/api/messages");
  EXPECT_EQ(r.status, 405);
  ASSERT_NE(r.Header("Allow"), nullptr);
  EXPECT_EQ(*r.Header("Allow"), "GET, HEAD, POST");
  r = Call(Method::kPost, "/api/messages/1");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(*r.Header("Allow"), "GET, HEAD");
  EXPECT_EQ(store_.insert_calls, 0);
}

}  // namespace
}  // namespace foobar::app
