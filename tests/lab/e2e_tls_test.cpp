// [security] end_to_end_tls in a lab of its own (issue 4, part 1): the production topology
// with the option on, brought up here and taken down at the end whatever happened. Seen from
// the outside: the site works through the whole stack; Nginx on an app server answers no plain
// HTTP and serves TLS with a lab-CA certificate for its name; every TCP account on the database
// refuses a plain connection and accepts a verified TLS one; the replica's link to its primary
// is TLS with the primary's certificate verified, and stays so after a sentinel-driven
// switchover (the sentinel's own CHANGE MASTER) and after a failover and `foobar db rejoin`
// (the CLI's).
// Run time: about 30 s (up ~9 s, the checks ~15 s, down ~4 s). It needs the machine's lab
// slot free: ctest runs it after lab.production.down, and it refuses to touch a lab that is up.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"
#include "ctl/render/sentinel_config.h"
#include "ctl/render/tls_paths.h"
#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Takes the lab down when it goes away (the end of the suite, or the end of the process when a
// failure skipped TearDownTestSuite), so a failed run never leaves the lab behind.
class LabDownGuard {
 public:
  LabDownGuard() = default;
  LabDownGuard(const LabDownGuard&) = delete;
  LabDownGuard& operator=(const LabDownGuard&) = delete;
  ~LabDownGuard() {
    const CommandResult down = Foobar({"down"}, "", 180);
    if (!down.ok()) std::fprintf(stderr, "e2e_tls: foobar down failed: %s\n", Describe(down).c_str());
  }
};

class EndToEndTlsLab : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const ctl::StatePaths state = ctl::DefaultStatePaths();
    if (fs::exists(state.Record())) {
      up_error_ = "a lab is up already (" + state.Record().string() + "): this test brings up its own";
      return;  // someone else's lab: not ours to take down
    }
    // production.toml + the option: the file this test brings the lab up with.
    topology_file_ = fs::temp_directory_path() / "foobar-e2e-tls.toml";
    std::ofstream(topology_file_, std::ios::trunc)
        << ReadFile(fs::path(FOOBAR_SOURCE_DIR) / "topologies/production.toml")
        << "\n[security]\nend_to_end_tls = true\n";
    guard_ = std::make_unique<LabDownGuard>();  // armed before `up`: a half-built lab goes too
    const auto started = std::chrono::steady_clock::now();
    const CommandResult up = Foobar({"up", "--topology", topology_file_.string()}, "", 300);
    if (!up.ok()) up_error_ = "foobar up failed: " + Describe(up);
    std::printf("[ e2e_tls ] up in %.1f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }

  static void TearDownTestSuite() {
    guard_.reset();
    std::error_code ec;
    fs::remove(topology_file_, ec);
  }

  void SetUp() override {
    ASSERT_TRUE(up_error_.empty()) << up_error_;
    ASSERT_TRUE(LabTopology().security.end_to_end_tls) << "the lab that is up is not the end-to-end TLS one";
  }

  static std::string PrivateAddress(const std::string& host) {
    const ctl::Host* h = LabTopology().FindHost(host);
    return h && h->AddressOn("private") ? *h->AddressOn("private") : "";
  }
  static fs::path Secrets() { return ctl::DefaultStatePaths().Secrets(); }
  static fs::path LabCa() { return ctl::LabCaCertPath(Secrets()); }

  // SHOW SLAVE STATUS\G on `host` over its admin socket: "Name: value" lines.
  static std::string SlaveStatus(const std::string& host) {
    const fs::path cnf = ctl::DefaultStatePaths().Host(host).Etc() / "mariadb" / "my.cnf";
    return ExecOn(host, {"mariadb", "--defaults-file=" + cnf.string(), "-e", "SHOW SLAVE STATUS\\G"}).out;
  }
  static bool Has(const std::string& status, const std::string& line) {
    return status.find(line + "\n") != std::string::npos;
  }
  static bool ReplicatesOverVerifiedTls(const std::string& host) {
    const std::string s = SlaveStatus(host);
    return Has(s, "Slave_IO_Running: Yes") && Has(s, "Slave_SQL_Running: Yes") && Has(s, "Master_SSL_Allowed: Yes") &&
           Has(s, "Master_SSL_Verify_Server_Cert: Yes");
  }

  // `mariadb` from `from` to `server`'s port 3306 as `user`, the password in a root-only
  // defaults file (never on a command line), with `tls_options`; runs SHOW STATUS LIKE 'Ssl_version'.
  static CommandResult ConnectAs(const std::string& from, const std::string& server, const std::string& user,
                                 const std::string& password, const std::vector<std::string>& tls_options) {
    const fs::path cnf = fs::temp_directory_path() / ("foobar-e2e-tls-" + UniqueText("client") + ".cnf");
    {
      std::ofstream touch(cnf);
    }
    ::chmod(cnf.c_str(), 0600);
    std::ofstream(cnf, std::ios::trunc) << "[client]\nuser=" << user << "\npassword=" << password << "\n";
    std::vector<std::string> argv = {"mariadb", "--defaults-extra-file=" + cnf.string(), "-h", PrivateAddress(server),
                                     "--connect-timeout=3"};
    argv.insert(argv.end(), tls_options.begin(), tls_options.end());
    argv.insert(argv.end(), {"-N", "-e", "SHOW STATUS LIKE 'Ssl_version'"});
    CommandResult result = ExecOn(from, argv, "", 20);
    std::error_code ec;
    fs::remove(cnf, ec);
    return result;
  }

  // A plain connection as the account is refused; a TLS one that verifies the server works.
  static void ExpectTlsOnly(const std::string& from, const std::string& server, const std::string& user,
                            const std::string& password) {
    const CommandResult plain = ConnectAs(from, server, user, password, {"--ssl=0"});
    EXPECT_FALSE(plain.ok()) << user << " from " << from << " got in without TLS: " << Describe(plain);
    // Refused by the server for want of TLS (REQUIRE SSL answers "Access denied"), not unreachable.
    EXPECT_NE(plain.err.find("Access denied"), std::string::npos) << Describe(plain);
    const CommandResult tls = ConnectAs(from, server, user, password,
                                        {"--ssl", "--ssl-ca=" + LabCa().string(), "--ssl-verify-server-cert"});
    EXPECT_TRUE(tls.ok()) << user << " from " << from << " over TLS: " << Describe(tls);
    EXPECT_NE(tls.out.find("TLSv1."), std::string::npos) << tls.out;
  }

  static inline fs::path topology_file_;
  static inline std::string up_error_;
  static inline std::unique_ptr<LabDownGuard> guard_;
};

