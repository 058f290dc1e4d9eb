// EtcdClient against a real etcd (Debian's etcd-server) on loopback ports picked at random,
// with its data in a temporary directory; skipped where etcd is not installed.
#include "sentinel/etcd_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

extern char** environ;

namespace foobar::sentinel {
namespace {
using namespace std::chrono_literals;

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

class EtcdClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/bin/etcd", X_OK) != 0) GTEST_SKIP() << "etcd is not installed";
    std::string pattern = (std::filesystem::temp_directory_path() / "foobar-etcd-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    const int client = FreeLoopbackPort();
    const int peer = FreeLoopbackPort();
    url_ = "http://127.0.0.1:" + std::to_string(client);
    const std::string peer_url = "http://127.0.0.1:" + std::to_string(peer);
    std::vector<std::string> args = {"etcd",
                                     "--name=t",
                                     "--data-dir=" + (dir_ / "data").string(),
                                     "--listen-client-urls=" + url_,
                                     "--advertise-client-urls=" + url_,
                                     "--listen-peer-urls=" + peer_url,
                                     "--initial-advertise-peer-urls=" + peer_url,
                                     "--initial-cluster=t=" + peer_url,
                                     "--logger=zap",
                                     "--log-outputs=stderr"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    const std::string log = (dir_ / "etcd.log").string();
    posix_spawn_file_actions_addopen(&files, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int spawned = posix_spawn(&pid_, "/usr/bin/etcd", &files, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    ASSERT_EQ(spawned, 0);
    EtcdClient probe({url_}, 500ms);
    for (int i = 0; i < 100; ++i) {
      if (probe.Get("/ready").ok()) return;
      std::this_thread::sleep_for(100ms);
    }
    FAIL() << "etcd did not answer within 10 s";
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::string url_;
  pid_t pid_ = -1;
};

TEST_F(EtcdClientTest, PutGetPrefixAndDelete) {
  EtcdClient etcd({url_}, 1s);
  ASSERT_TRUE(etcd.Put("/t/a", "1").ok());
  ASSERT_TRUE(etcd.Put("/t/b", std::string("two\0bytes", 9)).ok());
  ASSERT_TRUE(etcd.Put("/u", "other").ok());
  auto a = etcd.Get("/t/a");
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ((*a)->value, "1");
  EXPECT_GT((*a)->mod_revision, 0);
  auto all = etcd.GetPrefix("/t/");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].value, std::string("two\0bytes", 9));
  ASSERT_TRUE(etcd.Delete("/t/a").ok());
  auto gone = etcd.Get("/t/a");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
}

TEST_F(EtcdClientTest, TxnCreatesOnceAndComparesValues) {
  EtcdClient etcd({url_}, 1s);
  auto first = etcd.Txn(nlohmann::json::array({txn::Absent("/l")}), nlohmann::json::array({txn::Put("/l", "me")}));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(*first);
  auto second = etcd.Txn(nlohmann::json::array({txn::Absent("/l")}), nlohmann::json::array({txn::Put("/l", "you")}));
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_TRUE(*etcd.Txn(nlohmann::json::array({txn::ValueEquals("/l", "me")}), nlohmann::json::array({txn::Put("/c", "x")})));
  auto c = etcd.Get("/c");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_FALSE(*etcd.Txn(nlohmann::json::array({txn::ModRevisionEquals("/c", (*c)->mod_revision + 1)}),
                         nlohmann::json::array({txn::Put("/c", "y")})));
  EXPECT_TRUE(*etcd.Txn(nlohmann::json::array({txn::ModRevisionEquals("/c", (*c)->mod_revision)}),
                        nlohmann::json::array({txn::Put("/c", "y")})));
}

TEST_F(EtcdClientTest, LeasedKeysVanishWithTheLease) {
  EtcdClient etcd({url_}, 1s);
  auto lease = etcd.GrantLease(2);
  ASSERT_TRUE(lease.ok()) << lease.error().message;
  ASSERT_TRUE(etcd.Put("/leased", "v", *lease).ok());
  auto ttl = etcd.KeepAlive(*lease);
  ASSERT_TRUE(ttl.ok()) << ttl.error().message;
  EXPECT_EQ(*ttl, 2);
  EXPECT_EQ((*etcd.Get("/leased"))->lease, *lease);
  ASSERT_TRUE(etcd.Revoke(*lease).ok());
  EXPECT_FALSE(etcd.Get("/leased")->has_value());
  auto after = etcd.KeepAlive(*lease);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, 0);
  EXPECT_FALSE(etcd.Put("/x", "v", *lease).ok());  // "lease not found"
}

TEST_F(EtcdClientTest, MovesOnFromADeadEndpoint) {
  const std::string dead = "http://127.0.0.1:" + std::to_string(FreeLoopbackPort());
  EtcdClient etcd({dead, url_}, 500ms);
  EXPECT_FALSE(etcd.Put("/k", "v").ok());  // refused: the next call goes to the next member
  EXPECT_TRUE(etcd.Put("/k", "v").ok());
  EXPECT_EQ(etcd.current_endpoint(), url_);
}

TEST(EtcdPrefixTest, RangeEndIsThePrefixPlusOne) {
  EXPECT_EQ(PrefixRangeEnd("/a/"), "/a0");
  EXPECT_EQ(PrefixRangeEnd(std::string("a\xFF", 2)), "b");
}

}  // namespace
}  // namespace foobar::sentinel
