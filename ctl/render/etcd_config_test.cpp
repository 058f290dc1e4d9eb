#include "ctl/render/etcd_config.h"

#include <gtest/gtest.h>

#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::DirectivesStartingWith;
using testing::HasDirective;
using testing::TempDir;

Topology LoadProduction() {
  return LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
}

class RenderEtcdTest : public ::testing::Test {
 protected:
  Topology topology_ = LoadProduction();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "lb-02", state_.path());
  std::string yml_ = RenderEtcdConfig(ctx_);
};

TEST_F(RenderEtcdTest, PathsAreUnderTheHostsTree) {
  EXPECT_EQ(EtcdConfigPath(ctx_.paths), state_.path() / "hosts/lb-02/etc/etcd/etcd.yml");
  EXPECT_EQ(EtcdDataDir(ctx_.paths), state_.path() / "hosts/lb-02/data/etcd");
  EXPECT_EQ(yml_.rfind("# Rendered by foobar from topology production — do not edit.\n", 0), 0u);
  EXPECT_TRUE(HasDirective(yml_, "data-dir: " + (state_.path() / "hosts/lb-02/data/etcd").string()));
}

TEST_F(RenderEtcdTest, MemberListensOnItsPrivateAddressOnly) {
  EXPECT_TRUE(HasDirective(yml_, "name: lb-02"));
  for (const char* line : {"listen-client-urls: http://198.18.1.12:2379",
                           "advertise-client-urls: http://198.18.1.12:2379",
                           "listen-peer-urls: http://198.18.1.12:2380",
                           "initial-advertise-peer-urls: http://198.18.1.12:2380"})
    EXPECT_TRUE(HasDirective(yml_, line)) << line;
}

TEST_F(RenderEtcdTest, ClusterIsEveryEtcdHostOfTheTopology) {
  EXPECT_EQ(DirectivesStartingWith(yml_, "initial-cluster:"),
            std::vector<std::string>{"initial-cluster: lb-01=http://198.18.1.11:2380,"
                                     "lb-02=http://198.18.1.12:2380,app-01=http://198.18.1.21:2380"});
  EXPECT_TRUE(HasDirective(yml_, "initial-cluster-token: foobar-production"));
  EXPECT_TRUE(HasDirective(yml_, "initial-cluster-state: new"));
  EXPECT_EQ(EtcdClientUrls(topology_),
            (std::vector<std::string>{"http://198.18.1.11:2379", "http://198.18.1.12:2379",
                                      "http://198.18.1.21:2379"}));
}

TEST_F(RenderEtcdTest, BoundedHistoryAndNoV2) {
  for (const char* line : {"auto-compaction-mode: periodic", "auto-compaction-retention: \"10m\"",
                           "enable-v2: false", "enable-grpc-gateway: true", "heartbeat-interval: 100", "election-timeout: 1000"})
    EXPECT_TRUE(HasDirective(yml_, line)) << line;
}

// The real etcd reads the file and gets as far as binding the peer address, which does not
// exist outside the lab: the file parsed, and nothing was listened on or sent.
TEST_F(RenderEtcdTest, RealEtcdParsesTheConfig) {
  const auto etcd = testing::FindTool("etcd");
  if (!etcd) GTEST_SKIP() << "etcd is not installed";
  const auto path = EtcdConfigPath(ctx_.paths);
  testing::WriteFile(path, yml_);
  const auto result = testing::RunCommand("timeout 20 " + etcd->string() + " --config-file " + path.string());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("198.18.1.12:2380"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("cannot assign requested address"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace foobar::ctl
