#include "ctl/render/diagram_dot.h"

#include <gtest/gtest.h>

#include "ctl/render/monitoring_test_support.h"

namespace foobar::ctl {
namespace {

TEST(RenderDiagramTest, EveryPartOfTheDesignHasABox) {
  const std::string dot = RenderDiagramDot(testing::LoadProduction());
  for (const char* id : {"host-client", "host-dns", "vip-1", "vip-2", "host-lb-01", "host-lb-02", "host-app-01",
                         "host-app-02", "host-db-01", "host-db-02", "host-mon-01"})
    EXPECT_NE(dot.find(std::string("[id=\"") + id + "\""), std::string::npos) << id;
  EXPECT_EQ(dot.find("loadgen"), std::string::npos);  // a lab helper, not part of the design
  EXPECT_NE(dot.find("subgraph cluster_public"), std::string::npos);
  EXPECT_NE(dot.find("public network 198.18.0.0/24"), std::string::npos);
  EXPECT_NE(dot.find("private network 198.18.1.0/24"), std::string::npos);
}

TEST(RenderDiagramTest, TheWayOfARequest) {
  const std::string dot = RenderDiagramDot(testing::LoadProduction());
  for (const char* edge : {R"("host-client" -> "host-dns")", R"("host-client" -> "vip-1")",
                           R"("vip-1" -> "host-lb-01" [id="edge-vip-1-lb-01")", R"("vip-2" -> "host-lb-01")",
                           R"("host-lb-02" -> "host-app-01")", R"("host-app-02" -> "host-db-01")"})
    EXPECT_NE(dot.find(edge), std::string::npos) << edge;
  // Without VIPs (the seed) the user goes straight to the load balancer.
  EXPECT_NE(RenderDiagramDot(testing::LoadSeed()).find(R"("host-client" -> "host-lb-01")"), std::string::npos);
}

TEST(RenderDiagramTest, BoxesColouredByHealthAndHoldersBold) {
  DiagramHealth health;
  health.boxes["host-app-01"] = Health::kDown;
  health.boxes["host-app-02"] = Health::kOk;
  health.vip_holders["vip-1"] = {"lb-02"};
  const std::string dot = RenderDiagramDot(testing::LoadProduction(), health);
  EXPECT_NE(dot.find(R"("host-app-01" [id="host-app-01", class="box health-down", fillcolor="#f6c4c4")"),
            std::string::npos);
  EXPECT_NE(dot.find(R"("host-app-02" [id="host-app-02", class="box health-ok")"), std::string::npos);
  EXPECT_NE(dot.find(R"("host-db-01" [id="host-db-01", class="box health-unknown")"), std::string::npos);
  EXPECT_NE(dot.find(R"([id="edge-vip-1-lb-02", class="vip-edge holder", style=bold)"), std::string::npos);
  EXPECT_NE(dot.find(R"([id="edge-vip-1-lb-01", class="vip-edge", style=dashed)"), std::string::npos);
}

TEST(RenderDiagramTest, GraphvizDrawsEveryShippedTopology) {
  const auto dot = testing::FindTool("dot");
  if (!dot) GTEST_SKIP() << "graphviz not installed (make deps)";
  testing::TempDir dir;
  for (const Topology& t : {testing::LoadSeed(), testing::LoadProduction()}) {
    testing::WriteFile(dir.path() / "d.dot", RenderDiagramDot(t));
    const auto result = testing::RunCommand(dot->string() + " -Tsvg -o /dev/null " + (dir.path() / "d.dot").string());
    EXPECT_EQ(result.exit_code, 0) << t.name << ": " << result.output;
  }
}

TEST(RenderDiagramTest, GraphvizDrawsItWithTheIds) {
  const auto dot = testing::FindTool("dot");
  if (!dot) GTEST_SKIP() << "graphviz not installed (make deps)";
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "d.dot", RenderDiagramDot(testing::LoadProduction()));
  const auto result = testing::RunCommand(dot->string() + " -Tsvg " + (dir.path() / "d.dot").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // Graphviz writes '-' in attributes as "&#45;"; a browser reads it back as '-'.
  std::string svg = result.output;
  for (auto at = svg.find("&#45;"); at != std::string::npos; at = svg.find("&#45;", at)) svg.replace(at, 5, "-");
  for (const char* id : {R"(id="host-lb-01")", R"(id="vip-2")", R"(id="edge-vip-2-lb-02")"})
    EXPECT_NE(svg.find(id), std::string::npos) << id;
}

}  // namespace
}  // namespace foobar::ctl
