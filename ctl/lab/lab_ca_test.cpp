// The lab CA: files and modes, what the site certificate names, and that the CA survives an `up`
// (a browser that trusted it keeps trusting it) while a missing leaf is made again.
#include "ctl/lab/lab_ca.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "ctl/render/render_test_support.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

unsigned Mode(const fs::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class LabCaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::FindTool("openssl")) GTEST_SKIP() << "openssl is not installed";
    EnsureLabCertificates(topology_, secrets_);
  }
  Topology topology_ = LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
  TempDir state_;
  fs::path secrets_ = state_.path() / "secrets";
};

TEST_F(LabCaTest, KeysAreRootOnlyInARootOnlyDirectory) {
  EXPECT_EQ(Mode(secrets_), 0700u);
  EXPECT_EQ(Mode(TlsDir(secrets_)), 0700u);
  EXPECT_EQ(Mode(TlsDir(secrets_) / "ca.key"), 0600u);
  EXPECT_EQ(Mode(TlsDir(secrets_) / "site.key"), 0600u);
  EXPECT_EQ(Mode(LabSitePemPath(secrets_)), 0600u);
  // No end-to-end TLS in production.toml: no per-host certificates.
  EXPECT_FALSE(fs::exists(HostCertPath(secrets_, "app-01")));
}

TEST_F(LabCaTest, SiteCertificateChainsToTheCaAndNamesTheSite) {
  const auto r = testing::RunCommand(
      fmt::format("openssl verify -CAfile {0} -verify_hostname www.foobar.com {1} && "
                  "openssl x509 -noout -in {1} -ext subjectAltName,extendedKeyUsage -checkend 31536000",
                  LabCaCertPath(secrets_).string(), (TlsDir(secrets_) / "site.crt").string()));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const char* name : {"DNS:www.foobar.com", "DNS:foobar.com", "TLS Web Server Authentication"})
    EXPECT_NE(r.output.find(name), std::string::npos) << name << ": " << r.output;
  // HAProxy's file: certificate, CA, key.
  const std::string pem = Read(LabSitePemPath(secrets_));
  EXPECT_LT(pem.find("BEGIN CERTIFICATE"), pem.find("PRIVATE KEY"));
  EXPECT_NE(pem.find("BEGIN CERTIFICATE", pem.find("BEGIN CERTIFICATE") + 1), std::string::npos);
}

TEST_F(LabCaTest, KeptAcrossUpsAndALostLeafIsMadeAgain) {
  const std::string ca = Read(LabCaCertPath(secrets_));
  const std::string site = Read(LabSitePemPath(secrets_));
  EnsureLabCertificates(topology_, secrets_);
  EXPECT_EQ(Read(LabCaCertPath(secrets_)), ca);
  EXPECT_EQ(Read(LabSitePemPath(secrets_)), site);
  fs::remove(TlsDir(secrets_) / "site.crt");
  EnsureLabCertificates(topology_, secrets_);
  EXPECT_EQ(Read(LabCaCertPath(secrets_)), ca);
  EXPECT_NE(Read(LabSitePemPath(secrets_)), site);
}

TEST(LabCaHostsTest, OnlyHostsWithoutServerRolesAreOutside) {
  const Topology topology = LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
  EXPECT_TRUE(IsOutsideHost(*topology.FindHost("client")));  // runs the blackbox exporter only
  EXPECT_TRUE(IsOutsideHost(*topology.FindHost("loadgen")));
  EXPECT_FALSE(IsOutsideHost(*topology.FindHost("lb-01")));
  EXPECT_FALSE(IsOutsideHost(*topology.FindHost("mon-01")));
}

}  // namespace
}  // namespace foobar::ctl
