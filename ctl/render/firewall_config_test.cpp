#include "ctl/render/firewall_config.h"

#include <gtest/gtest.h>

#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::HasDirective;
using testing::LoadSeed;
using testing::TempDir;

Topology LoadProduction() {
  return LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
}

// The inbound rules of a rendered file: the lines that accept something, in order.
std::vector<std::string> AcceptRules(const std::string& conf) {
  std::vector<std::string> out;
  for (const auto& line : testing::Directives(conf))
    if ((line.find("dport") != std::string::npos || line.find("protocol vrrp") != std::string::npos) &&
        line.ends_with(" accept"))
      out.push_back(line);
  return out;
}

class RenderFirewallTest : public ::testing::Test {
 protected:
  std::string Seed(const std::string& host) { return RenderFirewallConfig(ContextFor(seed_, host, dir_.path())); }
  std::string Prod(const std::string& host) { return RenderFirewallConfig(ContextFor(prod_, host, dir_.path())); }
  Topology seed_ = LoadSeed();
  Topology prod_ = LoadProduction();
  TempDir dir_;
};

TEST_F(RenderFirewallTest, DropsInboundByDefaultAndKeepsLoopbackAndAnswers) {
  for (const auto* topology : {&seed_, &prod_})
    for (const auto& host : topology->hosts) {
      const std::string conf = RenderFirewallConfig(ContextFor(*topology, host.name, dir_.path()));
      EXPECT_TRUE(HasDirective(conf, "type filter hook input priority filter; policy drop;")) << host.name;
      EXPECT_TRUE(HasDirective(conf, "type filter hook forward priority filter; policy drop;")) << host.name;
      EXPECT_TRUE(HasDirective(conf, "iif lo accept")) << host.name;
      EXPECT_TRUE(HasDirective(conf, "ct state established,related accept")) << host.name;
      EXPECT_TRUE(HasDirective(conf, "icmp type { destination-unreachable, time-exceeded, parameter-problem } accept"))
          << host.name;
      EXPECT_TRUE(HasDirective(conf, "icmp type echo-request limit rate 10/second accept")) << host.name;
    }
}

TEST_F(RenderFirewallTest, SeedLoadBalancerTakesWebTrafficFromAnywhereAndSshFromAdmin) {
  EXPECT_EQ(AcceptRules(Seed("lb-01")),
            (std::vector<std::string>{"ip daddr { 198.18.0.10 } tcp dport { 80, 443 } accept",
                                      "ip saddr { 198.18.1.5 } ip daddr { 198.18.1.10 } tcp dport { 22 } accept"}));
}

TEST_F(RenderFirewallTest, SeedAppServerTakesHttpOnlyFromTheLoadBalancer) {
  EXPECT_EQ(AcceptRules(Seed("app-01")),
            (std::vector<std::string>{"ip saddr { 198.18.1.10 } ip daddr { 198.18.1.21 } tcp dport { 80, 443 } accept",
                                      "ip saddr { 198.18.1.5 } ip daddr { 198.18.1.21 } tcp dport { 22 } accept"}));
}

TEST_F(RenderFirewallTest, SeedDatabaseTakesConnectionsOnlyFromTheOtherAppServer) {
  // app-02 runs the database itself: its own address needs no rule (it goes over loopback).
  EXPECT_TRUE(HasDirective(Seed("app-02"), "ip saddr { 198.18.1.21 } ip daddr { 198.18.1.22 } tcp dport { 3306 } accept"));
}

TEST_F(RenderFirewallTest, ClientAndAdminAcceptNothingNew) {
  for (const auto* topology : {&seed_, &prod_}) {
    for (const char* host : {"client", "loadgen", "admin"}) {
      if (!topology->FindHost(host) || !topology->FindHost(host)->services.empty()) continue;
      EXPECT_TRUE(AcceptRules(RenderFirewallConfig(ContextFor(*topology, host, dir_.path()))).empty()) << host;
    }
  }
}

TEST_F(RenderFirewallTest, DnsAnswersEveryoneOnItsPublicAddress) {
  const std::string conf = Seed("dns");
  EXPECT_TRUE(HasDirective(conf, "ip daddr { 198.18.0.2 } udp dport { 53 } accept")) << conf;
  EXPECT_TRUE(HasDirective(conf, "ip daddr { 198.18.0.2 } tcp dport { 53 } accept")) << conf;
  // Its sshd lives on the public network: the admin host's public address reaches it.
  EXPECT_TRUE(HasDirective(conf, "ip saddr { 198.18.0.5 } ip daddr { 198.18.0.2 } tcp dport { 22 } accept")) << conf;
}

