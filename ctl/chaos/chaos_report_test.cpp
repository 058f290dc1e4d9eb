#include "ctl/chaos/chaos_report.h"

#include <gtest/gtest.h>

namespace foobar::ctl::chaos {
namespace {

ChaosResult Sample() {
  ChaosResult r;
  r.fault = {FaultKind::kStop, "app-01", "app"};
  r.rate = 50;
  r.duration_s = 20;
  r.addresses = {"198.18.0.10", "198.18.0.20"};
  r.load.sent = 1000;
  r.load.ok = 990;
  r.load.failed = 10;
  r.load.failed_reads = 6;
  r.load.failed_writes = 4;
  r.load.acked_writes = 296;
  r.load.recovery_s = 0.123456;
  r.load.address_recovery_s = {0.5, 0.02};
  r.load.p50_ms = 3.14159;
  r.load.p99_ms = 42.04;
  r.audited = true;
  r.primary = "db-01";
  r.max_writable = 1;
  r.fault_at_s = 4;
  r.heal_at_s = 12;
  r.heal_took_s = 0.8;
  r.healed = true;
  r.timeline_csv = "/tmp/x/timeline.csv";
  r.plot = "/tmp/x/timeline.svg";
  return r;
}

TEST(ChaosReport, JsonStartsWithTheIssuesKeysInOrder) {
  const auto json = ResultJson(Sample());
  const std::vector<std::string> required = {"fault", "target", "sent", "ok", "failed", "failed_reads",
                                             "failed_writes", "acked_writes", "lost_writes", "duplicate_writes",
                                             "recovery_s", "p50_ms", "p99_ms", "max_writable"};
  std::vector<std::string> first;
  for (const auto& [key, value] : json.items())
    if (first.size() < required.size()) first.push_back(key);
  EXPECT_EQ(first, required);
  EXPECT_EQ(json["fault"], "stop");
  EXPECT_EQ(json["target"], "app-01/app");
  EXPECT_EQ(json["sent"], 1000);
  EXPECT_EQ(json["failed_writes"], 4);
  EXPECT_EQ(json["lost_writes"], 0);
  EXPECT_EQ(json["duplicate_writes"], 0);
  EXPECT_DOUBLE_EQ(json["recovery_s"].get<double>(), 0.123);
  EXPECT_DOUBLE_EQ(json["p50_ms"].get<double>(), 3.1);
  EXPECT_EQ(json["max_writable"], 1);
  EXPECT_EQ(json["address_recovery_s"]["198.18.0.10"], 0.5);
  EXPECT_EQ(json["full_strength"], true);
  EXPECT_EQ(json["plot"], "/tmp/x/timeline.svg");
}

TEST(ChaosReport, UncheckedWritesAreNullNotZero) {
  ChaosResult r = Sample();
  r.audited = false;
  r.audit_error = "no database server is writable";
  const auto json = ResultJson(r);
  EXPECT_TRUE(json["lost_writes"].is_null());
  EXPECT_TRUE(json["duplicate_writes"].is_null());
  EXPECT_EQ(json["audit_error"], "no database server is writable");
  EXPECT_NE(ResultText(r).find("NOT checked"), std::string::npos);
}

TEST(ChaosReport, NotAtFullStrengthIsSaid) {
  ChaosResult r = Sample();
  r.needs_rejoin = {"db-01"};
  const auto json = ResultJson(r);
  EXPECT_EQ(json["full_strength"], false);
  EXPECT_EQ(json["needs_rejoin"], nlohmann::ordered_json::array({"db-01"}));
  EXPECT_NE(ResultText(r).find("foobar db rejoin db-01"), std::string::npos);
}

TEST(ChaosReport, TextSummarizes) {
  const std::string text = ResultText(Sample());
  EXPECT_NE(text.find("stop app-01/app at 50 req/s for 20 s"), std::string::npos) << text;
  EXPECT_NE(text.find("1000 sent, 990 ok, 10 failed (6 reads, 4 writes)"), std::string::npos) << text;
  EXPECT_NE(text.find("0 lost"), std::string::npos) << text;
  EXPECT_NE(text.find("/tmp/x/timeline.svg"), std::string::npos) << text;
}

}  // namespace
}  // namespace foobar::ctl::chaos
