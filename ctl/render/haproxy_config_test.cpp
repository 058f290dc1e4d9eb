#include "ctl/render/haproxy_config.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ctl/lab/lab_ca.h"
#include "ctl/render/render_test_support.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::DirectivesStartingWith;
using testing::EditedSeed;
using testing::HasDirective;
using testing::LoadSeed;
using testing::TempDir;

class RenderHaproxyTest : public ::testing::Test {
 protected:
  Topology topology_ = LoadSeed();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "lb-01", state_.path());
  std::string cfg_ = RenderHaproxyConfig(ctx_);
};

TEST_F(RenderHaproxyTest, PathIsUnderTheHostsEtc) {
  EXPECT_EQ(HaproxyConfigPath(ctx_.paths), state_.path() / "hosts/lb-01/etc/haproxy/haproxy.cfg");
}

TEST_F(RenderHaproxyTest, StartsWithDoNotEditHeader) {
  EXPECT_EQ(cfg_.rfind("# Rendered by foobar from topology seed — do not edit.\n", 0), 0u);
}

TEST_F(RenderHaproxyTest, ServersAreExactlyTheNginxHostsInTopologyOrder) {
  EXPECT_EQ(DirectivesStartingWith(cfg_, "server "),
            (std::vector<std::string>{
                "server app-01 198.18.1.21:80 check inter 1s fall 2 rise 2 tcp-ut 500ms",
                "server app-02 198.18.1.22:80 check inter 1s fall 2 rise 2 tcp-ut 500ms",
            }));
}

TEST_F(RenderHaproxyTest, BindsThePublicAddressOnly) {
  const std::string pem = (state_.path() / "secrets/tls/site.pem").string();
  EXPECT_EQ(DirectivesStartingWith(cfg_, "bind "),
            (std::vector<std::string>{"bind 198.18.0.10:80",
                                      "bind 198.18.0.10:443 ssl crt " + pem + " alpn h2,http/1.1"}));
  EXPECT_EQ(cfg_.find("lb_health"), std::string::npos);  // no keepalived in the seed
  EXPECT_EQ(cfg_.find("stats enable"), std::string::npos);
  EXPECT_EQ(cfg_.find("stats uri"), std::string::npos);
}

TEST_F(RenderHaproxyTest, OwnErrorsAreJsonWithTheSecurityHeaders) {
  const auto errors = DirectivesStartingWith(cfg_, "http-error status ");
  ASSERT_EQ(errors.size(), 7u);
  for (int status : {400, 403, 408, 500, 502, 503, 504}) {
    const std::string prefix = "http-error status " + std::to_string(status) + " content-type application/json string '{\"error\":";
    bool found = false;
    for (const auto& line : errors) {
      if (line.rfind(prefix, 0) != 0) continue;
      found = true;
      for (const char* header : {"hdr Cache-Control no-store", "hdr X-Content-Type-Options nosniff",
                                 "hdr Referrer-Policy no-referrer", "hdr X-Frame-Options DENY",
                                 "hdr Content-Security-Policy \"default-src 'self';"})
        EXPECT_NE(line.find(header), std::string::npos) << status << ": " << header;
    }
    EXPECT_TRUE(found) << status;
  }
}

TEST_F(RenderHaproxyTest, GlobalLogsToStdoutWithAdminSocket) {
  EXPECT_TRUE(HasDirective(cfg_, "log stdout format raw local0 info"));
  EXPECT_TRUE(HasDirective(cfg_, "stats socket " +
                                     (state_.path() / "hosts/lb-01/run/haproxy.sock").string() +
                                     " mode 600 level admin expose-fd listeners"));
  // The global ceiling, and the public frontend's own below it.
  EXPECT_EQ(DirectivesStartingWith(cfg_, "maxconn "), (std::vector<std::string>{"maxconn 4096", "maxconn 4000"}));
}

TEST_F(RenderHaproxyTest, DefaultsTimeouts) {
  for (const char* line : {"mode http", "option http-keep-alive", "timeout connect 1s",
                           "timeout client 20s", "timeout server 10s", "timeout http-request 5s",
                           "timeout http-keep-alive 10s", "timeout queue 5s", "timeout check 1s"})
    EXPECT_TRUE(HasDirective(cfg_, line)) << line;
}

