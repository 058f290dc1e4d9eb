#include "app/config.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

constexpr const char* kExample = R"(
host_name = "app-01"           # reported in X-Served-By
listen = "127.0.0.1:8080"
threads = 2
[database]
servers = ["198.18.1.22:3306"]  # every database server; the app finds the writable one
name = "foobar"
user = "foobar_app"
password_file = "/var/lib/foobar/secrets/db-app.password"
pool_size = 8
replica_max_lag_s = 7
read_your_writes_timeout_ms = 250
)";

std::string ErrorOf(const std::string& text, const ConfigOverrides& overrides = {}) {
  auto config = ParseConfig(text, "/x/app.toml", overrides);
  if (config.ok()) return "OK";
  return config.error().message;
}

// The example with one line replaced (or appended when `old_line` is not found).
std::string Edit(const std::string& old_line, const std::string& new_line) {
  std::string text = kExample;
  const auto at = text.find(old_line);
  if (at == std::string::npos) return text + new_line + "\n";
  return text.replace(at, old_line.size(), new_line);
}

TEST(ParseConfigTest, ParsesTheExample) {
  auto config = ParseConfig(kExample, "/x/app.toml", {});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->host_name, "app-01");
  EXPECT_EQ(config->listen_address, "127.0.0.1");
  EXPECT_EQ(config->listen_port, 8080);
  EXPECT_EQ(config->threads, 2);
  ASSERT_EQ(config->database.servers.size(), 1u);
  EXPECT_EQ(config->database.servers[0], (DbEndpoint{"198.18.1.22", 3306}));
  EXPECT_EQ(config->database.name, "foobar");
  EXPECT_EQ(config->database.user, "foobar_app");
  EXPECT_EQ(config->database.password_file, "/var/lib/foobar/secrets/db-app.password");
  EXPECT_EQ(config->database.pool_size, 8);
  EXPECT_EQ(config->database.replica_max_lag_s, 7);
  EXPECT_EQ(config->database.read_your_writes_timeout_ms, 250);
  EXPECT_EQ(config->database.password, "");  // only ResolvePassword reads it
}

TEST(ParseConfigTest, DefaultsForOptionalKeys) {
  auto config = ParseConfig("[database]\nservers=[\"10.0.0.1\"]\nuser=\"u\"\n", "f", {});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_FALSE(config->host_name.empty());  // the system's
  EXPECT_EQ(config->listen_port, 8080);
  EXPECT_EQ(config->threads, 2);
  EXPECT_EQ(config->database.servers[0].port, 3306);
  EXPECT_EQ(config->database.name, "foobar");
  EXPECT_EQ(config->database.pool_size, 8);
  EXPECT_EQ(config->database.replica_max_lag_s, 5);
  EXPECT_EQ(config->database.read_your_writes_timeout_ms, 500);
}

TEST(ParseConfigTest, MetricsListenIsOptionalAndNumeric) {
  auto off = ParseConfig(kExample, "/x/app.toml", {});
  ASSERT_TRUE(off.ok());
  EXPECT_TRUE(off->metrics_listen_address.empty());
  // Keys before [database] belong to the top table.
  const std::string text =
      Edit("threads = 2", "threads = 2\nmetrics_listen = \"198.18.1.21:9464\"");
  auto on = ParseConfig(text, "/x/app.toml", {});
  ASSERT_TRUE(on.ok()) << on.error().message;
  EXPECT_EQ(on->metrics_listen_address, "198.18.1.21");
  EXPECT_EQ(on->metrics_listen_port, 9464);
  EXPECT_NE(ErrorOf(Edit("threads = 2", "threads = 2\nmetrics_listen = \"app-01:9464\"")).find(
                "metrics_listen must be ADDR:PORT"),
            std::string::npos);
}

TEST(ParseConfigTest, ReplicaRoutingKeysAreBounded) {
  EXPECT_EQ(ErrorOf(Edit("replica_max_lag_s = 7", "replica_max_lag_s = -1")),
            "/x/app.toml: database.replica_max_lag_s must be 0..3600");
  EXPECT_EQ(ErrorOf(Edit("replica_max_lag_s = 7", "replica_max_lag_s = 0")), "OK");
  EXPECT_EQ(
      ErrorOf(Edit("read_your_writes_timeout_ms = 250", "read_your_writes_timeout_ms = 2001")),
      "/x/app.toml: database.read_your_writes_timeout_ms must be 0..2000");
  EXPECT_EQ(ErrorOf(Edit("read_your_writes_timeout_ms = 250", "read_your_writes_timeout_ms = 0")),
            "OK");
}

