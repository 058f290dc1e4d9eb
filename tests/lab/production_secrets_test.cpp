// Secrets as an auditor checks them (issue 4, credentials): every value in the secrets store
// (passwords, private keys) is absent from every process's command line, every log of the
// lab, every rendered config that is not itself a root-only secret file, and the repository;
// the store is root-only; each database account has least privilege (SHOW GRANTS), the app
// cannot change the schema; and `foobar secrets rotate` under load fails no request, leaves
// the old passwords useless and the new ones working. About 40 s, most of it the rotation.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "ctl/lab/db_accounts.h"
#include "ctl/render/render_context.h"
#include "ctl/render/sentinel_config.h"
#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path StateDir() {
  const char* env = std::getenv("FOOBAR_STATE_DIR");
  return env && *env ? env : "/var/lib/foobar";
}

fs::path Store() { return StateDir() / "secrets"; }

// At most `limit` bytes of a file (files in /proc report size 0: read those in chunks).
std::string ReadAll(const fs::path& path, size_t limit = 64u << 20) {
  std::ifstream in(path, std::ios::binary);
  std::string out;
  char chunk[65536];
  while (out.size() < limit && in.read(chunk, sizeof chunk).gcount() > 0)
    out.append(chunk, static_cast<size_t>(in.gcount()));
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// What would be a leak, by store file: a password (a line of 16+ characters without spaces)
// or two lines of each private key's body. Certificates and public keys are public.
std::map<std::string, std::string> SecretValues() {
  std::map<std::string, std::string> out;  // value -> the file it comes from
  for (const auto& entry : fs::recursive_directory_iterator(Store())) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().lexically_relative(Store()).string();
    if (EndsWith(name, ".crt") || EndsWith(name, ".pub") || EndsWith(name, ".srl") || EndsWith(name, ".csr") ||
        EndsWith(name, "known_hosts") || EndsWith(name, ".lock"))
      continue;
    const std::vector<std::string> lines = Lines(ReadAll(entry.path()));
    bool in_key = false;
    std::vector<std::string> body;
    bool pem = false;
    for (const std::string& line : lines) {
      if (line.rfind("-----BEGIN", 0) == 0) {
        pem = true;
        in_key = line.find("PRIVATE KEY") != std::string::npos;
        body.clear();
      } else if (line.rfind("-----END", 0) == 0) {
        if (in_key && !body.empty()) {
          out[body.front()] = name;
          out[body[body.size() / 2]] = name;
        }
        in_key = false;
      } else if (in_key && line.size() >= 40 && line.find(':') == std::string::npos) {
        body.push_back(line);
      }
    }
    if (pem) continue;
    for (const std::string& line : lines)
      if (line.size() >= 16 && line.find_first_of(" \t") == std::string::npos) out[line] = name;
  }
  return out;
}

// The first secret `text` contains, as "FILE's value", or "".
std::string LeakIn(const std::string& text, const std::map<std::string, std::string>& secrets) {
  for (const auto& [value, file] : secrets)
    if (text.find(value) != std::string::npos) return file + "'s value";
  return "";
}

// Every regular file below `dir` (not following links).
std::vector<fs::path> FilesUnder(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_symlink() || !it->is_regular_file()) continue;
    out.push_back(it->path());
  }
  return out;
}

std::string HostAddress(const std::string& host) {
  const ctl::Host* h = LabTopology().FindHost(host);
  return h && h->AddressOn("private") ? *h->AddressOn("private") : "";
}

