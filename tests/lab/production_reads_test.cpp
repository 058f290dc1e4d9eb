// Reads on the event loop (app/loop_read_connections.h), seen from the database: under more
// concurrent reads than the app's worker pool has connections, the replica serves them over
// the app threads' own connections as well, and never over more than the bound
// (threads x LoopReadConnections::kMaxPerServer + the replica pool + the role probe).
// Run time: about 5 s.
#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace foobar::lab_test