TEST(ParseConfigTest, AtMostSixtyFourServers) {
  std::string many = "servers = [";
  for (int i = 0; i < 65; ++i) many += (i ? ", " : "") + std::string("\"10.0.0.1\"");
  many += "]";
  EXPECT_EQ(ErrorOf(Edit("servers = [\"198.18.1.22:3306\"]", many)),
            "/x/app.toml: database.servers must list at most 64 servers");
}

TEST(ParseConfigTest, OverridesWin) {
  ConfigOverrides overrides;
  overrides.listen = "[::1]:9090";
  overrides.threads = 4;
  overrides.host_name = "app-02";
  auto config = ParseConfig(kExample, "f", overrides);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->listen_address, "::1");
  EXPECT_EQ(config->listen_port, 9090);
  EXPECT_EQ(config->threads, 4);
  EXPECT_EQ(config->host_name, "app-02");
}

TEST(ParseConfigTest, ErrorsSayWhatAndWhere) {
  EXPECT_EQ(ErrorOf(Edit("pool_size = 8", "pool_size = 0")),
            "/x/app.toml: database.pool_size must be 1..256");
  EXPECT_EQ(ErrorOf(Edit("pool_size = 8", "pool_size = 257")),
            "/x/app.toml: database.pool_size must be 1..256");
  EXPECT_EQ(ErrorOf(Edit("pool_size = 8", "pool_size = \"8\"")),
            "/x/app.toml: database.pool_size must be 1..256");
  EXPECT_EQ(ErrorOf(Edit("threads = 2", "threads = 0")), "/x/app.toml: threads must be 1..64");
  EXPECT_EQ(ErrorOf(Edit("listen = \"127.0.0.1:8080\"", "listen = \"localhost:8080\"")),
            "/x/app.toml: listen must be ADDR:PORT with a numeric IP address");
  EXPECT_EQ(ErrorOf(Edit("listen = \"127.0.0.1:8080\"", "listen = \"127.0.0.1\"")),
            "/x/app.toml: listen must be ADDR:PORT");
  EXPECT_EQ(ErrorOf(Edit("listen = \"127.0.0.1:8080\"", "listen = \"127.0.0.1:70000\"")),
            "/x/app.toml: listen must be ADDR:PORT");
  EXPECT_EQ(ErrorOf(Edit("host_name = \"app-01\"", "host_name = \"a b\"")),
            "/x/app.toml: host_name must be 1..253 characters of [A-Za-z0-9._-]");
  EXPECT_EQ(ErrorOf(Edit("servers = [\"198.18.1.22:3306\"]", "servers = []")),
            "/x/app.toml: database.servers must list at least one server");
  EXPECT_EQ(ErrorOf(Edit("servers = [\"198.18.1.22:3306\"]", "servers = \"198.18.1.22\"")),
            "/x/app.toml: database.servers must be an array of strings");
  EXPECT_EQ(ErrorOf(Edit("servers = [\"198.18.1.22:3306\"]", "servers = [\"h:0\"]")),
            "/x/app.toml: database.servers: 'h:0' must be HOST:PORT");
  EXPECT_EQ(ErrorOf(Edit("user = \"foobar_app\"", "")), "/x/app.toml: database.user is required");
  EXPECT_EQ(ErrorOf("threads = 2\n"), "/x/app.toml: missing [database] table");
}

TEST(ParseConfigTest, UnknownKeysAreErrorsWithLine) {
  EXPECT_EQ(ErrorOf(Edit("pool_size = 8", "pool_sise = 8")),
            "/x/app.toml:10: unknown key 'database.pool_sise'");
  EXPECT_EQ(ErrorOf(std::string("thread = 3\n") + kExample), "/x/app.toml:1: unknown key 'thread'");
}

TEST(ParseConfigTest, SyntaxErrorsHaveLineAndColumn) {
  const std::string error = ErrorOf("threads = \n[database]\n");
  EXPECT_EQ(error.rfind("/x/app.toml:1:", 0), 0u) << error;
}

TEST(ParseConfigTest, BadOverridesAreErrors) {
  ConfigOverrides overrides;
  overrides.threads = 0;
  EXPECT_EQ(ErrorOf(kExample, overrides), "--threads must be 1..64");
  overrides = {};
  overrides.listen = "nope";
  EXPECT_EQ(ErrorOf(kExample, overrides), "--listen must be ADDR:PORT");
  overrides = {};
  overrides.host_name = "bad\r\nname";
  EXPECT_NE(ErrorOf(kExample, overrides), "OK");
}

