#include "ctl/render/firewall_config.h"

#include <gtest/gtest.h>

#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::HasDirective;
using testing::LoadSeed;
using testing::TempDir;

class RenderFirewallTest : public ::testing::Test {
 protected:
  std::string Render(const std::string& host) { return RenderFirewallConfig(ContextFor(seed_, host, dir_.path())); }
  Topology seed_ = LoadSeed();
  TempDir dir_;
};

TEST_F(RenderFirewallTest, DropsInboundByDefaultAndKeepsLoopbackAndAnswers) {
  for (const auto& host : seed_.hosts) {
    const std::string conf = Render(host.name);
    EXPECT_TRUE(HasDirective(conf, "type filter hook input priority filter; policy drop;")) << host.name;
    EXPECT_TRUE(HasDirective(conf, "iif lo accept")) << host.name;
    EXPECT_TRUE(HasDirective(conf, "ct state established,related accept")) << host.name;
  }
}

TEST_F(RenderFirewallTest, LoadBalancerTakesWebTrafficFromAnywhere) {
  EXPECT_TRUE(HasDirective(Render("lb-01"), "tcp dport { 80, 443 } accept"));
}

TEST_F(RenderFirewallTest, AppServerTakesHttpOnlyFromTheLoadBalancer) {
  const std::string conf = Render("app-01");
  EXPECT_TRUE(HasDirective(conf, "ip saddr { 198.18.1.10 } tcp dport { 80, 443 } accept")) << conf;
  EXPECT_FALSE(HasDirective(conf, "tcp dport { 80, 443 } accept")) << conf;
  EXPECT_EQ(conf.find("3306"), std::string::npos) << "app-01 runs no database";
}

TEST_F(RenderFirewallTest, DatabaseTakesConnectionsOnlyFromAppServers) {
  // app-02 runs the database itself: its own address needs no rule (it uses its own stack).
  EXPECT_TRUE(HasDirective(Render("app-02"), "ip saddr { 198.18.1.21 } tcp dport { 3306 } accept"));
}

TEST_F(RenderFirewallTest, ClientAcceptsNothingNew) {
  const std::string conf = Render("client");
  EXPECT_EQ(conf.find("dport"), std::string::npos) << conf;
}

TEST_F(RenderFirewallTest, DnsAnswersEveryone) {
  const std::string conf = Render("dns");
  EXPECT_TRUE(HasDirective(conf, "udp dport { 53 } accept")) << conf;
  EXPECT_TRUE(HasDirective(conf, "tcp dport { 53 } accept")) << conf;
}

TEST_F(RenderFirewallTest, NftAcceptsTheRuleSet) {
  auto nft = testing::FindTool("nft");
  if (!nft) GTEST_SKIP() << "nft is not installed (make deps installs nftables)";
  for (const auto& host : seed_.hosts) {
    const auto file = dir_.path() / (host.name + ".nft");
    testing::WriteFile(file, Render(host.name));
    // -c: check only, nothing is applied.
    auto result = testing::RunCommand(nft->string() + " -c -f " + file.string());
    EXPECT_EQ(result.exit_code, 0) << host.name << ": " << result.output;
  }
}

}  // namespace
}  // namespace foobar::ctl
