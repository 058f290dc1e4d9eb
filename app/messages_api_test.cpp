// Handler behaviour through the full dispatch (ApiService), with an in-memory store.
#include "app/messages_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/db_errors.h"
#include "app/fake_message_store.h"
#include "app/request_handler.h"
#include "app/test_util.h"
#include "app/version.h"

namespace foobar::app {
namespace {

using Json = nlohmann::json;
using testing::FakeMessageStore;
using testing::FakeReadiness;
using testing::RunAwaitable;

class MessagesApiTest : public ::testing::Test {
 protected:
  ApiResponse Call(Method method, std::string target, std::string body = "",
                   std::string content_type = "application/json", std::string cookie = "",
                   std::vector<std::string> keys = {}) {
    ApiRequest request{method,          std::move(target), std::move(content_type),
                       std::move(body), std::move(cookie), std::move(keys)};
    return RunAwaitable(service_.Handle(std::move(request)));
  }

  ApiResponse Post(std::string body, std::string content_type = "application/json") {
    return Call(Method::kPost, "/api/messages", std::move(body), std::move(content_type));
  }

  ApiResponse PostWithKeys(std::string body, std::vector<std::string> keys) {
    return Call(Method::kPost, "/api/messages", std::move(body), "application/json", "",
                std::move(keys));
  }

  ApiResponse GetWithCookie(std::string target, std::string cookie) {
    return Call(Method::kGet, std::move(target), "", "", std::move(cookie));
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
  EXPECT_EQ(Json::parse(r.body), (Json{{"status", "ok"}, {"host", "app-01"}, {"version", Version()}}));
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

TEST_F(MessagesApiTest, WriteFailuresSayWhatTheClientCanDo) {
  store_.fail = true;
  store_.fail_code = kDbErrNoPrimary;
  auto r = Post(R"({"author":"a","body":"b"})");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, R"({"error":"no writable database"})");
  store_.fail_code = kDbErrOutcomeUnknown;
  r = Post(R"({"author":"a","body":"b"})");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body,
            R"({"error":"database unavailable; the message may or may not have been stored"})");
  EXPECT_EQ(r.Header("Set-Cookie"), nullptr);
}

TEST_F(MessagesApiTest, CreateHandsOutTheReadYourWritesCookie) {
  auto r = Post(R"({"author":"a","body":"b"})");
  ASSERT_EQ(r.status, 201);
  ASSERT_NE(r.Header("Set-Cookie"), nullptr);
  EXPECT_EQ(*r.Header("Set-Cookie"), "fb_rw=0-1-101; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
  store_.with_gtid = false;  // e.g. a server without a binlog: nothing to wait for
  r = Post(R"({"author":"a","body":"c"})");
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.Header("Set-Cookie"), nullptr);
}

TEST_F(MessagesApiTest, ReadsPassTheCookiesGtidToTheStore) {
  ASSERT_EQ(Post(R"({"author":"a","body":"b"})").status, 201);
  EXPECT_EQ(GetWithCookie("/api/messages/1", "x=1; fb_rw=0-287-19").status, 200);
  EXPECT_EQ(store_.last_read_write, (Gtid{0, 287, 19}));
  EXPECT_EQ(GetWithCookie("/api/messages", "fb_rw=1-2-3").status, 200);
  EXPECT_EQ(store_.last_read_write, (Gtid{1, 2, 3}));
  // A malformed cookie is no error: the read just does not wait.
  EXPECT_EQ(GetWithCookie("/api/messages", "fb_rw=1-2-3;DROP").status, 200);
  EXPECT_EQ(store_.last_read_write, (Gtid{1, 2, 3}));  // "1-2-3" is still well-formed
  EXPECT_EQ(GetWithCookie("/api/messages", "fb_rw=1-2-x").status, 200);
  EXPECT_FALSE(store_.last_read_write.has_value());
  EXPECT_EQ(Call(Method::kGet, "/api/messages/1").status, 200);
  EXPECT_FALSE(store_.last_read_write.has_value());
}

TEST_F(MessagesApiTest, RepeatedIdempotencyKeyReturnsTheFirstResult) {
  const auto first = PostWithKeys(R"({"author":"a","body":"once"})", {"key-1"});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Header("Idempotent-Replayed"), nullptr);
  const auto again = PostWithKeys(R"({"author":"a","body":"once"})", {"key-1"});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.body, first.body);
  ASSERT_NE(again.Header("Location"), nullptr);
  EXPECT_EQ(*again.Header("Location"), *first.Header("Location"));
  ASSERT_NE(again.Header("Idempotent-Replayed"), nullptr);
  EXPECT_EQ(store_.size(), 1u);
  // Another key is another message.
  EXPECT_EQ(Json::parse(PostWithKeys(R"({"author":"a","body":"once"})", {"key-2"}).body)["id"], 2);
}

TEST_F(MessagesApiTest, IdempotencyKeyForAnotherMessageIs422) {
  ASSERT_EQ(PostWithKeys(R"({"author":"a","body":"once"})", {"k"}).status, 201);
  for (const char* other :
       {R"({"author":"a","body":"twice"})", R"({"author":"b","body":"once"})"}) {
    const auto r = PostWithKeys(other, {"k"});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body, R"({"error":"Idempotency-Key was used for a different message"})");
  }
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(MessagesApiTest, BadIdempotencyKeyIs400AndStoresNothing) {
  for (const std::vector<std::string>& keys :
       {std::vector<std::string>{""}, std::vector<std::string>{std::string(129, 'k')},
        std::vector<std::string>{"bad\x01"}, std::vector<std::string>{"a", "b"}}) {
    const auto r = PostWithKeys(R"({"author":"a","body":"b"})", keys);
    EXPECT_EQ(r.status, 400);
  }
  EXPECT_EQ(ErrorText(PostWithKeys(R"({"author":"a","body":"b"})", {""})),
            "Idempotency-Key must be 1-128 printable ASCII characters");
  EXPECT_EQ(store_.insert_calls, 0);
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