TEST(ParseDbEndpointTest, Forms) {
  EXPECT_EQ(*ParseDbEndpoint("10.0.0.1:3307"), (DbEndpoint{"10.0.0.1", 3307}));
  EXPECT_EQ(*ParseDbEndpoint("10.0.0.1"), (DbEndpoint{"10.0.0.1", 3306}));
  EXPECT_EQ(*ParseDbEndpoint("[fd00::1]:3306"), (DbEndpoint{"fd00::1", 3306}));
  EXPECT_EQ(ParseDbEndpoint("[fd00::1]:3306")->ToString(), "[fd00::1]:3306");
  EXPECT_FALSE(ParseDbEndpoint(":3306").ok());
  EXPECT_FALSE(ParseDbEndpoint("h:x").ok());
  EXPECT_FALSE(ParseDbEndpoint("h:65536").ok());
}

class PasswordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("foobar-app-test-" + std::to_string(getpid()) + ".password");
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void Write(const std::string& contents) { std::ofstream(path_, std::ios::binary) << contents; }

  std::filesystem::path path_;
};

TEST_F(PasswordTest, EnvironmentWins) {
  DatabaseConfig db;
  db.password_file = "/nonexistent";
  ASSERT_TRUE(ResolvePassword(db, "from-env", "f").ok());
  EXPECT_EQ(db.password, "from-env");
}

TEST_F(PasswordTest, FileWithTrailingNewlineTrimmed) {
  Write("s3cret\n");
  DatabaseConfig db;
  db.password_file = path_.string();
  ASSERT_TRUE(ResolvePassword(db, nullptr, "f").ok());
  EXPECT_EQ(db.password, "s3cret");
  Write("with space \r\n");
  ASSERT_TRUE(ResolvePassword(db, nullptr, "f").ok());
  EXPECT_EQ(db.password, "with space ");
}

TEST_F(PasswordTest, MissingFileOrNoSourceIsAnError) {
  DatabaseConfig db;
  auto status = ResolvePassword(db, nullptr, "/x/app.toml");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("FOOBAR_DB_PASSWORD"), std::string::npos);
  db.password_file = "/nonexistent/pw";
  status = ResolvePassword(db, nullptr, "/x/app.toml");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "/x/app.toml: database.password_file /nonexistent/pw: No such file or directory");
}

TEST_F(PasswordTest, CredentialsFileGivesUserAndPassword) {
  Write("foobar_app_b\nn3w-s3cret\r\n");
  DatabaseConfig db;
  db.credentials_file = path_.string();
  ASSERT_TRUE(ResolvePassword(db, "from-env", "f").ok());  // the file wins: it may rotate
  EXPECT_EQ(db.user, "foobar_app_b");
  EXPECT_EQ(db.password, "n3w-s3cret");
}

TEST_F(PasswordTest, CredentialsFileErrorsNeverShowItsContent) {
  Write("only-one-line-s3cret\n");
  auto read = ReadCredentialsFile(path_.string());
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message.find("s3cret"), std::string::npos);
  EXPECT_FALSE(ReadCredentialsFile("/nonexistent/creds").ok());
}

TEST(ParseConfigTest, CredentialsFileReplacesUserAndPasswordFile) {
  std::string text = Edit("user = \"foobar_app\"", "credentials_file = \"/s/db-app.credentials\"");
  text = text.replace(text.find("password_file = "), 0, "# ");
  auto config = ParseConfig(text, "/x/app.toml", {});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->database.credentials_file, "/s/db-app.credentials");
  EXPECT_EQ(ErrorOf(Edit("name = \"foobar\"", "name = \"foobar\"\ncredentials_file = \"/c\"")),
            "/x/app.toml: database.credentials_file replaces user and password_file: set one or the other");
}

TEST(ParseConfigTest, SslCaTurnsOnVerifiedTls) {
  auto plain = ParseConfig(kExample, "/x/app.toml", {});
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->database.ssl_ca, "");  // the default: plain TCP
  auto tls = ParseConfig(Edit("pool_size = 8", "pool_size = 8\nssl_ca = \"/s/tls/ca.crt\""), "/x/app.toml", {});
  ASSERT_TRUE(tls.ok()) << tls.error().message;
  EXPECT_EQ(tls->database.ssl_ca, "/s/tls/ca.crt");
  EXPECT_EQ(ErrorOf(Edit("pool_size = 8", "pool_size = 8\nssl_ca = true")),
            "/x/app.toml: database.ssl_ca must be a string");
}

TEST(LoadConfigTest, MissingFile) {
  auto config = LoadConfig("/nonexistent/app.toml", {});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message,
            "/nonexistent/app.toml: cannot read: No such file or directory");
}

}  // namespace
}  // namespace foobar::app
