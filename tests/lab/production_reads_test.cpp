// Reads on the event loop (app/loop_read_connections.h), seen from the database: under more
// concurrent reads than the app's worker pool has connections, the replica serves them over
// the app threads' own connections as well, and never over more than the bound
// (threads x LoopReadConnections::kMaxPerServer + the replica pool + the role probe).
// Reads by id of one loop turn share one statement (app/read_batches.h): under a burst of
// reads of many ids, each request still gets its own message, over far fewer statements than
// requests. Run time: about 10 s.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

// From the app's config as `foobar up` renders it (ctl/render/app_config.cpp) and the app.
constexpr int kAppThreads = 2;
constexpr int kPoolSize = 8;
constexpr int kLoopPerServer = 16;  // LoopReadConnections::kMaxPerServer
constexpr int kRoleProbe = 1;

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The read-only database server (the replica the app reads from).
std::string Replica() {
  for (const ctl::Host* db : LabTopology().HostsRunning("mariadb")) {
    if (Trim(Foobar({"sql", db->name, "SELECT @@global.read_only"}).out) == "1") return db->name;
  }
  return "";
}

TEST(EventLoopReads, BurstOfReadsUsesBoundedConnectionsOfTheAppThreads) {
  const std::string replica = Replica();
  ASSERT_FALSE(replica.empty()) << "no read-only database server in the lab";
  const ctl::Host* app = LabTopology().HostsRunning("app").front();
  const std::string app_address = *app->AddressOn("private");

  const HttpResponse posted = PostFromClient("/api/messages", R"({"author":"reads","body":"loop"})");
  ASSERT_EQ(posted.status, 201) << posted.Describe();
  const auto id = nlohmann::json::parse(posted.body)["id"].get<std::uint64_t>();

  // 64 reads at once for 3 s, straight at the app (no Nginx in between: its keep-alive pool
  // would cap the concurrency).
  const CommandResult load = ExecOn(app->name, {"wrk", "-t1", "-c64", "-d3s",
                                                "http://127.0.0.1:8080/api/messages/" + std::to_string(id)});
  ASSERT_TRUE(load.ok()) << Describe(load);
  EXPECT_EQ(load.out.find("Non-2xx"), std::string::npos) << load.out;
  EXPECT_EQ(load.out.find("Socket errors"), std::string::npos) << load.out;

  // Idle loop connections stay open for 30 s, so the count now is what the burst opened.
  const CommandResult count = Foobar(
      {"sql", replica,
       "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER LIKE 'foobar_app%' AND HOST LIKE '" +
           app_address + ":%'"});
  ASSERT_TRUE(count.ok()) << Describe(count);
  const int connections = std::stoi(Trim(count.out));
  EXPECT_GT(connections, kPoolSize + kRoleProbe) << "the replica saw only the worker pool: no event-loop reads";
  EXPECT_LE(connections, kAppThreads * kLoopPerServer + kPoolSize + kRoleProbe);
}

// Removes the messages of one author from the primary when the test ends, however it ends.
class AuthorCleanup {
 public:
  explicit AuthorCleanup(std::string author) : author_(std::move(author)) {}
  ~AuthorCleanup() {
    const std::string primary = PrimaryDatabaseHost();
    if (!primary.empty()) Foobar({"sql", primary, "DELETE FROM foobar.messages WHERE author = '" + author_ + "'"});
  }

 private:
  std::string author_;
};

// A temporary directory removed when the test ends.
struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / UniqueText("foobar-batched-reads");
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

