#include "ctl/render/sshd_config.h"

#include <gtest/gtest.h>

#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::HasDirective;
using testing::TempDir;

class RenderSshdTest : public ::testing::Test {
 protected:
  std::string Render(const std::string& host) { return RenderSshdConfig(ContextFor(seed_, host, dir_.path())); }
  Topology seed_ = testing::LoadSeed();
  TempDir dir_;
};

TEST_F(RenderSshdTest, EveryServerRunsSshdAndTheHelpersDoNot) {
  for (const auto& host : seed_.hosts)
    EXPECT_EQ(host.Runs("sshd"), host.name != "client" && host.name != "loadgen" && host.name != "admin") << host.name;
}

TEST_F(RenderSshdTest, KeyOnlyRootLoginOnThePrivateAddress) {
  const std::string conf = Render("app-01");
  for (const char* directive :
       {"ListenAddress 198.18.1.21:22", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password", "PubkeyAuthentication yes", "UsePAM no", "AllowTcpForwarding no"})
    EXPECT_TRUE(HasDirective(conf, directive)) << directive << "\n" << conf;
  const HostPaths paths = StatePaths{dir_.path()}.Host("app-01");
  EXPECT_TRUE(HasDirective(conf, "HostKey " + (paths.Etc() / "ssh/ssh_host_ed25519_key").string()));
  EXPECT_TRUE(HasDirective(conf, "AuthorizedKeysFile " + (paths.Etc() / "ssh/authorized_keys").string()));
  EXPECT_TRUE(HasDirective(conf, "PidFile " + (paths.Run() / "sshd.pid").string()));
}

TEST_F(RenderSshdTest, PublicOnlyHostListensOnItsPublicAddress) {
  EXPECT_TRUE(HasDirective(Render("dns"), "ListenAddress 198.18.0.2:22"));
}

TEST_F(RenderSshdTest, AdminHostMustReachEverySshd) {
  std::string text = testing::SeedText();
  const std::string from = R"(addresses = { public = "198.18.0.5", private = "198.18.1.5" })";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), R"(addresses = { private = "198.18.1.5" })");
  try {
    ParseTopology(text, "t.toml");
    ADD_FAILURE() << "an admin host without a public address cannot reach the DNS server's sshd";
  } catch (const TopologyError& e) {
    EXPECT_NE(std::string(e.what()).find("needs a public address"), std::string::npos) << e.what();
  }
}

TEST_F(RenderSshdTest, SshdAcceptsTheConfig) {
  auto sshd = testing::FindTool("sshd");
  if (!sshd) GTEST_SKIP() << "sshd is not installed";
  // sshd checks its privilege separation directory even in test mode; the lab creates it at `up`.
  if (!std::filesystem::exists("/run/sshd")) GTEST_SKIP() << "/run/sshd does not exist (no lab was up yet)";
  const auto conf = dir_.path() / "sshd_config";
  testing::WriteFile(conf, Render("app-01"));
  // -t: test mode; the host key does not exist here, so point it at a throwaway one.
  const auto key = dir_.path() / "key";
  ASSERT_EQ(testing::RunCommand("ssh-keygen -q -t ed25519 -N '' -f " + key.string()).exit_code, 0);
  auto result = testing::RunCommand(sshd->string() + " -t -f " + conf.string() + " -h " + key.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

}  // namespace
}  // namespace foobar::ctl
