#include "ctl/topology.h"

#include <gtest/gtest.h>

namespace foobar::ctl {
namespace {

const char* kMinimal = R"(
name = "t"
[site]
addresses = ["198.18.0.10"]
[networks.public]
cidr = "198.18.0.0/24"
[networks.private]
cidr = "198.18.1.0/24"
[[hosts]]
name = "dns"
addresses = { public = "198.18.0.2" }
services = ["dns"]
[[hosts]]
name = "lb-01"
addresses = { public = "198.18.0.10", private = "198.18.1.10" }
services = ["haproxy"]
[[hosts]]
name = "app-01"
addresses = { private = "198.18.1.21" }
services = ["nginx", "app", "mariadb"]
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

void ExpectRejected(const std::string& text, const std::string& fragment) {
  try {
    ParseTopology(text, "t.toml");
    FAIL() << "accepted, expected an error mentioning: " << fragment;
  } catch (const TopologyError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("t.toml: ", 0), 0u) << e.what();
  }
}

TEST(TopologyTest, ParsesMinimal) {
  Topology t = ParseTopology(kMinimal, "t.toml");
  EXPECT_EQ(t.name, "t");
  EXPECT_EQ(t.site.name, "www.foobar.com");
  ASSERT_EQ(t.hosts.size(), 3u);
  EXPECT_EQ(t.FindHost("lb-01")->AddressOn("private"), "198.18.1.10");
  EXPECT_FALSE(t.FindHost("app-01")->AddressOn("public"));
  EXPECT_EQ(t.HostsRunning("nginx").size(), 1u);
  EXPECT_EQ(t.FindNetwork("public")->prefix_length, 24);
}

TEST(TopologyTest, LoadsShippedTopologies) {
  Topology seed = LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/seed.toml");
  EXPECT_EQ(seed.name, "seed");
  EXPECT_EQ(seed.HostsRunning("app").size(), 2u);
  EXPECT_EQ(seed.HostsRunning("mariadb").front()->name, "app-02");
}

TEST(TopologyTest, RejectsAddressesOutsideTheLabRange) {
  ExpectRejected(Replace(kMinimal, "198.18.1.0/24", "10.0.0.0/24"), "outside 198.18.0.0/15");
  ExpectRejected(Replace(kMinimal, "198.18.0.0/24", "192.0.2.0/24"), "outside 198.18.0.0/15");
}

TEST(TopologyTest, RejectsAddressNotInItsNetwork) {
  ExpectRejected(Replace(kMinimal, "\"198.18.1.21\"", "\"198.18.0.21\""), "not a host address in 198.18.1.0/24");
  ExpectRejected(Replace(kMinimal, "\"198.18.1.21\"", "\"198.18.1.255\""), "not a host address");
}

TEST(TopologyTest, RejectsDuplicatesAndUnknowns) {
  ExpectRejected(Replace(kMinimal, "name = \"app-01\"", "name = \"lb-01\""), "used twice");
  ExpectRejected(Replace(kMinimal, "\"198.18.1.21\"", "\"198.18.1.10\""), "used twice");
  ExpectRejected(Replace(kMinimal, "[\"dns\"]", "[\"dns\", \"redis\"]"), "unknown service 'redis'");
  ExpectRejected(Replace(kMinimal, "{ private = \"198.18.1.21\" }", "{ dmz = \"198.18.1.21\" }"), "unknown network 'dmz'");
}

TEST(TopologyTest, RejectsBadNamesAndMissingPieces) {
  ExpectRejected(Replace(kMinimal, "name = \"app-01\"", "name = \"App_01\""), "must be 1-11 characters");
  ExpectRejected(Replace(kMinimal, "name = \"app-01\"", "name = \"application-01\""), "must be 1-11 characters");
  ExpectRejected(Replace(kMinimal, "services = [\"haproxy\"]", "services = []"), "no host runs 'haproxy'");
  ExpectRejected(Replace(kMinimal, "[\"nginx\", \"app\", \"mariadb\"]", "[\"app\", \"mariadb\"]"), "without nginx");
  ExpectRejected(Replace(kMinimal, "addresses = [\"198.18.0.10\"]", "addresses = []"), "site.addresses is empty");
  ExpectRejected("name = \"t\"\n[networks", "t.toml: ");
}

// A monitored topology gets its exporters from the model, beside what they watch.
TEST(TopologyTest, MonitoringDerivesExporters) {
  const std::string monitored = kMinimal + std::string(R"(
[[hosts]]
name = "mon-01"
addresses = { private = "198.18.1.40" }
services = ["prometheus", "alertmanager"]
[[hosts]]
name = "client"
addresses = { public = "198.18.0.100" }
services = []
[[hosts]]
name = "loadgen"
addresses = { public = "198.18.0.101" }
services = []
)");
  Topology t = ParseTopology(monitored, "t.toml");
  using Services = std::vector<std::string>;
  EXPECT_EQ(t.FindHost("dns")->services, (Services{"dns", "node_exporter"}));
  EXPECT_EQ(t.FindHost("lb-01")->services, (Services{"haproxy", "node_exporter"}));
  EXPECT_EQ(t.FindHost("app-01")->services,
            (Services{"nginx", "app", "mariadb", "node_exporter", "nginx_exporter", "mysqld_exporter"}));
  EXPECT_EQ(t.FindHost("mon-01")->services, (Services{"prometheus", "alertmanager", "node_exporter"}));
  EXPECT_EQ(t.FindHost("client")->services, (Services{"blackbox_exporter"}));
  EXPECT_TRUE(t.FindHost("loadgen")->services.empty());
  // Listing one by hand does not list it twice.
  Topology listed = ParseTopology(Replace(monitored, "[\"dns\"]", "[\"dns\", \"node_exporter\"]"), "t.toml");
  EXPECT_EQ(listed.FindHost("dns")->services, (Services{"dns", "node_exporter"}));
}

TEST(TopologyTest, NoExportersWithoutPrometheus) {
  const Topology seed = LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/seed.toml");
  for (const auto& h : seed.hosts)
    for (const auto& s : h.services) EXPECT_EQ(s.find("exporter"), std::string::npos) << h.name << " " << s;
}

TEST(TopologyTest, RejectsMisplacedMonitoring) {
  ExpectRejected(Replace(kMinimal, "services = [\"haproxy\"]", "services = [\"haproxy\", \"alertmanager\"]"),
                 "runs alertmanager without prometheus");
  ExpectRejected(Replace(kMinimal, "services = [\"dns\"]", "services = [\"dns\", \"prometheus\"]"),
                 "prometheus host 'dns' needs a private address");
}

// [site] tls_certificate and [security] (HTTPS and abuse limits, issue 4).
TEST(TopologyTest, SecurityDefaultsAndSettings) {
  Topology t = ParseTopology(kMinimal, "t.toml");
  EXPECT_TRUE(t.site.tls_certificate.empty());
  EXPECT_TRUE(t.security.rate_limit_exempt.empty());  // no loadgen host
  EXPECT_FALSE(t.security.end_to_end_tls);
  Topology production = LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
  EXPECT_EQ(production.security.rate_limit_exempt, std::vector<std::string>{"198.18.0.101"});

  std::string text = Replace(kMinimal, "[site]\n", "[security]\nrate_limit_exempt = [\"198.18.0.7\"]\nend_to_end_tls = true\n"
                                                     "[site]\ntls_certificate = \"/etc/x.pem\"\n");
  t = ParseTopology(text, "t.toml");
  EXPECT_EQ(t.site.tls_certificate, "/etc/x.pem");
  EXPECT_EQ(t.security.rate_limit_exempt, std::vector<std::string>{"198.18.0.7"});
  EXPECT_TRUE(t.security.end_to_end_tls);
  ExpectRejected(Replace(kMinimal, "[site]\n", "[security]\nrate_limit_exempt = [\"x\"]\n[site]\n"),
                 "rate_limit_exempt");
  ExpectRejected(Replace(kMinimal, "[site]\n", "[security]\nend_to_end_tls = \"yes\"\n[site]\n"), "end_to_end_tls");
}

}  // namespace
}  // namespace foobar::ctl