TEST_F(RenderFirewallTest, ProductionLoadBalancer) {
  EXPECT_EQ(AcceptRules(Prod("lb-01")),
            (std::vector<std::string>{
                "ip daddr { 198.18.0.10, 198.18.0.20 } tcp dport { 80, 443 } accept",
                "ip saddr { 198.18.0.12 } ip protocol vrrp accept",
                "ip saddr { 198.18.1.40 } ip daddr { 198.18.1.11 } tcp dport { 8405 } accept",
                "ip saddr { 198.18.1.12, 198.18.1.21 } ip daddr { 198.18.1.11 } tcp dport { 2379 } accept",
                "ip saddr { 198.18.1.12, 198.18.1.21 } ip daddr { 198.18.1.11 } tcp dport { 2380 } accept",
                "ip saddr { 198.18.1.40 } ip daddr { 198.18.1.11 } tcp dport { 9100 } accept",
                "ip saddr { 198.18.1.5 } ip daddr { 198.18.1.11 } tcp dport { 22 } accept",
            }));
  // Its sentinel probes the databases as root; HAProxy (user haproxy) may not reach them.
  EXPECT_TRUE(HasDirective(Prod("lb-01"), "ip daddr { 198.18.1.31, 198.18.1.32 } tcp dport { 3306 } ct state new "
                                          "meta skuid != 0 counter reject with tcp reset"));
}

TEST_F(RenderFirewallTest, ProductionAppServer) {
  EXPECT_EQ(AcceptRules(Prod("app-02")),
            (std::vector<std::string>{
                "ip saddr { 198.18.1.11, 198.18.1.12 } ip daddr { 198.18.1.22 } tcp dport { 80, 443 } accept",
                "ip saddr { 198.18.1.40 } ip daddr { 198.18.1.22 } tcp dport { 9464 } accept",
                "ip saddr { 198.18.1.40 } ip daddr { 198.18.1.22 } tcp dport { 9100 } accept",
                "ip saddr { 198.18.1.40 } ip daddr { 198.18.1.22 } tcp dport { 9113 } accept",
                "ip saddr { 198.18.1.5 } ip daddr { 198.18.1.22 } tcp dport { 22 } accept",
            }));
  EXPECT_EQ(Prod("app-02").find("reject"), std::string::npos) << "the app talks to the database";
}

TEST_F(RenderFirewallTest, ProductionDatabaseServer) {
  EXPECT_EQ(AcceptRules(Prod("db-01")),
            (std::vector<std::string>{
                "ip saddr { 198.18.1.11, 198.18.1.12, 198.18.1.21, 198.18.1.22, 198.18.1.32 } ip daddr { 198.18.1.31 } "
                "tcp dport { 3306 } accept",
                "ip saddr { 198.18.1.40 } ip daddr { 198.18.1.31 } tcp dport { 9100 } accept",
                "ip saddr { 198.18.1.40 } ip daddr { 198.18.1.31 } tcp dport { 9104 } accept",
                "ip saddr { 198.18.1.5 } ip daddr { 198.18.1.31 } tcp dport { 22 } accept",
            }));
}

TEST_F(RenderFirewallTest, ProductionMonitoringHostTakesOnlySsh) {
  EXPECT_EQ(AcceptRules(Prod("mon-01")),
            (std::vector<std::string>{"ip saddr { 198.18.1.5 } ip daddr { 198.18.1.40 } tcp dport { 22 } accept"}));
}

TEST_F(RenderFirewallTest, ProductionPublicOnlyHostsAreScrapedFromTheMonitoringHostsPublicAddress) {
  EXPECT_TRUE(HasDirective(Prod("dns"), "ip saddr { 198.18.0.40 } ip daddr { 198.18.0.2 } tcp dport { 9100 } accept"));
  EXPECT_EQ(AcceptRules(Prod("client")),
            (std::vector<std::string>{"ip saddr { 198.18.0.40 } ip daddr { 198.18.0.100 } tcp dport { 9115 } accept"}));
}

TEST_F(RenderFirewallTest, NftAcceptsTheRuleSet) {
  auto nft = testing::FindTool("nft");
  if (!nft) GTEST_SKIP() << "nft is not installed (make deps installs nftables)";
  for (const auto* topology : {&seed_, &prod_})
    for (const auto& host : topology->hosts) {
      const auto file = dir_.path() / (host.name + ".nft");
      testing::WriteFile(file, RenderFirewallConfig(ContextFor(*topology, host.name, dir_.path())));
      // -c: check only, nothing is applied.
      auto result = testing::RunCommand(nft->string() + " -c -f " + file.string());
      EXPECT_EQ(result.exit_code, 0) << host.name << ": " << result.output;
    }
}

}  // namespace
}  // namespace foobar::ctl
