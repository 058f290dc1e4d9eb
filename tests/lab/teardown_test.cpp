// `foobar down` leaves nothing behind: no namespace, process, mount, route, resolver file
// or state, and a second `down` is a no-op. The suite runs `down` once (it is the lab
// fixture's cleanup), noting first which namespaces existed so that processes still inside
// them are found by namespace inode even after the names are gone.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

namespace fs = std::filesystem;

fs::path StateDir() {
  const char* dir = std::getenv("FOOBAR_STATE_DIR");
  return dir && *dir ? fs::path(dir) : fs::path("/var/lib/foobar");
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// What the suite saw: the lab as it was before `down`, and what `down` did.
struct Observed {
  std::set<std::string> namespaces;        // every namespace the lab may have made
  std::set<std::string> hosts;             // its host names
  std::set<std::string> cidrs;             // its networks
  std::set<std::string> namespace_inodes;  // "net:[INODE]" of the namespaces that existed
  CommandResult down;
};

Observed ObserveAndRunDown() {
  // The lab's topology: the recorded one if `up` left it readable, and the seed (which is
  // what the lab_seed fixture brings up) in any case.
  std::vector<ctl::Topology> topologies = {SeedTopology()};
  try {
    if (fs::exists(StateDir() / "lab.toml"))
      topologies.push_back(ctl::LoadTopologyFile(StateDir() / "lab.toml"));
  } catch (const std::exception&) {
    // Not a topology file: the seed's names are checked.
  }
  Observed observed;
  observed.namespaces.insert("foobar-switch");
  for (const auto& topology : topologies) {
    for (const auto& host : topology.hosts) {
      observed.namespaces.insert(host.name);
      observed.hosts.insert(host.name);
    }
    for (const auto& network : topology.networks) observed.cidrs.insert(network.cidr);
  }
  for (const auto& ns : observed.namespaces) {
    struct stat st {};
    if (::stat(("/run/netns/" + ns).c_str(), &st) == 0)
      observed.namespace_inodes.insert("net:[" + std::to_string(st.st_ino) + "]");
  }
  observed.down = Foobar({"down"}, "", 150);
  return observed;
}

class LabDown : public testing::Test {
 protected:
  static void SetUpTestSuite() { observed_ = new Observed(ObserveAndRunDown()); }
  static void TearDownTestSuite() {
    delete observed_;
    observed_ = nullptr;
  }

  static Observed* observed_;
};

Observed* LabDown::observed_ = nullptr;

TEST_F(LabDown, DownSucceeds) {
  EXPECT_EQ(observed_->down.exit_code, 0) << Describe(observed_->down);
}

TEST_F(LabDown, NoNamespaceLeft) {
  const CommandResult list = ctl::RunCommand({"ip", "netns", "list"});
  ASSERT_TRUE(list.ok()) << Describe(list);
  std::istringstream lines(list.out);
  for (std::string line; std::getline(lines, line);) {
    const std::string name = line.substr(0, line.find(' '));  // "NAME (id: 3)"
    EXPECT_EQ(observed_->namespaces.count(name), 0u) << "namespace left: " << line;
  }
  for (const auto& ns : observed_->namespaces)
    EXPECT_FALSE(fs::exists("/run/netns/" + ns)) << "/run/netns/" << ns << " left";
}

TEST_F(LabDown, NoProcessLeft) {
  const std::string state_dir = StateDir().string();
  const pid_t self = ::getpid();
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (!std::all_of(pid.begin(), pid.end(), [](unsigned char c) { return std::isdigit(c); }) ||
        std::stol(pid) == self)
      continue;
    std::string cmdline = ReadFile(entry.path() / "cmdline");  // gone already: empty
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    std::error_code error;
    const std::string netns = fs::read_symlink(entry.path() / "ns" / "net", error).string();

    // The trailing slash: another lab on this machine may live in /var/lib/foobar-x.
    EXPECT_EQ(cmdline.find(state_dir + "/"), std::string::npos) << "pid " << pid << ": " << cmdline;
    EXPECT_EQ(observed_->namespace_inodes.count(netns), 0u)
        << "pid " << pid << " still runs in a lab namespace: " << cmdline;
  }
}

TEST_F(LabDown, NoMountLeft) {
  const std::string mountinfo = ReadFile("/proc/self/mountinfo");
  const std::string state_dir = StateDir().string() + "/";
  std::istringstream lines(mountinfo);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.find(state_dir), std::string::npos) << line;
    for (const auto& ns : observed_->namespaces)
      EXPECT_EQ((line + " ").find("/run/netns/" + ns + " "), std::string::npos) << line;
  }
}

TEST_F(LabDown, NoBlackholeRouteLeft) {
  // Another developer's lab on this machine (FOOBAR_NS_PREFIX) keeps the shared routes.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/run/netns", ec))
    if (entry.path().filename().string().ends_with("foobar-switch"))
      GTEST_SKIP() << "another lab is up (" << entry.path().filename().string() << ") and keeps the routes";
  const CommandResult routes = ctl::RunCommand({"ip", "-4", "route", "show", "type", "blackhole"});
  ASSERT_TRUE(routes.ok()) << Describe(routes);
  for (const auto& cidr : observed_->cidrs)
    EXPECT_EQ(routes.out.find(" " + cidr), std::string::npos)
        << "blackhole route for " << cidr << " left: " << routes.out;
}

TEST_F(LabDown, NoResolverFilesLeft) {
  for (const auto& host : observed_->hosts)
    EXPECT_FALSE(fs::exists("/etc/netns/" + host)) << "/etc/netns/" << host << " left";
}

TEST_F(LabDown, StateDirIsGone) { EXPECT_FALSE(fs::exists(StateDir())) << StateDir() << " left"; }

TEST_F(LabDown, SecondDownIsANoOp) {
  const CommandResult again = Foobar({"down"}, "", 60);
  EXPECT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_FALSE(fs::exists(StateDir())) << "a second down created " << StateDir();
}

}  // namespace
}  // namespace foobar::lab_test
