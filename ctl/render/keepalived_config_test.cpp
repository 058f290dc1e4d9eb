#include "ctl/render/keepalived_config.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ctl/render/haproxy_config.h"
#include "ctl/render/render_test_support.h"
#include "ctl/render/service_configs.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::DirectivesStartingWith;
using testing::HasDirective;
using testing::TempDir;

Topology LoadProduction() {
  return LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
}

// The lines of `cfg` from "vrrp_instance NAME {" up to its closing "}" (directives only).
std::vector<std::string> InstanceBlock(const std::string& cfg, const std::string& name) {
  std::vector<std::string> out;
  bool inside = false;
  int depth = 0;
  for (const auto& line : testing::Directives(cfg)) {
    if (!inside && line == "vrrp_instance " + name + " {") inside = true;
    if (!inside) continue;
    out.push_back(line);
    if (line.back() == '{') ++depth;
    if (line == "}" && --depth == 0) break;
  }
  return out;
}

bool Contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

class RenderKeepalivedTest : public ::testing::Test {
 protected:
  Topology topology_ = LoadProduction();
  TempDir state_;
  RenderContext lb1_ = ContextFor(topology_, "lb-01", state_.path());
  RenderContext lb2_ = ContextFor(topology_, "lb-02", state_.path());
  std::string cfg1_ = RenderKeepalivedConfig(lb1_);
  std::string cfg2_ = RenderKeepalivedConfig(lb2_);
};

TEST_F(RenderKeepalivedTest, PathsAreUnderTheHostsTree) {
  EXPECT_EQ(KeepalivedConfigPath(lb1_.paths),
            state_.path() / "hosts/lb-01/etc/keepalived/keepalived.conf");
  EXPECT_EQ(KeepalivedVrrpPidPath(lb1_.paths), state_.path() / "hosts/lb-01/run/keepalived-vrrp.pid");
  EXPECT_EQ(RenderServiceConfig(lb1_, "keepalived").path, KeepalivedConfigPath(lb1_.paths));
}

TEST_F(RenderKeepalivedTest, StartsWithDoNotEditHeader) {
  EXPECT_EQ(cfg1_.rfind("# Rendered by foobar from topology production — do not edit.\n", 0), 0u);
}

TEST_F(RenderKeepalivedTest, GlobalsSelectVrrp3ScriptSecurityAndGratuitousArps) {
  for (const char* line :
       {"router_id lb-01", "vrrp_version 3", "vrrp_check_unicast_src", "enable_script_security",
        "script_user root", "vrrp_garp_master_repeat 5", "vrrp_garp_master_delay 1",
        "vrrp_garp_master_refresh 10", "vrrp_garp_lower_prio_repeat 2", "vrrp_rt_priority 1"})
    EXPECT_TRUE(HasDirective(cfg1_, line)) << line;
  EXPECT_TRUE(HasDirective(cfg2_, "router_id lb-02"));
}

TEST_F(RenderKeepalivedTest, OneInstancePerVipWithTheMasterAtHigherPriority) {
  EXPECT_EQ(DirectivesStartingWith(cfg1_, "vrrp_instance "),
            (std::vector<std::string>{"vrrp_instance vip-1 {", "vrrp_instance vip-2 {"}));
  const auto lb1_vip1 = InstanceBlock(cfg1_, "vip-1");
  const auto lb1_vip2 = InstanceBlock(cfg1_, "vip-2");
  const auto lb2_vip1 = InstanceBlock(cfg2_, "vip-1");
  const auto lb2_vip2 = InstanceBlock(cfg2_, "vip-2");
  EXPECT_TRUE(Contains(lb1_vip1, "priority 150"));
  EXPECT_TRUE(Contains(lb1_vip2, "priority 100"));
  EXPECT_TRUE(Contains(lb2_vip1, "priority 100"));
  EXPECT_TRUE(Contains(lb2_vip2, "priority 150"));
  for (const auto* block : {&lb1_vip1, &lb2_vip1}) {
    EXPECT_TRUE(Contains(*block, "virtual_router_id 1"));
    EXPECT_TRUE(Contains(*block, "198.18.0.10/32 dev public"));
  }
  for (const auto* block : {&lb1_vip2, &lb2_vip2}) {
    EXPECT_TRUE(Contains(*block, "virtual_router_id 2"));
    EXPECT_TRUE(Contains(*block, "198.18.0.20/32 dev public"));
  }
  for (const auto* block : {&lb1_vip1, &lb1_vip2, &lb2_vip1, &lb2_vip2}) {
    // Both start as backup and preempt (no nopreempt): priorities alone decide.
    EXPECT_TRUE(Contains(*block, "state BACKUP"));
    EXPECT_FALSE(Contains(*block, "nopreempt"));
    EXPECT_TRUE(Contains(*block, "preempt_delay 2"));
    EXPECT_TRUE(Contains(*block, "interface public"));
    EXPECT_TRUE(Contains(*block, "advert_int 0.1"));
    EXPECT_TRUE(Contains(*block, "haproxy weight 0"));
    EXPECT_TRUE(Contains(*block, "private weight 0"));  // track_interface
    EXPECT_TRUE(Contains(*block, "lb_serving"));        // track_script
  }
}

