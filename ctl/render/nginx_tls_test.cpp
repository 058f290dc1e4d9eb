// Nginx with and without [security] end_to_end_tls: plain HTTP on port 80 by default; TLS only,
// on 443 with the host's lab-CA certificate, when the topology asks for end-to-end encryption.
// (The rest of nginx.conf is tested in nginx_config_test.cpp.)
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ctl/lab/lab_ca.h"
#include "ctl/render/nginx_config.h"
#include "ctl/render/render_test_support.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::DirectivesStartingWith;
using testing::EditedSeed;
using testing::TempDir;

TEST(RenderNginxTlsTest, PlainHttpByDefault) {
  const Topology topology = testing::LoadSeed();
  TempDir state;
  const std::string conf = RenderNginxConfig(ContextFor(topology, "app-01", state.path()));
  EXPECT_EQ(DirectivesStartingWith(conf, "listen 198.18.1.21"),
            std::vector<std::string>{"listen 198.18.1.21:80 default_server;"});
  EXPECT_TRUE(DirectivesStartingWith(conf, "ssl_certificate").empty());
}

TEST(RenderNginxTlsTest, EndToEndTlsListensWithTheHostsCertificateOnly) {
  const Topology topology = EditedSeed("[site]\n", "[security]\nend_to_end_tls = true\n\n[site]\n");
  TempDir state;
  const RenderContext ctx = ContextFor(topology, "app-02", state.path());
  const std::string conf = RenderNginxConfig(ctx);
  EXPECT_EQ(DirectivesStartingWith(conf, "listen 198.18.1.22"),
            std::vector<std::string>{"listen 198.18.1.22:443 ssl default_server;"});
  EXPECT_EQ(DirectivesStartingWith(conf, "ssl_certificate "),
            std::vector<std::string>{"ssl_certificate " + (state.path() / "secrets/tls/app-02.crt").string() + ";"});
  EXPECT_EQ(DirectivesStartingWith(conf, "ssl_certificate_key "),
            std::vector<std::string>{"ssl_certificate_key " + (state.path() / "secrets/tls/app-02.key").string() + ";"});
  EXPECT_TRUE(testing::HasDirective(conf, "ssl_protocols TLSv1.2 TLSv1.3;"));

  // The lab CA issues that certificate for the host's name and private address.
  if (!testing::FindTool("openssl")) GTEST_SKIP() << "openssl is not installed";
  EnsureLabCertificates(topology, ctx.secrets);
  const auto check = testing::RunCommand(fmt::format("openssl verify -CAfile {} {} && openssl x509 -noout -in {} -ext subjectAltName",
                                                     LabCaCertPath(ctx.secrets).string(),
                                                     HostCertPath(ctx.secrets, "app-02").string(),
                                                     HostCertPath(ctx.secrets, "app-02").string()));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("DNS:app-02"), std::string::npos) << check.output;
  EXPECT_NE(check.output.find("IP Address:198.18.1.22"), std::string::npos) << check.output;
}

}  // namespace
}  // namespace foobar::ctl