// A client config file (0600) with a user and a password, so the password never sits on a
// command line; removed when destroyed.
class ClientCredentials {
 public:
  ClientCredentials(const std::string& user, const std::string& password) {
    char pattern[] = "/tmp/foobar-secrets-test-XXXXXX";
    const int fd = ::mkstemp(pattern);
    path_ = pattern;
    const std::string text = "[client]\nuser=" + user + "\npassword=" + password + "\n";
    if (fd >= 0) {
      (void)::write(fd, text.data(), text.size());
      ::close(fd);
    }
  }
  ~ClientCredentials() { ::unlink(path_.c_str()); }
  ClientCredentials(const ClientCredentials&) = delete;
  ClientCredentials& operator=(const ClientCredentials&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs SQL as `user` with `password` from `from_host` against `to_host`'s MariaDB over the
// private network.
CommandResult SqlAs(const std::string& from_host, const std::string& to_host, const std::string& user,
                    const std::string& password, const std::string& sql) {
  ClientCredentials credentials(user, password);
  return ExecOn(from_host, {"mariadb", "--defaults-extra-file=" + credentials.path(), "--connect-timeout=3", "-h",
                            HostAddress(to_host), "-N", "-e", sql},
                "", 20);
}

std::string StoreSecret(const std::string& name) {
  const auto lines = Lines(ReadAll(Store() / name));
  return lines.empty() ? "" : lines[0];
}

ctl::AppCredentials CurrentAppCredentials() { return ctl::ReadAppCredentials(Store()); }

// The grants of an account as MariaDB shows them, one string per GRANT line, the
// "IDENTIFIED BY ..." part cut off.
std::set<std::string> GrantsOf(const std::string& db_host, const std::string& account) {
  std::set<std::string> out;
  const auto text = SqlOutput(db_host, "SHOW GRANTS FOR " + account);
  if (!text) return out;
  for (std::string line : Lines(*text)) {
    const auto cut = line.find(" IDENTIFIED ");
    if (cut != std::string::npos) line.resize(cut);
    out.insert(line);
  }
  return out;
}

TEST(ProductionSecrets, StoreIsRootOnly) {
  struct stat st {};
  ASSERT_EQ(::stat(Store().c_str(), &st), 0) << Store();
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  EXPECT_EQ(st.st_uid, 0u);
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(Store())) {
    ASSERT_EQ(::lstat(entry.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 0u) << entry.path();
    if (S_ISDIR(st.st_mode)) {
      EXPECT_EQ(st.st_mode & 07777, 0700u) << entry.path();
    } else {
      ++files;
      EXPECT_TRUE(S_ISREG(st.st_mode)) << entry.path();
      // Certificates and public keys are public (the directories above keep them root's all
      // the same); everything else is for its owner alone.
      const std::string name = entry.path().filename().string();
      const bool is_public = EndsWith(name, ".crt") || EndsWith(name, ".pub") || EndsWith(name, ".srl");
      EXPECT_EQ(st.st_mode & (is_public ? 0133 : 0177), 0u)
          << entry.path() << " has mode " << std::oct << (st.st_mode & 07777);
    }
  }
  EXPECT_GE(files, 2);
  const CommandResult list = Foobar({"secrets", "list"});
  ASSERT_TRUE(list.ok()) << Describe(list);
  EXPECT_NE(list.out.find(ctl::kAppDbCredentialsFile), std::string::npos) << list.out;
  EXPECT_EQ(LeakIn(list.out, SecretValues()), "") << "`foobar secrets list` shows a value";
}

TEST(ProductionSecrets, NoSecretOnAnyCommandLine) {
  const auto secrets = SecretValues();
  ASSERT_FALSE(secrets.empty());
  int processes = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string args = ReadAll(entry.path() / "cmdline", 1u << 20);
    if (args.empty()) continue;
    ++processes;
    for (char& c : args)
      if (c == '\0') c = ' ';
    EXPECT_EQ(LeakIn(args, secrets), "") << "pid " << pid << ": " << args.substr(0, 200);
  }
  EXPECT_GT(processes, 20);
}

TEST(ProductionSecrets, NoSecretInAnyLog) {
  const auto secrets = SecretValues();
  int logs = 0;
  for (const auto& host : fs::directory_iterator(StateDir() / "hosts"))
    for (const fs::path& log : FilesUnder(host.path() / "log")) {
      ++logs;
      EXPECT_EQ(LeakIn(ReadAll(log), secrets), "") << log;
    }
  EXPECT_GT(logs, 10);
}

// Rendered configs and run files (etc/, run/ of every host) may hold a secret only if they
// are themselves secret files: readable by their owner alone. The repository holds none.
TEST(ProductionSecrets, NoSecretInConfigsOrTheRepository) {
  const auto secrets = SecretValues();
  int configs = 0;
  for (const auto& host : fs::directory_iterator(StateDir() / "hosts"))
    for (const char* dir : {"etc", "run"})
      for (const fs::path& file : FilesUnder(host.path() / dir)) {
        struct stat st {};
        if (::stat(file.c_str(), &st) != 0 || (st.st_mode & 077) == 0) continue;
        ++configs;
        EXPECT_EQ(LeakIn(ReadAll(file), secrets), "") << file << " (mode " << std::oct << (st.st_mode & 07777) << ")";
      }
  EXPECT_GT(configs, 10);
  const CommandResult files = ctl::RunCommand({"git", "-C", FOOBAR_SOURCE_DIR, "ls-files", "-z"});
  ASSERT_TRUE(files.ok()) << Describe(files);
  int repo_files = 0;
  std::istringstream names(files.out);
  for (std::string name; std::getline(names, name, '\0');) {
    const fs::path path = fs::path(FOOBAR_SOURCE_DIR) / name;
    if (!fs::is_regular_file(path)) continue;
    ++repo_files;
    EXPECT_EQ(LeakIn(ReadAll(path), secrets), "") << path;
  }
  EXPECT_GT(repo_files, 100);
}

TEST(ProductionSecrets, AccountsHaveLeastPrivilege) {
  const std::string app_a = ctl::kAppDbUserA;
  for (const auto* db : LabTopology().HostsRunning("mariadb")) {
    SCOPED_TRACE(db->name);
    // Who may sign in at all: root and the monitoring account on the socket only, every other
    // account from one private address (never '%').
    const auto users = SqlOutput(db->name, "SELECT CONCAT(user, '@', host), is_role FROM mysql.user ORDER BY 1");
    ASSERT_TRUE(users);
    for (std::string account : Lines(*users)) {
      if (account.ends_with("\tY")) continue;  // a role (PUBLIC): nobody signs in as it
      account.resize(account.find('\t'));
      const std::string user = account.substr(0, account.find('@'));
      const std::string host = account.substr(account.find('@') + 1);
      EXPECT_NE(host, "%") << account;
      if (user == "root" || user == "mariadb.sys" || user == "mysql" || user == "prometheus") {
        EXPECT_EQ(host, "localhost") << account;
      } else {
        EXPECT_EQ(host.rfind("198.18.1.", 0), 0u) << account << " is not bound to a private address";
      }
    }
    const auto root = GrantsOf(db->name, "'root'@'localhost'");
    ASSERT_FALSE(root.empty());
    EXPECT_NE(SqlOutput(db->name, "SHOW GRANTS FOR 'root'@'localhost'")->find("unix_socket"), std::string::npos);
    EXPECT_EQ(*SqlOutput(db->name, "SELECT COUNT(*) FROM mysql.user WHERE user = 'root' AND host <> 'localhost'"), "0");

    for (const ctl::DbAccount& account : ctl::LabDbAccounts(LabTopology())) {
      const std::string name = "'" + account.user + "'@'" + account.address + "'";
      const std::string shown = "`" + account.user + "`@`" + account.address + "`";  // SHOW GRANTS quotes so
      std::set<std::string> want;
      for (const ctl::DbGrant& g : account.grants) want.insert("GRANT " + g.privileges + " ON " + g.on + " TO " + shown);
      if (account.user == ctl::kSentinelDbUser) {
        // MariaDB orders the privileges its own way: compare the set.
        const auto got = GrantsOf(db->name, name);
        ASSERT_EQ(got.size(), 1u) << name;
        std::set<std::string> got_privileges, want_privileges;
        auto split = [](std::string list, std::set<std::string>& into) {
          list = list.substr(6, list.find(" ON ") - 6);
          std::istringstream in(list);
          for (std::string p; std::getline(in, p, ',');) into.insert(p.substr(p.find_first_not_of(' ')));
        };
        split(*got.begin(), got_privileges);
        split(*want.begin(), want_privileges);
        EXPECT_EQ(got_privileges, want_privileges) << name;
      } else {
        EXPECT_EQ(GrantsOf(db->name, name), want) << name;
      }
    }
    EXPECT_EQ(GrantsOf(db->name, "'prometheus'@'localhost'"),
              (std::set<std::string>{"GRANT PROCESS, BINLOG MONITOR, SLAVE MONITOR ON *.* TO `prometheus`@`localhost`"}));
  }
}

TEST(ProductionSecrets, TheAppCannotChangeTheSchema) {
  const std::string primary = PrimaryDatabaseHost();
  ASSERT_NE(primary, "");
  const std::string app = LabTopology().HostsRunning("app").front()->name;
  const ctl::AppCredentials credentials = CurrentAppCredentials();
  const CommandResult select = SqlAs(app, primary, credentials.user, credentials.password,
                                     "SELECT COUNT(*) >= 0 FROM foobar.messages");
  ASSERT_TRUE(select.ok()) << Describe(select);
  for (const std::string sql : {"CREATE TABLE foobar.secrets_test_t (i INT)", "DROP TABLE foobar.messages",
                                "ALTER TABLE foobar.messages ADD COLUMN x INT", "CREATE DATABASE secrets_test_db",
                                "SELECT COUNT(*) FROM mysql.user"}) {
    const CommandResult r = SqlAs(app, primary, credentials.user, credentials.password, sql);
    EXPECT_FALSE(r.ok()) << sql;
    EXPECT_NE(r.err.find("denied"), std::string::npos) << sql << ": " << Describe(r);
  }
  // From anywhere else the same password is useless: the account is bound to the app server.
  const std::string other = LabTopology().HostsRunning("mariadb").back()->name;
  const CommandResult elsewhere = SqlAs(other, primary, credentials.user, credentials.password, "SELECT 1");
  EXPECT_FALSE(elsewhere.ok());
}

bool FullStrength() {
  const CommandResult r = Foobar({"status", "--json"});
  if (!r.ok()) return false;
  const auto status = nlohmann::json::parse(r.out, nullptr, false);
  return status.is_object() && status.contains("database_cluster") &&
         status["database_cluster"].value("full_strength", false);
}

// Load from loadgen (exempt from the rate limit) until a stop file appears or `max_rounds`:
// each round one curl process sends 8 GETs and 2 POSTs (each with its own Idempotency-Key)
// over one kept-alive connection; one status code per line.
std::string LoadScript(const std::string& stop_file, int max_rounds) {
  const std::string url = std::string(kSiteUrl) + "/api/messages";
  const std::string tag = UniqueText("rotate");
  std::string gets;
  for (int i = 0; i < 8; ++i) gets += " -o /dev/null '" + url + "?limit=5'";
  std::string posts;
  for (int i = 0; i < 2; ++i)
    posts += " --next -s -m 5 -w '%{http_code}\\n' -o /dev/null -X POST -H 'Content-Type: application/json'"
             " -H \"Idempotency-Key: " + tag + "-$i-" + std::to_string(i) +
             "\" -d \"{\\\"author\\\":\\\"rotate\\\",\\\"body\\\":\\\"" + tag + " $i " + std::to_string(i) +
             "\\\"}\" '" + url + "'";
  return "i=0; while [ $i -lt " + std::to_string(max_rounds) + " ] && [ ! -e " + stop_file + " ]; do "
         "curl -s -m 5 -w '%{http_code}\\n'" + gets + posts + "; i=$((i+1)); done";
}

TEST(ProductionSecrets, RotateUnderLoadFailsNoRequest) {
  ASSERT_TRUE(FullStrength());
  const ctl::AppCredentials old_app = CurrentAppCredentials();
  const std::string old_repl = StoreSecret(ctl::kReplicationDbPasswordFile);
  const std::string sentinel_host = LabTopology().HostsRunning("sentinel").front()->name;
  const std::string old_sentinel = StoreSecret(ctl::SentinelDbPasswordFile(sentinel_host));

  const std::string stop_file = "/tmp/" + UniqueText("foobar-rotate-stop");
  CommandResult load;
  std::thread loader([&] { load = ExecOn("loadgen", {"sh", "-c", LoadScript(stop_file, 300)}, "", 200); });
  std::this_thread::sleep_for(3s);  // traffic before the first change (the loader takes ~1 s to start)
  const auto started = std::chrono::steady_clock::now();
  const CommandResult rotate = Foobar({"secrets", "rotate"}, "", 180);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::this_thread::sleep_for(2s);  // and after the last
  std::ofstream(stop_file).put('\n');
  loader.join();
  fs::remove(stop_file);

  ASSERT_TRUE(rotate.ok()) << Describe(rotate);
  std::map<std::string, int> codes;
  int requests = 0;
  for (const std::string& code : Lines(load.out)) {
    ++codes[code];
    ++requests;
  }
  const int good = codes["200"] + codes["201"];
  EXPECT_EQ(good, requests) << "failed requests during rotation: " << load.out.size() << " bytes of codes, "
                            << requests - good << " not 200/201";
  EXPECT_GE(requests, 20) << Describe(load);
  std::printf("rotation took %.1f s; %d requests under it, %d failed\n%s", seconds, requests, requests - good,
              rotate.out.c_str());

  // The store has new values, and only they work.
  const ctl::AppCredentials new_app = CurrentAppCredentials();
  EXPECT_NE(new_app.user, old_app.user);
  EXPECT_NE(new_app.password, old_app.password);
  const std::string new_repl = StoreSecret(ctl::kReplicationDbPasswordFile);
  const std::string new_sentinel = StoreSecret(ctl::SentinelDbPasswordFile(sentinel_host));
  EXPECT_NE(new_repl, old_repl);
  EXPECT_NE(new_sentinel, old_sentinel);

  const std::string primary = PrimaryDatabaseHost();
  ASSERT_NE(primary, "");
  const std::string app = LabTopology().HostsRunning("app").front()->name;
  const std::string replica = OtherDatabaseHosts(primary).front();
  EXPECT_FALSE(SqlAs(app, primary, old_app.user, old_app.password, "SELECT 1").ok()) << "old app password";
  EXPECT_TRUE(SqlAs(app, primary, new_app.user, new_app.password, "SELECT 1").ok()) << "new app password";
  EXPECT_FALSE(SqlAs(replica, primary, ctl::kReplicationDbUser, old_repl, "SELECT 1").ok()) << "old replication";
  EXPECT_TRUE(SqlAs(replica, primary, ctl::kReplicationDbUser, new_repl, "SELECT 1").ok()) << "new replication";
  EXPECT_FALSE(SqlAs(sentinel_host, primary, ctl::kSentinelDbUser, old_sentinel, "SELECT 1").ok()) << "old sentinel";
  EXPECT_TRUE(SqlAs(sentinel_host, primary, ctl::kSentinelDbUser, new_sentinel, "SELECT 1").ok()) << "new sentinel";
  const auto old_left = SqlOutput(primary, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '" +
                                               old_app.user + "'");
  EXPECT_EQ(old_left.value_or("?"), "0");

  // The lab still works: every sentinel up, replication at full strength, a write then a read.
  for (const auto* h : LabTopology().HostsRunning("sentinel")) EXPECT_EQ(ServiceState(h->name, "sentinel"), "up");
  EXPECT_TRUE(PollUntil(10s, FullStrength));
  const std::string body = UniqueText("after-rotate");
  const HttpResponse posted = PostFromClient("/api/messages", R"({"author":"secrets","body":")" + body + R"("})");
  ASSERT_EQ(posted.status, 201) << posted.Describe();
  const auto id = JsonBody(posted).value("id", 0LL);
  const HttpResponse read = Curl("client", {std::string(kSiteUrl) + "/api/messages/" + std::to_string(id)});
  EXPECT_EQ(read.status, 200) << read.Describe();
  EXPECT_NE(read.body.find(body), std::string::npos);
}

}  // namespace
}  // namespace foobar::lab_test