TEST_F(EndToEndTlsLab, SiteWorksThroughEveryEncryptedHop) {
  const std::string body = UniqueText("e2e-tls");
  const HttpResponse posted = PostFromClient("/api/messages", "{\"author\":\"e2e-tls\",\"body\":\"" + body + "\"}");
  ASSERT_EQ(posted.status, 201) << posted.Describe();
  const HttpResponse listed = Curl("client", {std::string(kSiteUrl) + "/api/messages?limit=20"});
  EXPECT_EQ(listed.status, 200) << listed.Describe();
  EXPECT_NE(listed.body.find(body), std::string::npos) << listed.Describe();
  EXPECT_TRUE(ServedByAppServer(listed)) << listed.Describe();
}

TEST_F(EndToEndTlsLab, NginxAnswersTlsOnlyWithItsOwnVerifiedCertificate) {
  const std::string app = PrivateAddress("app-01");
  ASSERT_FALSE(app.empty());
  // Port 80: refused by Nginx (it does not listen) or dropped by the firewall (443 only).
  const HttpResponse plain = Curl("lb-01", {"--max-time", "3", "http://" + app + "/healthz"});
  EXPECT_EQ(plain.status, 0) << "plain HTTP answered on app-01: " << plain.Describe();
  const CommandResult handshake =
      ExecOn("lb-01", {"timeout", "10", "openssl", "s_client", "-connect", app + ":443", "-verify_return_error",
                       "-CAfile", LabCa().string(), "-verify_hostname", "app-01", "-verify_ip", app, "-brief"},
             "", 20);
  const std::string seen = handshake.out + handshake.err;
  EXPECT_TRUE(handshake.ok()) << Describe(handshake);
  EXPECT_NE(seen.find("Verification: OK"), std::string::npos) << seen;
  EXPECT_NE(seen.find("Verified peername: app-01"), std::string::npos) << seen;
  EXPECT_NE(seen.find("CN = app-01"), std::string::npos) << seen;
}

