#include "ctl/render/dashboard_topology.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ctl/render/monitoring_test_support.h"

namespace foobar::ctl {
namespace {

TEST(RenderDashboardTopologyTest, TheShapeOfTheSiteForThePage) {
  const auto doc = nlohmann::json::parse(RenderDashboardTopology(testing::LoadProduction()));
  EXPECT_EQ(doc["site"]["name"], "www.foobar.com");
  EXPECT_EQ(doc["site"]["probes"][0], "https://www.foobar.com/");
  EXPECT_EQ(doc["vips"].size(), 2u);
  EXPECT_EQ(doc["vips"][1]["master"], "lb-02");
  EXPECT_EQ(doc["databases"], nlohmann::json({"db-01", "db-02"}));
  EXPECT_EQ(doc["load_balancers"], nlohmann::json({"lb-01", "lb-02"}));
  bool saw_mon = false;
  for (const auto& h : doc["hosts"]) {
    EXPECT_NE(h["name"], "loadgen");  // runs nothing
    if (h["name"] == "mon-01") {
      saw_mon = true;
      EXPECT_EQ(h["box"], "host-mon-01");
      EXPECT_EQ(h["addresses"]["private"], "198.18.1.40");
    }
  }
  EXPECT_TRUE(saw_mon);
}

}  // namespace
}  // namespace foobar::ctl
