#include "ctl/lab/backup_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "ctl/lab/binlog_replay.h"
#include "ctl/lab/lab_error.h"

namespace foobar::ctl {
namespace {
namespace fs = std::filesystem;

// A small backup-shaped directory under the test's temp dir, removed afterwards.
class BackupDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("foobar-backup-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data" / "foobar");
    Put("data/foobar/messages.ibd", "rows");
    Put("data/xtrabackup_binlog_info", "mysql-bin.000002\t1234\t0-1-57\n");
    BackupManifest m;
    m.source_host = "db-02";
    m.gtid_position = "0-1-57";
    m.tables = {{"messages", 12, "3735928559"}};
    WriteManifest(dir_, m);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Put(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string VerifyError() {
    try {
      VerifyChecksums(dir_);
    } catch (const LabError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(BackupDirTest, ManifestRoundTrips) {
  const BackupManifest m = ReadManifest(dir_);
  EXPECT_EQ(m.source_host, "db-02");
  EXPECT_EQ(m.gtid_position, "0-1-57");
  ASSERT_EQ(m.tables.size(), 1u);
  EXPECT_EQ(m.tables[0].rows, 12);
}

TEST_F(BackupDirTest, ChecksumsCoverEveryFileButThemselves) {
  WriteChecksums(dir_);
  std::ifstream in(dir_ / kChecksumsFile);
  std::stringstream text;
  text << in.rdbuf();
  const auto lines = ParseChecksumLines(text.str());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].first, "data/foobar/messages.ibd");
  EXPECT_EQ(lines[2].first, "manifest.json");
  EXPECT_EQ(VerifyError(), "");
}

TEST_F(BackupDirTest, ChangedMissingAndExtraFilesAreRefused) {
  WriteChecksums(dir_);
  Put("data/foobar/messages.ibd", "rowz");
  EXPECT_NE(VerifyError().find("data/foobar/messages.ibd has changed"), std::string::npos) << VerifyError();
  EXPECT_NE(VerifyError().find("nothing was changed"), std::string::npos);
  Put("data/foobar/messages.ibd", "rows");
  EXPECT_EQ(VerifyError(), "");
  fs::remove(dir_ / "data" / "xtrabackup_binlog_info");
  EXPECT_NE(VerifyError().find("data/xtrabackup_binlog_info is missing"), std::string::npos) << VerifyError();
  Put("data/xtrabackup_binlog_info", "mysql-bin.000002\t1234\t0-1-57\n");
  Put("data/extra", "x");
  EXPECT_NE(VerifyError().find("data/extra is not listed"), std::string::npos) << VerifyError();
  fs::remove(dir_ / "data" / "extra");
  fs::remove(dir_ / kChecksumsFile);
  EXPECT_NE(VerifyError().find("has no SHA256SUMS"), std::string::npos) << VerifyError();
}

TEST(ChecksumLinesTest, RejectsWhatSha256sumDoesNotWrite) {
  EXPECT_THROW(ParseChecksumLines("abc  file\n"), LabError);
  EXPECT_EQ(ParseChecksumLines(std::string(64, 'a') + "  x/y\n").at(0).first, "x/y");
}

TEST(BackupNameTest, SortsByTimeAndNamesTheSource) {
  const auto at = std::chrono::system_clock::from_time_t(1795717805);  // 2026-11-26 18:30:05 UTC
  EXPECT_EQ(BackupName(at, "db-02"), "20261126T183005Z-db-02");
  EXPECT_EQ(UtcText(1795717805123), "2026-11-26 18:30:05.123");
}

TEST(GtidPositionTest, CoversPerDomain) {
  EXPECT_TRUE(GtidPositionCovers("0-1-57", "0-1-57"));
  EXPECT_TRUE(GtidPositionCovers("0-2-60", "0-1-57"));
  EXPECT_FALSE(GtidPositionCovers("0-1-56", "0-1-57"));
  EXPECT_TRUE(GtidPositionCovers("0-1-57,1-3-4", ""));
  EXPECT_FALSE(GtidPositionCovers("0-1-57", "0-1-5,1-3-4"));
  EXPECT_THROW(ParseGtidPosition("0-1"), LabError);
}

TEST(UtcDateTimeTest, AcceptsOnlyTheDocumentedForm) {
  EXPECT_TRUE(IsUtcDateTime("2026-11-26 18:30:05"));
  EXPECT_FALSE(IsUtcDateTime("2026-11-26T18:30:05"));
  EXPECT_FALSE(IsUtcDateTime("2026-13-26 18:30:05"));
  EXPECT_FALSE(IsUtcDateTime("2026-11-26 18:30"));
}

}  // namespace
}  // namespace foobar::ctl
