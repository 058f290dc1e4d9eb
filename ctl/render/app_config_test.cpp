#include "ctl/render/app_config.h"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "ctl/render/monitoring_test_support.h"
#include "ctl/render/render_common.h"
#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::TempDir;

std::vector<std::string> Servers(const toml::table& app) {
  std::vector<std::string> out;
  if (const auto* servers = app["database"]["servers"].as_array())
    for (const auto& s : *servers) out.push_back(s.value_or(std::string{}));
  return out;
}

class RenderAppConfigTest : public ::testing::Test {
 protected:
  Topology topology_ = testing::LoadSeed();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "app-01", state_.path());
  std::string text_ = RenderAppConfig(ctx_);
};

TEST_F(RenderAppConfigTest, PathIsUnderTheHostsEtc) {
  EXPECT_EQ(AppConfigPath(ctx_.paths), state_.path() / "hosts/app-01/etc/app/app.toml");
  EXPECT_EQ(text_.rfind("# Rendered by foobar from topology seed — do not edit.\n", 0), 0u);
}

TEST_F(RenderAppConfigTest, ParsesBackWithTheValues) {
  const toml::table app = toml::parse(text_, std::string("app.toml"));
  EXPECT_EQ(app["host_name"].value_or(std::string{}), "app-01");
  EXPECT_EQ(app["listen"].value_or(std::string{}), "127.0.0.1:8080");
  EXPECT_EQ(app["threads"].value_or(0), 2);
  EXPECT_EQ(Servers(app), std::vector<std::string>{"198.18.1.22:3306"});
  EXPECT_EQ(app["database"]["name"].value_or(std::string{}), "foobar");
  EXPECT_FALSE(app["database"]["user"]);  // the credentials file names the account in use
  EXPECT_FALSE(app["database"]["password"]);
  EXPECT_EQ(app["database"]["credentials_file"].value_or(std::string{}),
            (state_.path() / "secrets/db-app.credentials").string());
  EXPECT_EQ(app["database"]["pool_size"].value_or(0), 8);
  EXPECT_EQ(app["database"]["replica_max_lag_s"].value_or(0), 5);
  EXPECT_EQ(app["database"]["read_your_writes_timeout_ms"].value_or(0), 500);
}

TEST_F(RenderAppConfigTest, ListsEveryDatabaseServerInTopologyOrder) {
  const Topology two = testing::EditedSeed(R"(services = ["nginx", "app"])",
                                           R"(services = ["nginx", "app", "mariadb"])");
  const toml::table app = toml::parse(RenderAppConfig(ContextFor(two, "app-02", state_.path())));
  EXPECT_EQ(app["host_name"].value_or(std::string{}), "app-02");
  EXPECT_EQ(Servers(app), (std::vector<std::string>{"198.18.1.21:3306", "198.18.1.22:3306"}));
}

TEST_F(RenderAppConfigTest, QuotesPathsItCannotWriteBare) {
  StatePaths odd{state_.path() / "odd \"dir\" \\"};
  RenderContext ctx{topology_, *topology_.FindHost("app-01"), odd.Host("app-01"), odd.Secrets(),
                    "/usr/bin/foobar-app"};
  const toml::table app = toml::parse(RenderAppConfig(ctx));
  EXPECT_EQ(app["database"]["credentials_file"].value_or(std::string{}),
            (odd.Secrets() / "db-app.credentials").string());
}

TEST_F(RenderAppConfigTest, MetricsOnThePrivateAddressOnlyWhenMonitored) {
  EXPECT_FALSE(toml::parse(text_)["metrics_listen"]);  // the seed has no Prometheus
  const Topology production = testing::LoadProduction();
  const toml::table app =
      toml::parse(RenderAppConfig(ContextFor(production, "app-01", state_.path())));
  EXPECT_EQ(app["metrics_listen"].value_or(std::string{}),
            RequireAddress(*production.FindHost("app-01"), "private", "app") + ":9464");
}

}  // namespace
}  // namespace foobar::ctl
