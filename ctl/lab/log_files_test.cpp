#include "ctl/lab/log_files.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "ctl/lab/lab_error.h"
#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::TempDir;

void Write(const std::filesystem::path& path, const std::string& text, bool append = false) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, append ? std::ios::app | std::ios::binary : std::ios::binary);
  out << text;
}

TEST(LogFilesTest, ServiceIsTheNameUpToItsFirstDash) {
  EXPECT_EQ(ServiceOfLogName("nginx-access"), "nginx");
  EXPECT_EQ(ServiceOfLogName("node_exporter"), "node_exporter");
}

TEST(LogFilesTest, TailReadsTheLastLines) {
  TempDir dir;
  const auto path = dir.path() / "a.log";
  Write(path, "one\ntwo\nthree\n");
  EXPECT_EQ(TailLines(path, 2), (std::vector<std::string>{"two", "three"}));
  EXPECT_EQ(TailLines(path, 10), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_TRUE(TailLines(path, 0).empty());
  EXPECT_TRUE(TailLines(dir.path() / "missing.log", 3).empty());
  Write(path, "four");  // replaced, no final newline
  EXPECT_EQ(TailLines(path, 1), (std::vector<std::string>{"four"}));
}

TEST(LogFilesTest, TailOfALongFileCrossesBlocks) {
  TempDir dir;
  const auto path = dir.path() / "long.log";
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + " of a long log file\n";
  Write(path, text);
  const auto lines = TailLines(path, 5000);
  ASSERT_EQ(lines.size(), 5000u);
  EXPECT_EQ(lines.front(), "line 15000 of a long log file");
  EXPECT_EQ(lines.back(), "line 19999 of a long log file");
}

TEST(LogFilesTest, NewLinesAreWholeAndSurviveTruncation) {
  TempDir dir;
  const auto path = dir.path() / "f.log";
  Write(path, "old\n");
  std::uintmax_t offset = 4;
  EXPECT_TRUE(ReadNewLines(path, offset).empty());
  Write(path, "a\nb", true);
  EXPECT_EQ(ReadNewLines(path, offset), (std::vector<std::string>{"a"}));
  Write(path, "c\n", true);
  EXPECT_EQ(ReadNewLines(path, offset), (std::vector<std::string>{"bc"}));
  Write(path, "x\n");  // truncated and rewritten
  EXPECT_EQ(ReadNewLines(path, offset), (std::vector<std::string>{"x"}));
}

TEST(LogFilesTest, ServiceLogsOfAHost) {
  TempDir dir;
  Topology topology = testing::LoadSeed();
  LabContext lab{topology, StatePaths{dir.path()}, {}, {}};
  const Host& app = lab.HostNamed("app-01");
  const auto log = lab.state.Host("app-01").Log();
  Write(log / "nginx.log", "");
  Write(log / "nginx-access.log", "");
  Write(log / "app.log", "");
  Write(log / "notes.txt", "");
  const auto all = HostLogFiles(lab, app);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name, "app");
  const auto nginx = ServiceLogFiles(lab, app, "nginx");
  ASSERT_EQ(nginx.size(), 2u);
  EXPECT_EQ(ServiceLogFiles(lab, app, "nginx-access").size(), 1u);
  try {
    ServiceLogFiles(lab, app, "haproxy");
    ADD_FAILURE() << "no error for a service the host does not run";
  } catch (const LabError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown service 'haproxy' on app-01"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace foobar::ctl
