// The app's share of "no single point of failure", checked in the production lab from the
// client through the site: reads are served by healthy replicas and a broken one is left
// out; a client reads its own write on either app server while the replica lags (the fb_rw
// cookie); a repeated Idempotency-Key stores one row. Each test finds the primary afresh
// (an earlier test may have failed it over), and every replica it delays or stops is
// restored by a guard, whatever the assertions said.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using namespace std::chrono_literals;

const std::string kMessagesUrl = std::string(kSiteUrl) + "/api/messages";

// Puts every replica of `hosts` back to plain, running replication when destroyed.
class ReplicaRestoreGuard {
 public:
  explicit ReplicaRestoreGuard(std::vector<std::string> hosts) : hosts_(std::move(hosts)) {}
  ReplicaRestoreGuard(const ReplicaRestoreGuard&) = delete;
  ReplicaRestoreGuard& operator=(const ReplicaRestoreGuard&) = delete;
  ~ReplicaRestoreGuard() {
    for (const auto& host : hosts_) {
      const CommandResult result =
          Foobar({"sql", host, "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=0; START SLAVE"});
      if (!result.ok())
        ADD_FAILURE() << "could not restore replication on " << host << ": " << Describe(result);
    }
  }

 private:
  std::vector<std::string> hosts_;
};

std::string MessageJson(const std::string& author, const std::string& body) {
  return nlohmann::json{{"author", author}, {"body", body}}.dump();
}

// POST /api/messages from the client through the site, with extra curl arguments.
HttpResponse PostMessage(const std::string& json, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"-X", "POST", "-H", "Content-Type: application/json"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), {"--data-binary", "@-", kMessagesUrl});
  return Curl("client", args, json);
}

// GET from the client through the site, sending `cookie` ("name=value") if not empty.
HttpResponse GetWithCookie(const std::string& url, const std::string& cookie) {
  std::vector<std::string> args;
  if (!cookie.empty()) args = {"-b", cookie};
  args.push_back(url);
  return Curl("client", args);
}

// "fb_rw=0-287-19" from "fb_rw=0-287-19; Path=/; ...", or "".
std::string ReadYourWritesCookie(const HttpResponse& response) {
  const std::string set_cookie = response.Header("set-cookie");
  if (set_cookie.rfind("fb_rw=", 0) != 0) return "";
  return set_cookie.substr(0, set_cookie.find(';'));
}

bool ListContains(const HttpResponse& response, std::uint64_t id) {
  const auto body = JsonBody(response);
  if (!body.is_object() || !body.contains("messages")) return false;
  return std::any_of(body["messages"].begin(), body["messages"].end(),
                     [&](const auto& m) { return m.value("id", std::uint64_t{0}) == id; });
}

// The primary and the replicas, or a failed assertion when there is no single primary.
struct Databases {
  std::string primary;
  std::vector<std::string> replicas;
};

Databases FindDatabases() {
  Databases dbs;
  dbs.primary = PrimaryDatabaseHost();
  if (!dbs.primary.empty()) dbs.replicas = OtherDatabaseHosts(dbs.primary);
  return dbs;
}

long long SumOfStatus(const std::vector<std::string>& hosts, const std::string& name) {
  long long sum = 0;
  for (const auto& host : hosts) sum += GlobalStatus(host, name);
  return sum;
}

// What `count` GETs of the message list through the site made the databases do.
struct ReadCounts {
  bool all_ok = false;     // every GET answered 200
  long long replicas = 0;  // SELECTs run on the replicas meanwhile
  long long primary = 0;   // ...and on the primary
};

ReadCounts CountReads(const Databases& dbs, int count) {
  ReadCounts counts;
  const long long replicas_before = SumOfStatus(dbs.replicas, "Com_select");
  const long long primary_before = GlobalStatus(dbs.primary, "Com_select");
  const auto responses = GetMany("client", kMessagesUrl + "?limit=1", count, 0);
  counts.all_ok = std::all_of(responses.begin(), responses.end(),
                              [](const auto& r) { return r.status == 200; });
  counts.replicas = SumOfStatus(dbs.replicas, "Com_select") - replicas_before;
  counts.primary = GlobalStatus(dbs.primary, "Com_select") - primary_before;
  return counts;
}

// True once the replicas serve (nearly) all reads: a SELECT there per GET, and far fewer on
// the primary (whose count also has the probes' and this check's own).
bool ReplicasServeReads(const Databases& dbs, std::chrono::milliseconds bound,
                        ReadCounts* last = nullptr) {
  constexpr int kReads = 20;
  return PollUntil(bound, [&] {
    const ReadCounts counts = CountReads(dbs, kReads);
    if (last != nullptr) *last = counts;
    return counts.all_ok && counts.replicas >= kReads && counts.primary < kReads / 2;
  });
}

class ProductionAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WaitForEveryAppServer(30s)) << "not every app server serves through the site";
    dbs_ = FindDatabases();
    ASSERT_FALSE(dbs_.primary.empty()) << "no single writable database server";
    ASSERT_FALSE(dbs_.replicas.empty()) << "no replica besides " << dbs_.primary;
  }

  Databases dbs_;
};

TEST_F(ProductionAppTest, ReadsAreServedByTheReplicas) {
  ReadCounts counts;
  EXPECT_TRUE(ReplicasServeReads(dbs_, 15s, &counts))
      << "20 GETs: " << counts.replicas << " SELECTs on the replicas, " << counts.primary
      << " on the primary " << dbs_.primary;
}

TEST_F(ProductionAppTest, AReplicaWithStoppedReplicationIsLeftOut) {
  ASSERT_TRUE(ReplicasServeReads(dbs_, 15s)) << "the replicas do not serve reads to begin with";
  ReplicaRestoreGuard guard(dbs_.replicas);
  for (const auto& replica : dbs_.replicas) {
    const CommandResult stop = Foobar({"sql", replica, "STOP SLAVE SQL_THREAD"});
    ASSERT_TRUE(stop.ok()) << Describe(stop);
  }
  // Once every app server's prober has seen it, the replicas get no reads at all...
  ReadCounts counts;
  const bool left_out = PollUntil(10s, [&] {
    counts = CountReads(dbs_, 20);
    return counts.all_ok && counts.replicas < 10 && counts.primary >= 20;
  });
  EXPECT_TRUE(left_out) << "20 GETs: " << counts.replicas << " SELECTs on the stopped replicas, "
                        << counts.primary << " on the primary";
  // ...and a message is readable at once without any cookie (a replica that applies
  // nothing would answer 404), from either app server.
  const auto posted = PostMessage(MessageJson("lab", UniqueText("stopped-replica")));
  ASSERT_EQ(posted.status, 201) << posted.Describe();
  const auto id = JsonBody(posted).value("id", std::uint64_t{0});
  for (int i = 0; i < 6; ++i) {
    const auto got = GetWithCookie(kMessagesUrl + "/" + std::to_string(id), "");
    EXPECT_EQ(got.status, 200) << got.Describe();
  }
}

TEST_F(ProductionAppTest, ClientReadsItsOwnWriteOnBothAppServersWhileTheReplicaLags) {
  ReplicaRestoreGuard guard(dbs_.replicas);
  for (const auto& replica : dbs_.replicas) {
    const CommandResult delay =
        Foobar({"sql", replica, "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=30; START SLAVE"});
    ASSERT_TRUE(delay.ok()) << Describe(delay);
  }

  // Held back, the replicas still serve reads until their lag passes replica_max_lag_s
  // (5 s): then a read with the cookie must wait for its GTID and fall back to the primary.
  // (If something writes all the time, e.g. a heartbeat, the lag is past 5 s at once and
  // every read goes to the primary: read-your-writes must hold either way.)
  const bool replicas_serve = ReplicasServeReads(dbs_, 10s);
  const std::string body = UniqueText("ryw");
  const auto started = std::chrono::steady_clock::now();
  const auto posted = PostMessage(MessageJson("lab", body));
  ASSERT_EQ(posted.status, 201) << posted.Describe();
  const std::string cookie = ReadYourWritesCookie(posted);
  ASSERT_FALSE(cookie.empty()) << "no fb_rw cookie: " << posted.Describe();
  EXPECT_NE(posted.Header("set-cookie").find("Path=/; Max-Age=60; HttpOnly; SameSite=Lax"),
            std::string::npos)
      << posted.Header("set-cookie");
  const auto id = JsonBody(posted).value("id", std::uint64_t{0});
  ASSERT_GT(id, 0u);
  const std::string by_id = kMessagesUrl + "/" + std::to_string(id);

  // Without the cookie, a read in the first seconds may be served by the held-back replica
  // (while its lag is under replica_max_lag_s): that is what the cookie is for.
  const auto stale = GetWithCookie(by_id, "");
  const auto stale_after = std::chrono::steady_clock::now() - started;
  std::printf(
      "replicas serving reads before the POST: %s; without the cookie, %.1f s after "
      "the POST: %d\n",
      replicas_serve ? "yes" : "no", std::chrono::duration<double>(stale_after).count(),
      stale.status);
  if (replicas_serve && stale_after < 3s) {
    EXPECT_EQ(stale.status, 404) << "a read without the cookie did not go to the held-back "
                                    "replica, so the cookie was not put to the test";
  }

  // With the cookie, by id and in the list, on every app server.
  std::set<std::string> servers_seen;
  const auto app_servers = HostsRunning("app");
  for (int i = 0; i < 16 && servers_seen.size() < app_servers.size(); ++i) {
    const auto got = GetWithCookie(by_id, cookie);
    EXPECT_EQ(got.status, 200) << got.Describe();
    EXPECT_EQ(JsonBody(got).value("body", ""), body) << got.Describe();
    const auto list = GetWithCookie(kMessagesUrl + "?limit=5", cookie);
    EXPECT_EQ(list.status, 200) << list.Describe();
    EXPECT_TRUE(ListContains(list, id)) << list.Describe();
    servers_seen.insert(got.Header("x-served-by"));
    servers_seen.insert(list.Header("x-served-by"));
  }
  EXPECT_EQ(servers_seen, std::set<std::string>(app_servers.begin(), app_servers.end()))
      << "the cookie was not tried on every app server";
}

