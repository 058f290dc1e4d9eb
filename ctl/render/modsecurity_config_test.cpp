#include "ctl/render/modsecurity_config.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::DirectivesStartingWith;
using testing::HasDirective;
using testing::LoadSeed;
using testing::TempDir;

class RenderModsecurityTest : public ::testing::Test {
 protected:
  Topology topology_ = LoadSeed();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "app-01", state_.path());
  std::string conf_ = RenderModsecurityConfig(ctx_);
};

TEST_F(RenderModsecurityTest, BesideNginxConf) {
  EXPECT_EQ(ModsecurityConfigPath(ctx_.paths), state_.path() / "hosts/app-01/etc/nginx/modsecurity.conf");
  EXPECT_EQ(conf_.rfind("# Rendered by foobar from topology seed — do not edit.\n", 0), 0u);
}

TEST_F(RenderModsecurityTest, BlocksAndReadsBodiesUpToNginxsLimitButNotResponses) {
  for (const char* line : {"SecRuleEngine On", "SecRequestBodyAccess On", "SecRequestBodyLimit 65536",
                           "SecRequestBodyNoFilesLimit 65536", "SecRequestBodyLimitAction Reject",
                           "SecResponseBodyAccess Off", "SecStatusEngine Off"})
    EXPECT_TRUE(HasDirective(conf_, line)) << line;
  EXPECT_TRUE(DirectivesStartingWith(conf_, "SecRuleEngine DetectionOnly").empty());
  EXPECT_NE(conf_.find("ctl:requestBodyProcessor=JSON"), std::string::npos);
  EXPECT_NE(conf_.find("REQBODY_ERROR"), std::string::npos) << "an unparsable body must be refused";
}

TEST_F(RenderModsecurityTest, AuditLogInTheHostsLogWithoutBodies) {
  EXPECT_TRUE(HasDirective(conf_, "SecAuditLog " + (state_.path() / "hosts/app-01/log").string() +
                                      "/modsec_audit.log"));
  EXPECT_TRUE(HasDirective(conf_, "SecAuditEngine RelevantOnly"));
  const auto parts = DirectivesStartingWith(conf_, "SecAuditLogParts ");
  ASSERT_EQ(parts.size(), 1u);
  for (const char body_part : {'C', 'E', 'I', 'J'})
    EXPECT_EQ(parts[0].find(body_part, std::string("SecAuditLogParts ").size()), std::string::npos)
        << parts[0];
}

TEST_F(RenderModsecurityTest, IncludesEveryCrsFileExplicitlyAtParanoiaOne) {
  EXPECT_EQ(conf_.find("IncludeOptional"), std::string::npos);
  const auto includes = DirectivesStartingWith(conf_, "Include ");
  const auto files = CrsRuleFiles();
  ASSERT_EQ(includes.size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) EXPECT_EQ(includes[i], "Include " + files[i]);
  EXPECT_EQ(files.front(), kCrsSetupFile);
  EXPECT_NE(conf_.find("setvar:tx.paranoia_level=1"), std::string::npos);
  // Our settings sit between crs-setup.conf and REQUEST-901, which only fills in unset values.
  const auto setup = conf_.find("Include " + files[0]);
  const auto ours = conf_.find("id:900000");
  const auto init = conf_.find("REQUEST-901-INITIALIZATION.conf");
  EXPECT_LT(setup, ours);
  EXPECT_LT(ours, init);
}

TEST(CrsRuleFilesTest, EveryFileIsInstalled) {
  if (!std::filesystem::exists(kCrsRulesDir)) GTEST_SKIP() << "modsecurity-crs is not installed";
  for (const auto& file : CrsRuleFiles()) EXPECT_TRUE(std::filesystem::exists(file)) << file;
  EXPECT_TRUE(std::filesystem::exists(kModsecurityModule));
  EXPECT_TRUE(std::filesystem::exists(kUnicodeMappingFile));
}

}  // namespace
}  // namespace foobar::ctl
