// The `foobar` CLI against a running seed lab: status, config, exec, sql, and the one-line
// errors of bad invocations.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using nlohmann::json;

TEST(Cli, StatusJsonMatchesTopologyWithEveryServiceUp) {
  const CommandResult result = Foobar({"status", "--json"});
  ASSERT_TRUE(result.ok()) << Describe(result);
  const json status = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(status.is_object()) << result.out;
  EXPECT_EQ(status.value("topology", json()), json("seed"));
  ASSERT_TRUE(status.contains("hosts") && status["hosts"].is_array()) << result.out;

  std::map<std::string, json> by_name;
  for (const auto& host : status["hosts"]) {
    ASSERT_TRUE(host.is_object() && host.contains("name") && host["name"].is_string()) << host;
    EXPECT_TRUE(by_name.emplace(host["name"].get<std::string>(), host).second)
        << "host listed twice: " << host["name"];
  }
  EXPECT_EQ(by_name.size(), SeedTopology().hosts.size());

  for (const auto& expected : SeedTopology().hosts) {
    SCOPED_TRACE(expected.name);
    const auto it = by_name.find(expected.name);
    ASSERT_TRUE(it != by_name.end()) << "host missing from status --json";
    const json& host = it->second;
    EXPECT_EQ(host.value("addresses", json()), json(expected.addresses));
    ASSERT_TRUE(host.contains("services") && host["services"].is_array()) << host;
    std::set<std::string> services;
    for (const auto& service : host["services"]) {
      ASSERT_TRUE(service.is_object()) << service;
      services.insert(service.value("name", ""));
      EXPECT_EQ(service.value("state", ""), "up") << service;
    }
    EXPECT_EQ(services, std::set<std::string>(expected.services.begin(), expected.services.end()));
  }
}

TEST(Cli, ConfigShowsEveryRenderedConfig) {
  for (const auto& host : SeedTopology().hosts) {
    for (const auto& service : host.services) {
      const CommandResult result = Foobar({"config", host.name, service});
      EXPECT_TRUE(result.ok()) << host.name << " " << service << ": " << Describe(result);
      EXPECT_FALSE(TrimRight(result.out).empty()) << host.name << " " << service;
    }
  }
}

TEST(Cli, LoadBalancerConfigUsesLeastconnOverEveryAppServer) {
  const CommandResult result = Foobar({"config", "lb-01", "haproxy"});
  ASSERT_TRUE(result.ok()) << Describe(result);
  EXPECT_NE(result.out.find("balance leastconn"), std::string::npos) << result.out;
  for (const ctl::Host* app : SeedTopology().HostsRunning("nginx")) {
    EXPECT_NE(result.out.find(app->AddressOn("private").value_or("?")), std::string::npos)
        << "no backend for " << app->name;
  }
}

TEST(Cli, ExecPassesExitCodeThrough) {
  EXPECT_EQ(ExecOn("client", {"sh", "-c", "exit 7"}).exit_code, 7);
  EXPECT_EQ(ExecOn("client", {"true"}).exit_code, 0);
  EXPECT_EQ(ExecOn("client", {"false"}).exit_code, 1);
}

TEST(Cli, ExecPassesStdinAndStdoutThrough) {
  const CommandResult hi = ExecOn("client", {"cat"}, "hi\n");
  EXPECT_TRUE(hi.ok()) << Describe(hi);
  EXPECT_EQ(hi.out, "hi\n");

  // Larger than a pipe buffer both ways.
  std::string big;
  for (int i = 0; big.size() < 300 * 1024; ++i) big += "line " + std::to_string(i) + "\n";
  const CommandResult copy = ExecOn("client", {"cat"}, big);
  EXPECT_TRUE(copy.ok()) << Describe(copy);
  EXPECT_TRUE(copy.out == big) << "got " << copy.out.size() << " bytes of " << big.size();
}

TEST(Cli, ExecRunsInsideTheHost) {
  const CommandResult result = ExecOn("client", {"ip", "-4", "-o", "addr", "show"});
  ASSERT_TRUE(result.ok()) << Describe(result);
  EXPECT_NE(result.out.find(" " + SeedTopology().FindHost("client")->addresses.at("public") + "/"),
            std::string::npos)
      << result.out;
}

TEST(Cli, SqlPrintsRowsTabSeparatedWithoutHeader) {
  const CommandResult sum = Foobar({"sql", "app-02", "SELECT 1+1"});
  EXPECT_TRUE(sum.ok()) << Describe(sum);
  EXPECT_EQ(sum.out, "2\n");

  const CommandResult rows = Foobar({"sql", "app-02", "SELECT 1, 'a' UNION ALL SELECT 2, 'b'"});
  EXPECT_TRUE(rows.ok()) << Describe(rows);
  EXPECT_EQ(rows.out, "1\ta\n2\tb\n");
}

TEST(Cli, BadInvocationFailsWithOneLineOnStderr) {
  const std::vector<std::vector<std::string>> cases = {
      {"exec", "no-such-host", "--", "true"},
      {"stop", "no-such-host", "app"},
      {"stop", "app-01", "no-such-service"},
      {"stop", "app-01", "mariadb"},  // a service app-01 does not run
      {"start", "client", "nginx"},
      {"restart", "lb-01", "app"},
      {"config", "app-01", "haproxy"},
      {"config", "no-such-host", "nginx"},
      {"sql", "app-01", "SELECT 1"},  // app-01 runs no MariaDB
      {"sql", "app-02", "SELECT FROM nowhere"},
      {"stop", "app-01"},  // no service given
      {"sql", "app-02"},   // no statement given
      {"no-such-command"},
  };
  for (const auto& args : cases) {
    const CommandResult result = Foobar(args);
    SCOPED_TRACE(ctl::JoinForDisplay(args) + " -> " + Describe(result));
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.exit_code, 124) << "timed out";
    EXPECT_EQ(LineCount(result.err), 1);
    EXPECT_FALSE(TrimRight(result.err).empty());
  }
  // None of them changed anything.
  for (const auto& host : SeedTopology().hosts)
    for (const auto& service : host.services)
      EXPECT_EQ(ServiceState(host.name, service), "up") << host.name << " " << service;
}

}  // namespace
}  // namespace foobar::lab_test