TEST_F(ProductionAppTest, RepeatedIdempotencyKeyStoresOneRow) {
  const std::string key = UniqueText("idem");  // [a-z0-9-]: safe inside the SQL below
  const std::string json = MessageJson("lab", UniqueText("once"));
  const auto first = PostMessage(json, {"-H", "Idempotency-Key: " + key});
  ASSERT_EQ(first.status, 201) << first.Describe();
  const auto again = PostMessage(json, {"-H", "Idempotency-Key: " + key});
  ASSERT_EQ(again.status, 201) << again.Describe();
  EXPECT_EQ(JsonBody(again).value("id", 0), JsonBody(first).value("id", 0));
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  EXPECT_EQ(again.Header("location"), first.Header("location"));

  // The same key for another message is refused, and stores nothing.
  const auto other =
      PostMessage(MessageJson("lab", "something else"), {"-H", "Idempotency-Key: " + key});
  EXPECT_EQ(other.status, 422) << other.Describe();
  EXPECT_EQ(JsonBody(other).value("error", ""), "Idempotency-Key was used for a different message");

  const std::string primary = PrimaryDatabaseHost();
  ASSERT_FALSE(primary.empty());
  EXPECT_EQ(SqlOutput(primary,
                      "SELECT COUNT(*) FROM foobar.messages WHERE idempotency_key = '" + key + "'"),
            "1");
}

TEST_F(ProductionAppTest, ConcurrentRepeatsOfOneKeyStoreOneRow) {
  const std::string key = UniqueText("idem-parallel");
  const std::string json = MessageJson("lab", UniqueText("racing"));
  std::vector<std::string> argv = {"curl",       "-sS",
                                   "--max-time", "20",
                                   "--parallel", "--parallel-immediate",
                                   "-X",         "POST",
                                   "-H",         "Content-Type: application/json",
                                   "-H",         "Idempotency-Key: " + key,
                                   "-d",         json,
                                   "-w",         "%{http_code} %header{x-served-by}\\n"};
  for (int i = 0; i < 6; ++i) argv.insert(argv.end(), {"-o", "/dev/null", kMessagesUrl});
  const CommandResult result = ExecOn("client", argv);
  ASSERT_TRUE(result.ok()) << Describe(result);
  EXPECT_EQ(LineCount(result.out), 6) << result.out;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) EXPECT_EQ(line.substr(0, 3), "201") << line;

  const std::string primary = PrimaryDatabaseHost();
  ASSERT_FALSE(primary.empty());
  EXPECT_EQ(SqlOutput(primary,
                      "SELECT COUNT(*) FROM foobar.messages WHERE idempotency_key = '" + key + "'"),
            "1");
}

TEST_F(ProductionAppTest, BadIdempotencyKeyIs400AndStoresNothing) {
  const std::string body = UniqueText("bad-key");
  for (const std::string& key : {std::string(129, 'k'), std::string("caf\xc3\xa9")}) {
    const auto r = PostMessage(MessageJson("lab", body), {"-H", "Idempotency-Key: " + key});
    EXPECT_EQ(r.status, 400) << r.Describe();
    EXPECT_EQ(JsonBody(r).value("error", ""),
              "Idempotency-Key must be 1-128 printable ASCII characters")
        << r.Describe();
  }
  const std::string primary = PrimaryDatabaseHost();
  ASSERT_FALSE(primary.empty());
  EXPECT_EQ(SqlOutput(primary, "SELECT COUNT(*) FROM foobar.messages WHERE body = '" + body + "'"),
            "0");
}

}  // namespace
}  // namespace foobar::lab_test