TEST_F(EndToEndTlsLab, DatabaseAccountsRefusePlainConnections) {
  const std::string primary = PrimaryDatabaseHost();
  ASSERT_FALSE(primary.empty());
  // The app's account in use, from an app server.
  std::istringstream app_credentials(ReadFile(Secrets() / ctl::kAppDbCredentialsFile));
  std::string app_user, app_password;
  std::getline(app_credentials, app_user);
  std::getline(app_credentials, app_password);
  ExpectTlsOnly("app-01", primary, app_user, app_password);
  // The replication account, from the other database server.
  std::string repl_password = ReadFile(Secrets() / ctl::kReplicationDbPasswordFile);
  while (!repl_password.empty() && repl_password.back() == '\n') repl_password.pop_back();
  ExpectTlsOnly(OtherDatabaseHosts(primary).front(), primary, ctl::kReplicationDbUser, repl_password);
}

TEST_F(EndToEndTlsLab, ReplicationIsVerifiedTlsBeforeAndAfterASwitchover) {
  const std::string primary = PrimaryDatabaseHost();
  ASSERT_FALSE(primary.empty());
  const std::string replica = OtherDatabaseHosts(primary).front();
  EXPECT_TRUE(ReplicatesOverVerifiedTls(replica)) << SlaveStatus(replica);

  // The sentinel leader promotes the replica and points the old primary at it (its own CHANGE MASTER).
  const CommandResult switched = Foobar({"db", "switchover"}, "", 60);
  ASSERT_TRUE(switched.ok()) << Describe(switched);
  ASSERT_TRUE(PollUntil(10s, [&] { return PrimaryDatabaseHost() == replica; })) << switched.out;
  EXPECT_TRUE(PollUntil(10s, [&] { return ReplicatesOverVerifiedTls(primary); })) << SlaveStatus(primary);

  // Writes reach the new primary over TLS and replicate to the old one over TLS.
  const std::string body = UniqueText("e2e-tls-after-switchover");
  HttpResponse posted;
  ASSERT_TRUE(PollUntil(15s, [&] {
    posted = PostFromClient("/api/messages", "{\"author\":\"e2e-tls\",\"body\":\"" + body + "\"}");
    return posted.status == 201;
  })) << posted.Describe();
  EXPECT_TRUE(PollUntil(5s, [&] {
    return SqlOutput(primary, "SELECT COUNT(*) FROM foobar.messages WHERE body = '" + body + "'") == "1";
  })) << primary << " did not receive the write made on " << replica;
}

TEST_F(EndToEndTlsLab, FailoverAndRejoinKeepReplicationOnVerifiedTls) {
  const std::string old_primary = PrimaryDatabaseHost();
  ASSERT_FALSE(old_primary.empty());
  const std::string successor = OtherDatabaseHosts(old_primary).front();
  // The primary dies: the sentinels promote the replica, and fence the old primary.
  ServiceRestartGuard restart(old_primary, "mariadb");
  const CommandResult stopped = Foobar({"stop", old_primary, "mariadb"});
  ASSERT_TRUE(stopped.ok()) << Describe(stopped);
  ASSERT_TRUE(PollUntil(15s, [&] { return PrimaryDatabaseHost() == successor; })) << "no failover to " << successor;
  const CommandResult started = restart.Start();
  ASSERT_TRUE(started.ok()) << Describe(started);
  // `foobar db rejoin` rebuilds it as a replica of the new primary (the CLI's CHANGE MASTER).
  const CommandResult rejoined = Foobar({"db", "rejoin", old_primary}, "", 120);
  ASSERT_TRUE(rejoined.ok()) << Describe(rejoined);
  EXPECT_TRUE(PollUntil(10s, [&] { return ReplicatesOverVerifiedTls(old_primary); })) << SlaveStatus(old_primary);
  const HttpResponse posted =
      PostFromClient("/api/messages", "{\"author\":\"e2e-tls\",\"body\":\"" + UniqueText("after-failover") + "\"}");
  EXPECT_EQ(posted.status, 201) << posted.Describe();
}

}  // namespace
}  // namespace foobar::lab_test
