// Backups and restore in the production lab (issue 6): a backup taken from the replica loses
// nothing acknowledged before it (restore onto the replica, audit by id, then it replicates
// and the tier is at full strength again); a tampered backup is refused with the replica
// untouched; point-in-time recovery to a time between two writes keeps the first and not the
// second, and leaves the server standalone and read-only until `foobar db rejoin` (a guard
// runs it whatever happens). One backup serves the three tests and is deleted at the end,
// with the tampered copy. About 60 s in all.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

json Cluster() {
  const CommandResult r = Foobar({"status", "--json"});
  const json status = r.ok() ? json::parse(r.out, nullptr, false) : json();
  return status.is_object() && status.contains("database_cluster") ? status["database_cluster"] : json();
}

bool FullStrength() {
  const json c = Cluster();
  return c.is_object() && c.value("full_strength", false);
}

std::string LastLine(const std::string& text) {
  std::string trimmed = TrimRight(text);
  const auto nl = trimmed.rfind('\n');
  return nl == std::string::npos ? trimmed : trimmed.substr(nl + 1);
}

// POSTs `count` messages through the site; the ids it acknowledged (201).
std::vector<std::string> Write(const std::string& prefix, int count) {
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    const HttpResponse r =
        PostFromClient("/api/messages", "{\"author\":\"backup-test\",\"body\":\"" + prefix + "-" + std::to_string(i) + "\"}");
    EXPECT_EQ(r.status, 201) << r.Describe();
    const json body = JsonBody(r);
    if (r.status == 201 && body.is_object() && body.contains("id")) ids.push_back(body["id"].dump());
  }
  return ids;
}

// Which of `ids` are in foobar.messages on `host`.
std::vector<std::string> Missing(const std::string& host, const std::vector<std::string>& ids) {
  std::string list;
  for (const auto& id : ids) list += (list.empty() ? "" : ",") + id;
  const auto out = SqlOutput(host, "SELECT id FROM foobar.messages WHERE id IN (" + list + ") ORDER BY id");
  std::set<std::string> present;
  std::istringstream in(out.value_or(""));
  for (std::string line; std::getline(in, line);) present.insert(line);
  std::vector<std::string> missing;
  for (const auto& id : ids)
    if (!present.count(id)) missing.push_back(id);
  return missing;
}

std::string Replica() {
  const auto others = OtherDatabaseHosts(PrimaryDatabaseHost());
  return others.empty() ? "" : others.front();
}

// The backup the tests share: `before` are the ids acknowledged before it was started.
struct SharedBackup {
  std::string path;
  std::vector<std::string> before;
  std::string output;
};
SharedBackup* shared = nullptr;

class ProductionBackupTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    if (!shared) return;
    std::error_code ignored;
    if (!shared->path.empty()) {
      fs::remove_all(shared->path, ignored);
      fs::remove_all(shared->path + "-tampered", ignored);
    }
    delete shared;
    shared = nullptr;
  }

  void SetUp() override {
    if (LabTopology().HostsRunning("mariadb").size() < 2) GTEST_SKIP() << "the lab has a single database server";
    ASSERT_TRUE(PollUntil(60s, FullStrength)) << "the database tier is not at full strength: " << Cluster().dump();
    if (!shared) {
      shared = new SharedBackup;
      shared->before = Write(UniqueText("before-backup"), 10);
      const auto started = std::chrono::steady_clock::now();
      const CommandResult r = Foobar({"backup"}, "", 180);
      shared->output = r.out;
      ASSERT_TRUE(r.ok()) << Describe(r);
      shared->path = LastLine(r.out);
      std::printf("[ backup ] %s in %.1f s\n", shared->path.c_str(),
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    ASSERT_FALSE(shared->path.empty()) << shared->output;
    ASSERT_TRUE(fs::exists(fs::path(shared->path) / "manifest.json")) << shared->output;
  }
};

TEST_F(ProductionBackupTest, BackupComesFromTheReplicaWithItsPositionAndChecksums) {
  std::ifstream in(fs::path(shared->path) / "manifest.json");
  const json manifest = json::parse(in, nullptr, false);
  ASSERT_TRUE(manifest.is_object());
  EXPECT_EQ(manifest["source_role"], "replica") << manifest.dump();
  EXPECT_NE(manifest["source_host"], manifest["primary"]);
  EXPECT_FALSE(manifest["gtid_position"].get<std::string>().empty());
  ASSERT_FALSE(manifest["tables"].empty());
  bool messages = false;
  for (const auto& t : manifest["tables"])
    if (t["table"] == "messages") messages = t["rows"].get<long long>() >= 10;
  EXPECT_TRUE(messages) << manifest["tables"].dump();
  // SHA256SUMS is sha256sum's own format: an operator can check a backup by hand.
  const CommandResult check = ctl::RunCommand({"sh", "-c", "cd \"$1\" && sha256sum --quiet -c SHA256SUMS", "sh", shared->path});
  EXPECT_TRUE(check.ok()) << Describe(check);
}

TEST_F(ProductionBackupTest, RestoreOntoTheReplicaKeepsEveryAcknowledgedWrite) {
  const std::vector<std::string> after = Write(UniqueText("after-backup"), 10);
  const std::string replica = Replica();
  ASSERT_FALSE(replica.empty());
  const auto started = std::chrono::steady_clock::now();
  const CommandResult r = Foobar({"restore", shared->path}, "", 240);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(r.ok()) << Describe(r);
  EXPECT_NE(r.out.find("Comparing " + replica + "'s tables with the manifest"), std::string::npos) << r.out;
  EXPECT_TRUE(PollUntil(30s, FullStrength)) << Cluster().dump();
  EXPECT_EQ(TrimRight(SqlOutput(replica, "SELECT @@global.read_only").value_or("")), "1");
  std::vector<std::string> all = shared->before;
  all.insert(all.end(), after.begin(), after.end());
  ASSERT_EQ(all.size(), 20u);
  const auto missing = Missing(replica, all);
  EXPECT_TRUE(missing.empty()) << missing.size() << " acknowledged writes missing on " << replica;
  // It replicates: a new write reaches it.
  const auto fresh = Write(UniqueText("after-restore"), 1);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_TRUE(PollUntil(5s, [&] { return Missing(replica, fresh).empty(); }));
  std::printf("[ restore ] onto %s in %.1f s: 20 of 20 acknowledged writes present\n", replica.c_str(), took);
}

TEST_F(ProductionBackupTest, TamperedBackupIsRefusedAndChangesNothing) {
  const std::string tampered = shared->path + "-tampered";
  fs::remove_all(tampered);
  fs::copy(shared->path, tampered, fs::copy_options::recursive);
  {
    std::fstream f(fs::path(tampered) / "data" / "foobar" / "messages.ibd", std::ios::in | std::ios::out | std::ios::binary);
    ASSERT_TRUE(f.good());
    f.seekg(20000);
    char c = 0;
    f.get(c);
    f.seekp(20000);
    f.put(static_cast<char>(c ^ 0x55));
  }
  const std::string replica = Replica();
  const std::string before = TrimRight(SqlOutput(replica, "SELECT @@global.gtid_slave_pos").value_or(""));
  const CommandResult r = Foobar({"restore", tampered}, "", 60);
  EXPECT_FALSE(r.ok()) << Describe(r);
  EXPECT_NE(r.err.find("does not match its SHA256SUMS (data/foobar/messages.ibd has changed)"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("nothing was changed"), std::string::npos) << r.err;
  EXPECT_TRUE(FullStrength()) << Cluster().dump();
  EXPECT_FALSE(before.empty());
  fs::remove_all(tampered);
}

std::string UtcSeconds(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

TEST_F(ProductionBackupTest, PointInTimeRecoveryStopsBetweenTwoWrites) {
  const std::string replica = Replica();
  ASSERT_FALSE(replica.empty());
  // Whatever happens, the replica is rebuilt from the primary afterwards.
  struct Rejoin {
    std::string host;
    ~Rejoin() {
      const CommandResult r = Foobar({"db", "rejoin", host}, "", 240);
      if (!r.ok()) ADD_FAILURE() << "could not rejoin " << host << ": " << Describe(r);
      EXPECT_TRUE(PollUntil(30s, FullStrength)) << Cluster().dump();
    }
  };

  const auto a = Write(UniqueText("pitr-a"), 3);
  ASSERT_EQ(a.size(), 3u);
  // Binlog events carry whole seconds: T is the second after A's acknowledgement, B comes after T.
  const auto t = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + 1s;
  std::this_thread::sleep_until(t + 300ms);
  const auto b = Write(UniqueText("pitr-b"), 3);
  ASSERT_EQ(b.size(), 3u);

  Rejoin rejoin{replica};
  const auto started = std::chrono::steady_clock::now();
  const CommandResult r = Foobar({"restore", shared->path, "--to", replica, "--until", UtcSeconds(t)}, "", 240);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(r.ok()) << Describe(r);
  EXPECT_TRUE(Missing(replica, shared->before).empty()) << "the backup's own rows";
  EXPECT_TRUE(Missing(replica, a).empty()) << "writes before --until must be there: " << r.out;
  EXPECT_EQ(Missing(replica, b).size(), b.size()) << "writes after --until must not be there: " << r.out;
  EXPECT_EQ(TrimRight(SqlOutput(replica, "SELECT @@global.read_only").value_or("")), "1");
  EXPECT_EQ(TrimRight(SqlOutput(replica, "SHOW SLAVE STATUS").value_or("x")), "") << "it must replicate from nobody";
  std::printf("[ pitr ] onto %s until %s in %.1f s\n", replica.c_str(), UtcSeconds(t).c_str(), took);
}

}  // namespace
}  // namespace foobar::lab_test
