#include "app/metrics_text.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

TEST(MetricsTextTest, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue(R"(a\b"c)"), R"(a\\b\"c)");
  EXPECT_EQ(EscapeLabelValue("line\nnext"), R"(line\nnext)");
  EXPECT_EQ(EscapeLabelValue("/api/messages/{id}"), "/api/messages/{id}");
}

TEST(MetricsTextTest, EscapesHelpButNotQuotes) {
  EXPECT_EQ(EscapeHelp("say \"hi\"\\\n"), R"(say "hi"\\\n)");
}

TEST(MetricsTextTest, FormatsValues) {
  EXPECT_EQ(FormatSampleValue(std::uint64_t{42}), "42");
  EXPECT_EQ(FormatSampleValue(std::int64_t{-3}), "-3");
  EXPECT_EQ(FormatSampleValue(0.25), "0.25");
  EXPECT_EQ(FormatSampleValue(1.0), "1");
  EXPECT_EQ(FormatSampleValue(0.0005), "0.0005");
  EXPECT_EQ(FormatSampleValue(0.1 + 0.2), "0.30000000000000004");  // round-trips
  EXPECT_EQ(FormatSampleValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatSampleValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatSampleValue(std::nan("")), "NaN");
}

TEST(MetricsTextTest, WritesHeaderAndSamples) {
  std::string out;
  AppendMetricHeader(out, "foobar_x_total", "counter", "Things.\nMore.");
  AppendSample(out, "foobar_x_total", {}, "1");
  AppendSample(out, "foobar_x_total", {{"a", "1"}, {"b", "q\""}}, "2");
  const std::pair<std::string, std::string> le{"le", "+Inf"};
  AppendSample(out, "foobar_y_bucket", {}, "3", &le);
  AppendSample(out, "foobar_y_bucket", {{"route", "/r"}}, "4", &le);
  EXPECT_EQ(out,
            "# HELP foobar_x_total Things.\\nMore.\n"
            "# TYPE foobar_x_total counter\n"
            "foobar_x_total 1\n"
            "foobar_x_total{a=\"1\",b=\"q\\\"\"} 2\n"
            "foobar_y_bucket{le=\"+Inf\"} 3\n"
            "foobar_y_bucket{route=\"/r\",le=\"+Inf\"} 4\n");
}

}  // namespace
}  // namespace foobar::app