TEST_F(RenderKeepalivedTest, UnicastBetweenTheBalancersPublicAddresses) {
  EXPECT_EQ(DirectivesStartingWith(cfg1_, "unicast_src_ip "),
            std::vector<std::string>(2, "unicast_src_ip 198.18.0.11"));
  EXPECT_EQ(DirectivesStartingWith(cfg2_, "unicast_src_ip "),
            std::vector<std::string>(2, "unicast_src_ip 198.18.0.12"));
  const auto lb1 = InstanceBlock(cfg1_, "vip-1");
  EXPECT_TRUE(Contains(lb1, "198.18.0.12"));
  EXPECT_FALSE(Contains(lb1, "198.18.0.11"));
  const auto lb2 = InstanceBlock(cfg2_, "vip-2");
  EXPECT_TRUE(Contains(lb2, "198.18.0.11"));
  EXPECT_FALSE(Contains(lb2, "198.18.0.12"));
}

// All lab hosts share one PID namespace: the tracked process must be this host's HAProxy,
// named by the exact command line the lab starts it with.
TEST_F(RenderKeepalivedTest, TracksThisHostsOwnHaproxyByCommandLine) {
  std::string expected = "process";
  for (const auto& arg : HaproxyArgv(lb1_.paths)) expected += " " + arg;
  EXPECT_EQ(DirectivesStartingWith(cfg1_, "process "), std::vector<std::string>{expected});
  EXPECT_NE(expected.find(HaproxyConfigPath(lb1_.paths).string()), std::string::npos);
  EXPECT_EQ(cfg1_.find("hosts/lb-02/"), std::string::npos);
  EXPECT_EQ(DirectivesStartingWith(cfg1_, "terminate_delay").size(), 0u);
  for (const char* line : {"vrrp_track_process haproxy {", "param_match partial", "quorum 1",
                           "fork_delay 0.5"})
    EXPECT_TRUE(HasDirective(cfg1_, line)) << line;
}

// HAProxy running but without any app server up: the priority falls below the peer's.
TEST_F(RenderKeepalivedTest, AskingHaproxyWhetherItCanServeLowersThePriorityBelowThePeers) {
  const std::string script = "script \"/usr/bin/curl -sf -o /dev/null --max-time 0.5 "
                             "http://127.0.0.1:8404/lb-health\"";
  for (const std::string& line : {std::string("vrrp_script lb_serving {"), script,
                                 std::string("interval 1"), std::string("fall 1"),
                                 std::string("rise 1"), std::string("weight -60"),
                                 std::string("user nobody nogroup")})
    EXPECT_TRUE(HasDirective(cfg1_, line)) << line;
  EXPECT_LT(kVrrpMasterPriority - kVrrpNotServingPenalty, kVrrpBackupPriority);
}

TEST_F(RenderKeepalivedTest, RejectsAHostWithoutPublicAddressOrATopologyWithoutVips) {
  EXPECT_THROW(RenderKeepalivedConfig(ContextFor(topology_, "app-01", state_.path())),
               std::invalid_argument);
  const Topology seed = testing::LoadSeed();
  EXPECT_THROW(RenderKeepalivedConfig(ContextFor(seed, "lb-01", state_.path())),
               std::invalid_argument);
}

// `keepalived --config-test` only reads the file and dumps links and addresses over netlink
// (checked with strace: no bind, no write, no namespace change), but it fails on an
// interface that does not exist: run it in a fresh network namespace holding a `public` and
// a `private` one. keepalived 2.2.7's config test also kills itself (SIGTERM, exit 143) after
// checking a script's `user` line, even in a valid file, so the copy checked here goes without
// it; the daemon runs the script as that user (seen in the lab: "Script `lb_serving` now
// returning ...").
TEST_F(RenderKeepalivedTest, RealKeepalivedAcceptsTheConfig) {
  const auto keepalived = testing::FindTool("keepalived");
  const auto unshare = testing::FindTool("unshare");
  const auto ip = testing::FindTool("ip");
  if (!keepalived || !unshare || !ip) GTEST_SKIP() << "keepalived, unshare or ip is missing";
  if (testing::RunCommand(unshare->string() + " -n true").exit_code != 0)
    GTEST_SKIP() << "cannot create a network namespace (not root?)";
  for (const RenderContext* ctx : {&lb1_, &lb2_}) {
    const auto path = KeepalivedConfigPath(ctx->paths);
    std::string cfg = RenderKeepalivedConfig(*ctx);
    const std::string user_line = "    user nobody nogroup\n";
    ASSERT_NE(cfg.find(user_line), std::string::npos);
    cfg.erase(cfg.find(user_line), user_line.size());
    testing::WriteFile(path, cfg);
    const auto result = testing::RunCommand(
        unshare->string() + " -n sh -c '" + ip->string() +
        " link add public type veth peer name peer1 && " + ip->string() +
        " link add private type veth peer name peer2 && " + keepalived->string() +
        " --config-test -f " + path.string() + "'");
    EXPECT_EQ(result.exit_code, 0) << ctx->host.name << ": " << result.output;
  }
}

}  // namespace
}  // namespace foobar::ctl