TEST(BatchedReads, ABurstOfReadsOfManyIdsGetsEachItsOwnMessageOverFewerStatements) {
  constexpr int kMessages = 200;
  const std::string replica = Replica();
  ASSERT_FALSE(replica.empty()) << "no read-only database server in the lab";
  const std::string primary = PrimaryDatabaseHost();
  ASSERT_FALSE(primary.empty());
  const std::string app = LabTopology().HostsRunning("app").front()->name;

  // kMessages messages with distinct bodies, on the primary, then on the replica.
  const std::string author = UniqueText("batched");
  AuthorCleanup cleanup(author);
  const CommandResult inserted = Foobar(
      {"sql", primary, "INSERT INTO foobar.messages (author, body) SELECT '" + author +
                           "', CONCAT('batched read ', seq) FROM foobar.seq_1_to_" + std::to_string(kMessages)});
  ASSERT_TRUE(inserted.ok()) << Describe(inserted);
  const auto rows = SqlOutput(primary, "SELECT id, body FROM foobar.messages WHERE author = '" + author + "'");
  ASSERT_TRUE(rows);
  std::map<std::string, std::string> body_of;  // id -> body
  std::istringstream lines(*rows);
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos && line.rfind("batched read ", tab + 1) == tab + 1)
      body_of[line.substr(0, tab)] = line.substr(tab + 1);
  }
  ASSERT_EQ(body_of.size(), static_cast<size_t>(kMessages)) << *rows;
  ASSERT_TRUE(PollUntil(std::chrono::seconds(10), [&] {
    return SqlOutput(replica, "SELECT COUNT(*) FROM foobar.messages WHERE author = '" + author + "'") ==
           std::to_string(kMessages);
  })) << "the messages did not reach " << replica;

  // wrk reads random ones of them, 64 at a time, for 3 s, straight at the app.
  TempDir dir;
  const auto script = dir.path / "reads.lua";
  {
    std::ofstream out(script);
    out << "local targets = {\n";
    for (const auto& [id, body] : body_of) out << "  \"/api/messages/" << id << "\",\n";
    out << "}\nrequest = function() return wrk.format(nil, targets[math.random(#targets)]) end\n";
  }
  const long long statements_before = GlobalStatus(replica, "Com_stmt_execute");
  CommandResult load;
  std::thread loader([&] {
    load = ExecOn(app, {"wrk", "-t1", "-c64", "-d3s", "-s", script.string(), "http://127.0.0.1:8080/"});
  });

  // Meanwhile: every id once, 50 at a time, each answer kept in a file named after its id.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::string glob;
  for (const auto& [id, body] : body_of) glob += (glob.empty() ? "" : ",") + id;
  const CommandResult fetched =
      ExecOn(app, {"curl", "-sS", "--parallel", "--parallel-immediate", "--parallel-max", "50",
                   "http://127.0.0.1:8080/api/messages/{" + glob + "}", "-o", (dir.path / "#1.json").string()});
  loader.join();
  const long long statements = GlobalStatus(replica, "Com_stmt_execute") - statements_before;

  ASSERT_TRUE(fetched.ok()) << Describe(fetched);
  for (const auto& [id, body] : body_of) {
    std::ifstream in(dir.path / (id + ".json"));
    std::stringstream text;
    text << in.rdbuf();
    const auto json = nlohmann::json::parse(text.str(), nullptr, false);
    ASSERT_TRUE(json.is_object() && json.contains("id") && json.contains("body")) << id << ": " << text.str();
    EXPECT_EQ(std::to_string(json["id"].get<std::uint64_t>()), id);
    EXPECT_EQ(json["body"], body) << "message " << id << " answered with another message's body";
  }

  ASSERT_TRUE(load.ok()) << Describe(load);
  EXPECT_EQ(load.out.find("Non-2xx"), std::string::npos) << load.out;
  std::smatch requests;
  ASSERT_TRUE(std::regex_search(load.out, requests, std::regex(R"((\d+) requests in)"))) << load.out;
  const long long served = std::stoll(requests[1]) + kMessages;
  std::cout << "[ batched ] " << served << " reads by id over " << statements << " statements on " << replica << "\n";
  // One statement per request would be >= served (plus the probes'). Batches of one loop
  // turn carry several reads each under this load; half is a wide margin.
  EXPECT_LT(statements, served / 2) << served << " reads took " << statements << " statements on " << replica;
}

}  // namespace
}  // namespace foobar::lab_test