// The database tier of the production topology: replication healthy after `up`, a planned
// switchover under writes (no acknowledged write lost, never two writable servers), and a
// failed primary replaced by the sentinels, kept read-only when it comes back, and rebuilt
// by `foobar db rejoin`. Every loop is bounded; each test leaves the tier at full strength.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <set>
#include <sstream>
#include <thread>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {
using namespace std::chrono_literals;
using nlohmann::json;

json StatusJson() {
  const CommandResult r = Foobar({"status", "--json"});
  if (!r.ok()) return json();
  return json::parse(r.out, nullptr, false);
}

// The "database_cluster" section of `foobar status --json` (null if unreadable).
json Cluster() {
  const json status = StatusJson();
  return status.is_object() && status.contains("database_cluster") ? status["database_cluster"] : json();
}

std::string RecordedPrimary() {
  const json c = Cluster();
  return c.is_object() && c.contains("primary") ? c["primary"].get<std::string>() : "";
}

bool FullStrength() {
  const json c = Cluster();
  return c.is_object() && c.value("full_strength", false);
}

std::string StateDir() {
  const char* env = std::getenv("FOOBAR_STATE_DIR");
  return env && *env ? env : "/var/lib/foobar";
}

// @@global.read_only of a database host through its admin socket: "0", "1", or "" if it does
// not answer within a second. No network involved: the socket is a file of the host's tree.
std::string ReadOnly(const std::string& host) {
  const CommandResult r = ctl::RunCommand({"timeout", "1", "mariadb", "-S", StateDir() + "/hosts/" + host + "/run/mysqld.sock",
                                           "-uroot", "-N", "-e", "SELECT @@global.read_only"});
  return r.ok() ? TrimRight(r.out) : "";
}

std::vector<std::string> DatabaseHosts() {
  std::vector<std::string> out;
  for (const auto* h : LabTopology().HostsRunning("mariadb")) out.push_back(h->name);
  return out;
}

// Samples every database server's read_only every 100 ms on a thread of its own, and counts
// the samples in which more than one was writable.
class WritableSampler {
 public:
  WritableSampler()
      : thread_([this] {
          while (!stop_) {
            int writable = 0;
            for (const auto& h : DatabaseHosts()) writable += ReadOnly(h) == "0";
            ++samples_;
            if (writable > 1) ++split_;
            if (writable == 0) ++none_;
            std::this_thread::sleep_for(100ms);
          }
        }) {}
  ~WritableSampler() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int samples() const { return samples_; }
  int split() const { return split_; }
  int none() const { return none_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> samples_{0}, split_{0}, none_{0};
  std::thread thread_;
};

// `count` POSTs from the client, one every ~100 ms, each bounded to 2 s; returns the bodies
// the site acknowledged (201) and how many it did not.
struct WriteLoopResult {
  std::vector<std::string> acknowledged;
  int failed = 0;
  std::string output;
};

WriteLoopResult WriteLoop(const std::string& prefix, int count) {
  const std::string script =
      "for i in $(seq 1 " + std::to_string(count) +
      "); do c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST -H 'Content-Type: application/json' "
      "-d \"{\\\"author\\\":\\\"db-test\\\",\\\"body\\\":\\\"" + prefix + "-$i\\\"}\" " + std::string(kSiteUrl) + "/api/messages); "
      "echo \"$i $c\"; sleep 0.1; done";
  const CommandResult r = ExecOn("client", {"bash", "-c", script}, "", count * 3 + 30);
  WriteLoopResult out;
  out.output = r.out;
  std::istringstream in(r.out);
  std::string i, code;
  while (in >> i >> code) {
    if (code == "201")
      out.acknowledged.push_back(prefix + "-" + i);
    else
      ++out.failed;
  }
  return out;
}

std::set<std::string> StoredBodies(const std::string& host, const std::string& prefix) {
  const CommandResult r = Foobar({"sql", host, "SELECT body FROM foobar.messages WHERE body LIKE '" + prefix + "-%'"});
  std::set<std::string> out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.insert(line);
  return out;
}

std::vector<std::string> Missing(const std::vector<std::string>& acknowledged, const std::set<std::string>& stored) {
  std::vector<std::string> out;
  for (const auto& body : acknowledged)
    if (!stored.count(body)) out.push_back(body);
  return out;
}

class ProductionDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (DatabaseHosts().size() < 2) GTEST_SKIP() << "the lab has a single database server";
    ASSERT_TRUE(PollUntil(60s, FullStrength)) << "the database tier is not at full strength: " << Cluster().dump();
  }
};

TEST_F(ProductionDbTest, ReplicationIsHealthyAfterUp) {
  const json status = StatusJson();
  ASSERT_TRUE(status.contains("databases")) << status.dump();
  int primaries = 0, replicas = 0;
  for (const auto& d : status["databases"]) {
    if (d["role"] == "primary") {
      ++primaries;
      EXPECT_FALSE(d["read_only"].get<bool>());
      EXPECT_TRUE(d["semi_sync"]["on"].get<bool>()) << d.dump();
      EXPECT_GE(d["semi_sync"]["clients"].get<int>(), 1) << d.dump();
    } else {
      ++replicas;
      EXPECT_EQ(d["role"], "replica") << d.dump();
      EXPECT_TRUE(d["read_only"].get<bool>());
      EXPECT_EQ(d["replication"], "running") << d.dump();
      ASSERT_TRUE(d["lag_s"].is_number()) << d.dump();
      EXPECT_LE(d["lag_s"].get<long long>(), 2) << d.dump();
      EXPECT_TRUE(d["in_sync"].get<bool>()) << d.dump();
    }
  }
  EXPECT_EQ(primaries, 1);
  EXPECT_EQ(replicas, static_cast<int>(DatabaseHosts().size()) - 1);
  const json c = status["database_cluster"];
  EXPECT_TRUE(c["semi_sync"].get<bool>());
  EXPECT_TRUE(c["fenced"].empty());
  EXPECT_TRUE(c["leader"].is_string()) << "no sentinel leader: " << c.dump();

  // A write the site acknowledged is on every server at once (semi-sync: on the replica
  // before the client heard OK; applied within a moment).
  const std::string body = UniqueText("replicated");
  const HttpResponse r = PostFromClient("/api/messages", "{\"author\":\"db-test\",\"body\":\"" + body + "\"}");
  ASSERT_EQ(r.status, 201) << r.Describe();
  for (const auto& host : DatabaseHosts())
    EXPECT_TRUE(PollUntil(3s, [&] {
      return TrimRight(Foobar({"sql", host, "SELECT COUNT(*) FROM foobar.messages WHERE body = '" + body + "'"}).out) == "1";
    })) << host;
}