TEST_F(RenderHaproxyTest, JsonLogFormatCarriesTheRequestId) {
  const auto lines = DirectivesStartingWith(cfg_, "log-format ");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(R"("request_id":"%ID")"), std::string::npos);
  EXPECT_NE(lines[0].find(R"('{"time":)"), std::string::npos);
}

TEST_F(RenderHaproxyTest, SetsRequestIdForNginxAndTheApp) {
  EXPECT_TRUE(HasDirective(cfg_, R"(unique-id-format %{+X}o\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid)"));
  EXPECT_TRUE(HasDirective(cfg_, "http-request set-header X-Request-ID %[unique-id]"));
  EXPECT_TRUE(HasDirective(cfg_, "option forwardfor"));
  EXPECT_TRUE(HasDirective(cfg_, "default_backend app_servers"));
}

TEST_F(RenderHaproxyTest, LeastconnWithReadinessHealthCheck) {
  for (const char* line :
       {"backend app_servers", "balance leastconn", "option httpchk",
        "http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host www.foobar.com",
        "http-check expect status 200", "http-reuse safe"})
    EXPECT_TRUE(HasDirective(cfg_, line)) << line;
}

TEST_F(RenderHaproxyTest, RetriesIdempotentRequestsOnAnotherServer) {
  for (const char* line :
       {"retry-on conn-failure empty-response response-timeout 502 503 504", "retries 3",
        "option redispatch 1",
        "http-request disable-l7-retry if METH_POST !{ req.hdr(Idempotency-Key) -m found }",
        "http-request disable-l7-retry if { method PATCH }"})
    EXPECT_TRUE(HasDirective(cfg_, line)) << line;
}

TEST_F(RenderHaproxyTest, ArgvRunsTheHostsOwnConfigInTheForeground) {
  EXPECT_EQ(HaproxyArgv(ctx_.paths),
            (std::vector<std::string>{"haproxy", "-W", "-db", "-f",
                                      (state_.path() / "hosts/lb-01/etc/haproxy/haproxy.cfg").string(),
                                      "-p", (state_.path() / "hosts/lb-01/run/haproxy.pid").string()}));
}

// Behind keepalived each balancer listens on its own address and on every VIP, so it serves
// whichever VIPs VRRP gives it (the production topology).
TEST(RenderHaproxyProductionTest, EachBalancerBindsItsAddressAndEveryVip) {
  const Topology topology =
      LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
  TempDir state;
  for (const auto& [host, own] : {std::pair{"lb-01", "198.18.0.11"}, {"lb-02", "198.18.0.12"}}) {
    const std::string cfg = RenderHaproxyConfig(ContextFor(topology, host, state.path()));
    std::vector<std::string> site_binds;
    for (const auto& bind : DirectivesStartingWith(cfg, "bind "))
      if (bind.ends_with(":80")) site_binds.push_back(bind);
    EXPECT_EQ(site_binds,
              (std::vector<std::string>{std::string("bind ") + own + ":80", "bind 198.18.0.10:80",
                                        "bind 198.18.0.20:80"}))
        << host;
    std::vector<std::string> tls_binds;
    for (const auto& bind : DirectivesStartingWith(cfg, "bind "))
      if (bind.find(":443 ssl crt ") != std::string::npos) tls_binds.push_back(bind.substr(0, bind.find(" ssl")));
    EXPECT_EQ(tls_binds, (std::vector<std::string>{std::string("bind ") + own + ":443", "bind 198.18.0.10:443",
                                                   "bind 198.18.0.20:443"}))
        << host;
    EXPECT_EQ(DirectivesStartingWith(cfg, "server ").size(), 2u) << host;
    // keepalived's loopback question "can this balancer serve?".
    for (const char* line : {"frontend lb_health", "bind 127.0.0.1:8404", "monitor-uri /lb-health",
                             "monitor fail if { nbsrv(app_servers) lt 1 }"})
      EXPECT_TRUE(HasDirective(cfg, line)) << host << ": " << line;
  }
}

