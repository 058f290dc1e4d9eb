// What must NOT be reachable: the app's port from anywhere but its own host, and the private
// network (the database) from the public side. Each check has a control showing that the
// same probe does succeed where the contract says it should, so a failure to connect means
// isolation rather than a broken probe.
#include <gtest/gtest.h>

#include <sstream>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

constexpr int kDatabasePort = 3306;

std::string PrivateAddress(const std::string& host) {
  const ctl::Host* h = SeedTopology().FindHost(host);
  return h ? h->AddressOn("private").value_or("") : "";
}

// curl exit codes: 7 = could not connect (refused or no route), 28 = timed out.
CommandResult Probe(const std::string& from, const std::string& url) {
  return ExecOn(from, {"curl", "-sS", "-v", "-o", "/dev/null", "--connect-timeout", "3",
                       "--max-time", "4", url});
}

bool Connected(const CommandResult& probe) {
  return probe.err.find("Connected to") != std::string::npos;
}

// The IPv4 addresses of a host, from `ip -4 -o addr show` run on it.
std::vector<std::string> AddressesOn(const std::string& host) {
  const CommandResult result = ExecOn(host, {"ip", "-4", "-o", "addr", "show"});
  EXPECT_TRUE(result.ok()) << Describe(result);
  std::vector<std::string> addresses;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    for (std::string word; words >> word;) {
      if (word != "inet") continue;
      if (words >> word) addresses.push_back(word.substr(0, word.find('/')));
    }
  }
  return addresses;
}

TEST(Isolation, AppListensOnLoopbackOnly) {
  const ctl::Host* lb = SeedTopology().HostsRunning("haproxy").front();
  for (const auto& app : HostsRunning("app")) {
    SCOPED_TRACE(app);
    const std::string address = PrivateAddress(app);
    const std::string port = ":" + std::to_string(kAppPort);
    EXPECT_EQ(AppLoopbackStatus(app, "/healthz"), 200) << "control: the app on 127.0.0.1" << port;

    const CommandResult own = Probe(app, "http://" + address + port + "/healthz");
    EXPECT_EQ(own.exit_code, 7) << "the app answers on its private address: " << Describe(own);

    const CommandResult nginx = Probe(lb->name, "http://" + address + "/healthz");
    EXPECT_TRUE(nginx.ok() && Connected(nginx)) << "control: Nginx from the LB " << Describe(nginx);
    const CommandResult from_lb = Probe(lb->name, "http://" + address + port + "/healthz");
    EXPECT_NE(from_lb.exit_code, 0) << Describe(from_lb);
    EXPECT_FALSE(Connected(from_lb)) << Describe(from_lb);

    const CommandResult from_client = Probe("client", "http://" + address + port + "/healthz");
    EXPECT_NE(from_client.exit_code, 0) << Describe(from_client);
    EXPECT_FALSE(Connected(from_client)) << Describe(from_client);
  }
}

TEST(Isolation, AppServersHaveNoPublicAddress) {
  const ctl::Network* public_network = SeedTopology().FindNetwork("public");
  ASSERT_NE(public_network, nullptr);
  const std::string public_prefix =
      public_network->address.substr(0, public_network->address.rfind('.') + 1);  // /24
  for (const auto& app : HostsRunning("app")) {
    const auto addresses = AddressesOn(app);
    EXPECT_EQ(addresses, (std::vector<std::string>{"127.0.0.1", PrivateAddress(app)})) << app;
    for (const auto& address : addresses)
      EXPECT_NE(address.rfind(public_prefix, 0), 0u) << app << " has public address " << address;
  }
}

TEST(Isolation, DatabaseIsUnreachableFromClient) {
  const std::string primary = HostsRunning("mariadb").front();
  const std::string database =
      "telnet://" + PrivateAddress(primary) + ":" + std::to_string(kDatabasePort);

  // Control: an app server reaches the database (it must, to serve).
  const CommandResult from_app = Probe(HostsRunning("app").front(), database);
  EXPECT_TRUE(Connected(from_app)) << "control: " << Describe(from_app);

  const CommandResult route = ExecOn("client", {"ip", "route", "get", PrivateAddress(primary)});
  EXPECT_NE(route.exit_code, 0) << "the client has a route to the private network: "
                                << Describe(route);
  const CommandResult from_client = Probe("client", database);
  EXPECT_NE(from_client.exit_code, 0) << Describe(from_client);
  EXPECT_FALSE(Connected(from_client)) << Describe(from_client);
}

}  // namespace
}  // namespace foobar::lab_test
