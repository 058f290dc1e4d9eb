#include "ctl/chaos/fault_spec.h"

#include <gtest/gtest.h>

#include "ctl/lab/lab_error.h"

namespace foobar::ctl::chaos {
namespace {

// The seed topology: lb-01 (haproxy), app-01 (nginx, app), app-02 (+ mariadb), loadgen.
const Topology& TestTopology() {
  static const Topology topology = LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/seed.toml");
  return topology;
}

std::string ErrorOf(const std::string& fault, const std::string& target) {
  try {
    ParseFaultSpec(fault, target, TestTopology());
  } catch (const LabError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ChaosFaultSpec, ParsesHostTargets) {
  auto kill = ParseFaultSpec("kill", "app-01", TestTopology());
  EXPECT_EQ(kill.kind, FaultKind::kKill);
  EXPECT_EQ(kill.host, "app-01");
  EXPECT_EQ(kill.service, "");
  EXPECT_EQ(kill.TargetName(), "app-01");
  EXPECT_EQ(ParseFaultSpec("partition", "lb-01", TestTopology()).kind, FaultKind::kPartition);
}

TEST(ChaosFaultSpec, ParsesServiceTargets) {
  auto stop = ParseFaultSpec("stop", "app-01/nginx", TestTopology());
  EXPECT_EQ(stop.kind, FaultKind::kStop);
  EXPECT_EQ(stop.host, "app-01");
  EXPECT_EQ(stop.service, "nginx");
  EXPECT_EQ(stop.FaultName(), "stop");
  EXPECT_EQ(stop.TargetName(), "app-01/nginx");
  EXPECT_EQ(ParseFaultSpec("pause", "lb-01/haproxy", TestTopology()).kind, FaultKind::kPause);
}

TEST(ChaosFaultSpec, RejectsBadInputWithOneLine) {
  EXPECT_NE(ErrorOf("explode", "app-01").find("unknown fault 'explode'"), std::string::npos);
  EXPECT_NE(ErrorOf("stop", "app-01").find("HOST/SERVICE"), std::string::npos);
  EXPECT_NE(ErrorOf("pause", "app-01/").find("HOST/SERVICE"), std::string::npos);
  EXPECT_NE(ErrorOf("stop", "/app").find("HOST/SERVICE"), std::string::npos);
  EXPECT_NE(ErrorOf("stop", "app-01/app/x").find("HOST/SERVICE"), std::string::npos);
  EXPECT_NE(ErrorOf("kill", "app-01/app").find("whole host"), std::string::npos);
  EXPECT_NE(ErrorOf("kill", "db-09").find("no host 'db-09'"), std::string::npos);
  EXPECT_NE(ErrorOf("stop", "app-01/mariadb").find("does not run mariadb"), std::string::npos);
  EXPECT_NE(ErrorOf("stop", "app-01/mariadb").find("nginx, app"), std::string::npos);
  EXPECT_NE(ErrorOf("kill", "loadgen").find("load itself"), std::string::npos);
  for (const auto& message : {ErrorOf("explode", "x"), ErrorOf("kill", "db-09")})
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

}  // namespace
}  // namespace foobar::ctl::chaos