TEST_F(ProductionDbTest, SwitchoverUnderWritesLosesNothing) {
  const std::string before = RecordedPrimary();
  ASSERT_FALSE(before.empty());
  const std::string prefix = UniqueText("switchover");
  WritableSampler sampler;
  WriteLoopResult writes;
  std::thread writer([&] { writes = WriteLoop(prefix, 60); });
  std::this_thread::sleep_for(2500ms);
  const CommandResult switched = Foobar({"db", "switchover"}, "", 60);
  writer.join();
  sampler.Stop();
  ASSERT_TRUE(switched.ok()) << Describe(switched);
  const std::string after = RecordedPrimary();
  EXPECT_NE(after, before) << switched.out;
  ASSERT_FALSE(after.empty());

  const auto missing = Missing(writes.acknowledged, StoredBodies(after, prefix));
  EXPECT_TRUE(missing.empty()) << missing.size() << " acknowledged writes are missing, e.g. " << missing.front();
  EXPECT_GE(writes.acknowledged.size(), 55u) << "a switchover may fail a request or two, not more: " << writes.output;
  EXPECT_EQ(sampler.split(), 0) << "samples with two writable servers, of " << sampler.samples();
  EXPECT_GT(sampler.samples(), 20);
  EXPECT_TRUE(PollUntil(30s, FullStrength)) << Cluster().dump();
  std::printf("[ switchover ] %s -> %s: %zu of 60 writes acknowledged, %d failed, 0 missing; %d samples, %d with none writable\n",
              before.c_str(), after.c_str(), writes.acknowledged.size(), writes.failed, sampler.samples(), sampler.none());
}

TEST_F(ProductionDbTest, FailedPrimaryIsReplacedFencedAndRejoined) {
  const std::string old_primary = RecordedPrimary();
  ASSERT_FALSE(old_primary.empty());
  const std::string prefix = UniqueText("failover");
  WritableSampler sampler;

  const CommandResult stopped = Foobar({"stop", old_primary, "mariadb"});
  ASSERT_TRUE(stopped.ok()) << Describe(stopped);
  const auto stopped_at = std::chrono::steady_clock::now();
  // Restart it whatever happens below: the next test needs both servers.
  struct Restart {
    std::string host;
    ~Restart() { Foobar({"start", host, "mariadb"}); }
  } restart{old_primary};

  std::string new_primary;
  ASSERT_TRUE(PollUntil(10s, [&] {
    new_primary = RecordedPrimary();
    return !new_primary.empty() && new_primary != old_primary && ReadOnly(new_primary) == "0";
  })) << "no new primary within 10 s: " << Cluster().dump();
  const double promoted_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped_at).count();

  // Writes go to the new primary (the app finds it by itself).
  WriteLoopResult writes;
  ASSERT_TRUE(PollUntil(15s, [&] {
    writes = WriteLoop(prefix, 5);
    return writes.acknowledged.size() == 5;
  })) << writes.output;
  const double writable_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped_at).count();

  // The old primary comes back read-only and stays so: it is fenced until rejoined.
  const CommandResult started = Foobar({"start", old_primary, "mariadb"});
  ASSERT_TRUE(started.ok()) << Describe(started);
  for (int i = 0; i < 15; ++i) {
    EXPECT_EQ(ReadOnly(old_primary), "1") << "sample " << i;
    std::this_thread::sleep_for(200ms);
  }
  const json c = Cluster();
  ASSERT_TRUE(c.is_object());
  EXPECT_EQ(c["primary"], new_primary);
  EXPECT_NE(std::find(c["fenced"].begin(), c["fenced"].end(), old_primary), c["fenced"].end()) << c.dump();
  EXPECT_FALSE(c["full_strength"].get<bool>());

  const CommandResult rejoined = Foobar({"db", "rejoin", old_primary}, "", 240);
  ASSERT_TRUE(rejoined.ok()) << Describe(rejoined);
  EXPECT_TRUE(PollUntil(30s, FullStrength)) << Cluster().dump();
  sampler.Stop();
  EXPECT_EQ(sampler.split(), 0) << "samples with two writable servers, of " << sampler.samples();
  for (const auto& host : DatabaseHosts()) {
    const auto missing = Missing(writes.acknowledged, StoredBodies(host, prefix));
    EXPECT_TRUE(missing.empty()) << host << " misses " << missing.size() << " acknowledged writes";
  }
  std::printf("[ failover ] %s stopped: %s primary after %.1f s, writes through the site after %.1f s; rejoined\n",
              old_primary.c_str(), new_primary.c_str(), promoted_s, writable_s);
}

}  // namespace
}  // namespace foobar::lab_test
