#include "app/metrics_handler.h"

#include <gtest/gtest.h>

#include "app/test_util.h"

namespace foobar::app {
namespace {

using testing::RunAwaitable;

ApiRequest Request(Method method, std::string target) {
  ApiRequest request;
  request.method = method;
  request.target = std::move(target);
  return request;
}

TEST(MetricsHandlerTest, ServesTheRegistryAsText) {
  MetricsRegistry registry;
  registry.AddCounter("foobar_things_total", "Things.").WithLabels({}).Inc();
  MetricsHandler handler(registry);
  const ApiResponse response = RunAwaitable(handler.Handle(Request(Method::kGet, "/metrics")));
  EXPECT_EQ(response.status, 200);
  ASSERT_NE(response.Header("Content-Type"), nullptr);
  EXPECT_EQ(*response.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("foobar_things_total 1\n"), std::string::npos);
}

TEST(MetricsHandlerTest, OnlyGetMetrics) {
  MetricsRegistry registry;
  MetricsHandler handler(registry);
  EXPECT_EQ(RunAwaitable(handler.Handle(Request(Method::kGet, "/api/messages"))).status, 404);
  const ApiResponse post = RunAwaitable(handler.Handle(Request(Method::kPost, "/metrics")));
  EXPECT_EQ(post.status, 405);
  ASSERT_NE(post.Header("Allow"), nullptr);
  EXPECT_EQ(RunAwaitable(handler.Handle(Request(Method::kGet, "/metrics?x=1"))).status, 200);
}

}  // namespace
}  // namespace foobar::app
