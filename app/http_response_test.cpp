#include "app/http_response.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

namespace http = boost::beast::http;

TEST(BuildHttpResponseTest, CommonHeaders) {
  ApiResponse api{201, R"({"id":1})", {{"Location", "/api/messages/1"}}};
  const HttpResponse r = BuildHttpResponse(api, 11, true, false, "app-01");
  EXPECT_EQ(r.result_int(), 201u);
  EXPECT_EQ(r[http::field::content_type], "application/json");
  EXPECT_EQ(r[http::field::cache_control], "no-store");
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(r["X-Served-By"], "app-01");
  EXPECT_EQ(r[http::field::location], "/api/messages/1");
  EXPECT_EQ(r[http::field::content_length], "8");
  EXPECT_EQ(r.body(), R"({"id":1})");
  EXPECT_TRUE(r.keep_alive());
}

TEST(BuildHttpResponseTest, SecurityHeadersOnEveryResponseErrorsIncluded) {
  for (const int status : {200, 400, 404, 413, 503}) {
    const HttpResponse r =
        BuildHttpResponse(ApiResponse{status, R"({"error":"x"})", {}}, 11, true, false, "h");
    EXPECT_EQ(r["Content-Security-Policy"], "default-src 'none'; frame-ancestors 'none'")
        << status;
    EXPECT_EQ(r["X-Content-Type-Options"], "nosniff") << status;
    EXPECT_EQ(r["Referrer-Policy"], "no-referrer") << status;
    EXPECT_EQ(r["X-Frame-Options"], "DENY") << status;
    EXPECT_EQ(r[http::field::server], "") << "no server name or version: " << status;
  }
}

TEST(BuildHttpResponseTest, CloseAndHead) {
  ApiResponse api{200, R"({"status":"ok"})", {}};
  const HttpResponse r = BuildHttpResponse(api, 11, false, true, "h");
  EXPECT_FALSE(r.keep_alive());
  EXPECT_EQ(r[http::field::connection], "close");
  EXPECT_EQ(r[http::field::content_length], "15");
  EXPECT_TRUE(r.body().empty());
}

TEST(BuildHttpResponseTest, Http10KeepAlive) {
  const HttpResponse r = BuildHttpResponse(ApiResponse{}, 10, true, false, "h");
  EXPECT_EQ(r.version(), 10u);
  EXPECT_EQ(r[http::field::connection], "keep-alive");
}

}  // namespace
}  // namespace foobar::app