TEST(RenderHaproxyProductionTest, RealHaproxyAcceptsTheConfig) {
  const auto haproxy = testing::FindTool("haproxy");
  if (!haproxy) GTEST_SKIP() << "haproxy is not installed";
  const Topology topology =
      LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
  TempDir state;
  const RenderContext ctx = ContextFor(topology, "lb-02", state.path());
  EnsureLabCertificates(topology, ctx.secrets);
  const auto path = HaproxyConfigPath(ctx.paths);
  testing::WriteFile(path, RenderHaproxyConfig(ctx));
  const auto result = testing::RunCommand(haproxy->string() + " -c -f " + path.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST_F(RenderHaproxyTest, MozillaIntermediateTlsWithoutTickets) {
  EXPECT_TRUE(HasDirective(cfg_, "ssl-default-bind-options prefer-client-ciphers ssl-min-ver TLSv1.2 no-tls-tickets"));
  EXPECT_TRUE(HasDirective(
      cfg_, "ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"));
  const auto ciphers = DirectivesStartingWith(cfg_, "ssl-default-bind-ciphers ");
  ASSERT_EQ(ciphers.size(), 1u);
  for (const char* weak : {"CBC", "SHA:", "RC4", "3DES", ":DHE-", " DHE-", "AES128-SHA256"})
    EXPECT_EQ(ciphers[0].find(weak), std::string::npos) << weak;
}

TEST_F(RenderHaproxyTest, PlainHttpOnlyRedirectsAndHttpsCarriesHsts) {
  EXPECT_TRUE(HasDirective(cfg_, "http-request redirect scheme https code 301 unless { ssl_fc }"));
  EXPECT_TRUE(HasDirective(cfg_, R"(http-after-response set-header Strict-Transport-Security "max-age=63072000" if { ssl_fc })"));
  EXPECT_TRUE(HasDirective(cfg_, "http-after-response del-header Server"));
  // The redirect comes before anything is sent to a server.
  EXPECT_LT(cfg_.find("redirect scheme https"), cfg_.find("default_backend"));
}

TEST_F(RenderHaproxyTest, SlowClientsTimeOutAndBodiesAreBuffered) {
  EXPECT_TRUE(HasDirective(cfg_, "option http-buffer-request"));
  EXPECT_TRUE(HasDirective(cfg_, "maxconn 4000"));
}

TEST(RenderHaproxyTopologyTest, RateAndConnectionLimitsPerSourceWithoutAllowlist) {
  const Topology topology = EditedSeed("[site]\n", "[security]\nrate_limit_exempt = []\n\n[site]\n");
  EXPECT_TRUE(topology.security.rate_limit_exempt.empty());
  TempDir state;
  const std::string cfg = RenderHaproxyConfig(ContextFor(topology, "lb-01", state.path()));
  EXPECT_TRUE(HasDirective(cfg, "stick-table type ip size 100k expire 60s store http_req_rate(10s),conn_cur"));
  EXPECT_TRUE(HasDirective(cfg, "tcp-request connection track-sc0 src"));
  EXPECT_TRUE(HasDirective(cfg, "tcp-request connection reject if { sc_conn_cur(0) gt 100 }"));
  EXPECT_TRUE(HasDirective(
      cfg, R"(http-request return status 429 content-type application/json string '{"error":"too many requests","limit":"1000 requests per 10 s"}' hdr Retry-After 10 if { sc_http_req_rate(0) gt 1000 })"));
  EXPECT_EQ(cfg.find("rate_limit_exempt"), std::string::npos);
  // The limit applies before the redirect: a flood on port 80 is limited too.
  EXPECT_LT(cfg.find("status 429"), cfg.find("redirect scheme https"));
}

TEST(RenderHaproxyProductionTest, LoadgenIsExemptFromTheLimitsByDefault) {
  const Topology topology = LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
  TempDir state;
  const std::string cfg = RenderHaproxyConfig(ContextFor(topology, "lb-01", state.path()));
  EXPECT_TRUE(HasDirective(cfg, "acl rate_limit_exempt src 198.18.0.101"));
  EXPECT_TRUE(HasDirective(cfg, "tcp-request connection reject if { sc_conn_cur(0) gt 100 } !rate_limit_exempt"));
  EXPECT_EQ(DirectivesStartingWith(cfg, "http-request return status 429").size(), 1u);
  EXPECT_TRUE(DirectivesStartingWith(cfg, "http-request return status 429")[0].ends_with(
      "if { sc_http_req_rate(0) gt 1000 } !rate_limit_exempt"));
}

TEST(RenderHaproxyTopologyTest, AllowlistAndCertificateFromTheTopology) {
  const Topology topology = EditedSeed(
      "[site]\n", "[security]\nrate_limit_exempt = [\"198.18.0.7\", \"198.18.0.8\"]\n\n[site]\n"
                  "tls_certificate = \"/etc/foobar/www.pem\"\n");
  TempDir state;
  const std::string cfg = RenderHaproxyConfig(ContextFor(topology, "lb-01", state.path()));
  EXPECT_TRUE(HasDirective(cfg, "acl rate_limit_exempt src 198.18.0.7 198.18.0.8"));
  EXPECT_TRUE(HasDirective(cfg, "bind 198.18.0.10:443 ssl crt /etc/foobar/www.pem alpn h2,http/1.1"));
}

TEST_F(RenderHaproxyTest, WithoutEndToEndTlsServersArePlainHttp) {
  for (const auto& server : DirectivesStartingWith(cfg_, "server "))
    EXPECT_EQ(server.find(" ssl"), std::string::npos) << server;
}

TEST(RenderHaproxyTopologyTest, EndToEndTlsVerifiesEachNginxCertificate) {
  const Topology topology = EditedSeed("[site]\n", "[security]\nend_to_end_tls = true\n\n[site]\n");
  ASSERT_TRUE(topology.security.end_to_end_tls);
  TempDir state;
  const RenderContext ctx = ContextFor(topology, "lb-01", state.path());
  const std::string cfg = RenderHaproxyConfig(ctx);
  const std::string ca = (state.path() / "secrets/tls/ca.crt").string();
  EXPECT_EQ(DirectivesStartingWith(cfg, "server "),
            (std::vector<std::string>{
                "server app-01 198.18.1.21:443 check inter 1s fall 2 rise 2 tcp-ut 500ms ssl verify required ca-file " +
                    ca + " verifyhost app-01 alpn http/1.1",
                "server app-02 198.18.1.22:443 check inter 1s fall 2 rise 2 tcp-ut 500ms ssl verify required ca-file " +
                    ca + " verifyhost app-02 alpn http/1.1",
            }));
  const auto haproxy = testing::FindTool("haproxy");
  if (!haproxy) GTEST_SKIP() << "haproxy is not installed";
  EnsureLabCertificates(topology, ctx.secrets);
  const auto path = HaproxyConfigPath(ctx.paths);
  testing::WriteFile(path, cfg);
  const auto result = testing::RunCommand(haproxy->string() + " -c -f " + path.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST_F(RenderHaproxyTest, RejectsAHostWithoutPublicAddress) {
  const RenderContext app = ContextFor(topology_, "app-01", state_.path());
  EXPECT_THROW(RenderHaproxyConfig(app), std::invalid_argument);
}

// `haproxy -c` parses the file and exits: it binds nothing and starts nothing (checked with
// strace), so the lab's real addresses can stay in the file.
TEST_F(RenderHaproxyTest, RealHaproxyAcceptsTheConfig) {
  const auto haproxy = testing::FindTool("haproxy");
  if (!haproxy) GTEST_SKIP() << "haproxy is not installed";
  EnsureLabCertificates(topology_, ctx_.secrets);  // haproxy -c loads the certificate
  const auto path = HaproxyConfigPath(ctx_.paths);
  testing::WriteFile(path, cfg_);
  const auto result = testing::RunCommand(haproxy->string() + " -c -f " + path.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

}  // namespace
}  // namespace foobar::ctl
