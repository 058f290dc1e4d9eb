#include "app/release_info.h"

#include <gtest/gtest.h>

#include "app/version.h"

namespace foobar::app {
namespace {

TEST(ReleaseInfo, VersionAndFault) {
  auto info = ParseReleaseInfo("version = \"2026.11.26-abc\"\nfault = \"500 /api/messages\"\n", "release.toml");
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->version, "2026.11.26-abc");
  ASSERT_TRUE(info->fault.has_value());
  EXPECT_EQ(info->fault->status, 500);
  EXPECT_EQ(info->fault->path, "/api/messages");
}

TEST(ReleaseInfo, MissingFileIsTheBuildTree) {
  auto info = LoadReleaseInfo("/nonexistent/release.toml");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->version, kVersion);
  EXPECT_FALSE(info->fault.has_value());
}

TEST(ReleaseInfo, RejectsBadFault) {
  EXPECT_FALSE(ParseReleaseInfo("fault = \"200 /api/messages\"", "r").ok());
  EXPECT_FALSE(ParseReleaseInfo("fault = \"500 api\"", "r").ok());
  EXPECT_FALSE(ParseReleaseInfo("fault = \"oops\"", "r").ok());
  EXPECT_FALSE(ParseReleaseInfo("version = \"\"", "r").ok());
}

}  // namespace
}  // namespace foobar::app
