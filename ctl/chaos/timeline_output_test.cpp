#include "ctl/chaos/timeline_output.h"

#include <gtest/gtest.h>

namespace foobar::ctl::chaos {
namespace {

std::vector<TimelineRow> Rows() {
  return {{0, 50, 50, 0, 4.2}, {1, 50, 30, 20, 2000}, {2, 50, 50, 0, 6}};
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(ChaosTimeline, CsvHasTheHeaderAndARowPerSecond) {
  EXPECT_EQ(TimelineCsv(Rows()),
            "second,sent,ok,failed,p99_ms\n"
            "0,50,50,0,4.2\n"
            "1,50,30,20,2000.0\n"
            "2,50,50,0,6.0\n");
  EXPECT_EQ(TimelineCsv({}), "second,sent,ok,failed,p99_ms\n");
}

TEST(ChaosTimeline, NiceCeiling) {
  EXPECT_EQ(NiceCeiling(0), 1);
  EXPECT_EQ(NiceCeiling(1), 1);
  EXPECT_EQ(NiceCeiling(3), 5);
  EXPECT_EQ(NiceCeiling(50), 50);
  EXPECT_EQ(NiceCeiling(51), 100);
  EXPECT_EQ(NiceCeiling(2000), 2000);
  EXPECT_EQ(NiceCeiling(0.3), 0.5);
}

TEST(ChaosTimeline, NiceAxisLeavesHeadroomInRoundSteps) {
  const Axis fifty = NiceAxis(50);  // 52.5 -> steps of 20 up to 60
  EXPECT_EQ(fifty.step, 20);
  EXPECT_EQ(fifty.max, 60);
  const Axis timeouts = NiceAxis(2000);  // 2100 -> steps of 500 up to 2500
  EXPECT_EQ(timeouts.step, 500);
  EXPECT_EQ(timeouts.max, 2500);
  const Axis nothing = NiceAxis(0);
  EXPECT_EQ(nothing.max, 1);
  EXPECT_GE(NiceAxis(7.3).max, 7.3 * 1.05);
}

TEST(ChaosTimeline, SvgIsAChartWithMarksAndEscapedText) {
  PlotLabels labels{"kill app-01 <&>", "50 sent", 1.0, 2.0};
  const std::string svg = TimelineSvg(Rows(), labels);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("kill app-01 &lt;&amp;&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<&>"), std::string::npos);
  EXPECT_EQ(Count(svg, "fill=\"#4caf50\""), 4);  // three ok bars + the legend
  EXPECT_EQ(Count(svg, "fill=\"#e53935\""), 2);  // one failed bar + the legend
  EXPECT_NE(svg.find(">fault</text>"), std::string::npos);
  EXPECT_NE(svg.find(">heal</text>"), std::string::npos);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_NE(svg.find("seconds since the load started"), std::string::npos);
  EXPECT_NE(svg.find("p99 latency (ms)"), std::string::npos);
}

TEST(ChaosTimeline, SvgWithoutMarksOrRows) {
  const std::string svg = TimelineSvg({}, PlotLabels{"t", "", -1, -1});
  EXPECT_EQ(svg.find(">fault</text>"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

}  // namespace
}  // namespace foobar::ctl::chaos
