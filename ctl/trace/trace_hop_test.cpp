#include "ctl/trace/trace_hop.h"

#include <gtest/gtest.h>

#include "ctl/trace/trace_search.h"

namespace foobar::ctl::trace {
namespace {

constexpr const char* kId = "C6120064:D2B4_C612000A:01BB_6745A1B2_0001:1A2B";

const std::string kHaproxyLine =
    std::string(R"({"time":"26/Nov/2026:18:20:01.123","request_id":")") + kId +
    R"(","client":"198.18.0.100:53940","frontend":"site","backend":"app_servers","server":"app-01",)"
    R"("method":"GET","uri":"/api/messages","version":"HTTP/1.1","status":200,"bytes":512,)"
    R"("TR":0,"Tw":0,"Tc":1,"Tr":4,"Ta":5,"retries":"0","termination":"----","actconn":1,)"
    R"("feconn":1,"beconn":1,"srv_conn":1,"srv_queue":0,"backend_queue":0})";

const std::string kNginxLine =
    std::string(R"({"time":"2026-11-26T18:20:01+00:00","request_id":")") + kId +
    R"(","remote_addr":"198.18.1.10","x_forwarded_for":"198.18.0.100","request":"GET /api/messages HTTP/1.1",)"
    R"("status":200,"bytes":512,"request_time":0.004,"upstream_addr":"127.0.0.1:8080",)"
    R"("upstream_status":"200","upstream_response_time":"0.003","user_agent":"curl/7.88.1"})";

const std::string kAppLine =
    std::string(R"({"ts":"2026-11-26T18:20:01.126Z","host":"app-01","method":"GET","path":"/api/messages",)") +
    R"("status":200,"duration_ms":2.5,"bytes_out":512,"remote":"127.0.0.1","request_id":")" + kId +
    R"(","db_target":"replica","db_server":"198.18.1.32:3306"})";

TEST(TraceHopTest, ReadsHaproxyTimersAndServer) {
  const auto hop = ParseHaproxyHop(kHaproxyLine, kId);
  ASSERT_TRUE(hop);
  EXPECT_EQ(hop->service, "haproxy");
  EXPECT_EQ(hop->status, 200);
  EXPECT_DOUBLE_EQ(hop->duration_ms, 5);
  EXPECT_EQ(hop->details["server"], "app-01");
  EXPECT_EQ(hop->details["Tr"], 4);
  EXPECT_NE(hop->Summary().find("backend app_servers/app-01"), std::string::npos) << hop->Summary();
}

TEST(TraceHopTest, ReadsNginxTimesInMilliseconds) {
  const auto hop = ParseNginxHop(kNginxLine, kId);
  ASSERT_TRUE(hop);
  EXPECT_DOUBLE_EQ(hop->duration_ms, 4);
  EXPECT_DOUBLE_EQ(hop->details["upstream_response_ms"].get<double>(), 3);
  EXPECT_EQ(hop->details["upstream_addr"], "127.0.0.1:8080");
}

TEST(TraceHopTest, NginxRetriedUpstreamsAddUp) {
  std::string line = kNginxLine;
  line.replace(line.find(R"("0.003")"), 7, R"("0.001, 0.002")");
  const auto hop = ParseNginxHop(line, kId);
  ASSERT_TRUE(hop);
  EXPECT_NEAR(hop->details["upstream_response_ms"].get<double>(), 3, 1e-9);
  line.replace(line.find(R"("0.001, 0.002")"), 14, R"("-")");
  EXPECT_FALSE(ParseNginxHop(line, kId)->details.contains("upstream_response_ms"));
}

TEST(TraceHopTest, ReadsTheAppsDatabaseTarget) {
  const auto hop = ParseAppHop(kAppLine, kId);
  ASSERT_TRUE(hop);
  EXPECT_DOUBLE_EQ(hop->duration_ms, 2.5);
  EXPECT_EQ(hop->details["db_target"], "replica");
  EXPECT_EQ(hop->details["db_server"], "198.18.1.32:3306");
  EXPECT_NE(hop->Summary().find("db replica 198.18.1.32:3306"), std::string::npos);
  const auto json = hop->ToJson();
  EXPECT_EQ(json["service"], "app");
  EXPECT_EQ(json["details"]["db_target"], "replica");
}

TEST(TraceHopTest, IgnoresOtherRequestsAndOtherLines) {
  EXPECT_FALSE(ParseAppHop(kAppLine, "C6120064:D2B4"));  // a prefix of the id is not the id
  EXPECT_FALSE(ParseAppHop(R"({"ts":"x","level":"info","msg":"listening"})", kId));
  EXPECT_FALSE(ParseHaproxyHop(std::string("[NOTICE] ") + kId + " {broken", kId));
  EXPECT_FALSE(ParseNginxHop(kNginxLine, ""));
  EXPECT_EQ(HopParserFor("mariadb"), nullptr);
  EXPECT_EQ(HopParserFor("app"), &ParseAppHop);
}

TEST(TraceHopTest, PathOrderIsBalancerNginxApp) {
  std::vector<TraceHop> hops = {*ParseAppHop(kAppLine, kId), *ParseNginxHop(kNginxLine, kId),
                                *ParseHaproxyHop(kHaproxyLine, kId)};
  SortInPathOrder(hops);
  EXPECT_EQ(hops[0].service, "haproxy");
  EXPECT_EQ(hops[1].service, "nginx");
  EXPECT_EQ(hops[2].service, "app");
}

}  // namespace
}  // namespace foobar::ctl::trace
