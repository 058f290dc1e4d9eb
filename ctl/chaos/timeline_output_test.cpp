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

TEST(ChaosTimeline, RequestsCsvHasALinePerRequest) {
  RequestRecord write;
  write.seq = 3;
  write.scheduled_s = 0.075;
  write.latency_ms = 2000.04;
  write.kind = RequestKind::kWrite;
  write.address_index = 1;
  write.error = "timeout, twice";
  write.idempotency_key = "chaos-r-3";
  RequestRecord read;
  read.seq = 4;
  read.scheduled_s = 0.1;
  read.latency_ms = 1.25;
  read.kind = RequestKind::kReadById;
  read.status = 200;
  read.ok = true;
  read.served_by = "app-02";
  read.message_id = 17;
  read.retried = true;
  EXPECT_EQ(RequestsCsv({write, read}, {"198.18.0.10", "198.18.0.20"}),
            "seq,scheduled_s,kind,address,status,ok,error,latency_ms,served_by,retried,key,id\n"
            "3,0.075,write,198.18.0.20,0,0,timeout  twice,2000.0,,0,chaos-r-3,-1\n"
            "4,0.100,read_id,198.18.0.10,200,1,,1.2,app-02,1,,17\n");
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
