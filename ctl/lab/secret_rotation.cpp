#include "ctl/lab/secret_rotation.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "ctl/lab/db_accounts.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/replication.h"
#include "ctl/lab/secrets.h"
#include "ctl/lab/services.h"
#include "ctl/render/sentinel_config.h"

namespace foobar::ctl {
using namespace std::chrono_literals;
namespace {

constexpr auto kReconnectBound = 30s;   // every app connection retires within ~1 s normally
constexpr int kReplicationWaitS = 30;

// The database tier as rotation needs it: the one writable server, and the replicas.
struct Tier {
  const Host* primary = nullptr;
  std::vector<const Host*> replicas;  // answering and configured as replicas
  std::vector<std::string> unreachable;
};

Tier InspectTier(const LabContext& lab) {
  Tier tier;
  for (const Host* host : lab.topology.HostsRunning("mariadb")) {
    const DbServerState s = InspectDatabase(lab, *host);
    if (!s.answers) {
      tier.unreachable.push_back(host->name);
    } else if (!s.read_only) {
      if (tier.primary)
        throw LabError("both " + tier.primary->name + " and " + host->name + " are writable: settle that first");
      tier.primary = host;
    } else if (s.replica_configured) {
      tier.replicas.push_back(host);
    }
  }
  if (!tier.primary) throw LabError("no database server is writable (a failover in progress?); try again later");
  return tier;
}

std::unique_ptr<AdminConnection> Admin(const LabContext& lab, const Host& host) {
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, host), 5s);
  if (!conn.ok()) throw LabError("cannot reach MariaDB on " + host.name + ": " + conn.error().message);
  return std::move(*conn);
}

// Runs statements on `host`. Error messages name the account, never carry the statement
// (which holds a password hash).
void RunAll(const LabContext& lab, const Host& host, const std::vector<std::string>& statements,
            const std::string& what) {
  auto db = Admin(lab, host);
  for (const std::string& sql : statements) {
    auto r = db->Run(sql);
    if (!r.ok()) throw LabError(what + " on " + host.name + ": " + r.error().message);
  }
}

// Waits until every replica has applied what the primary has now (account changes included).
void WaitForReplicas(const LabContext& lab, const Tier& tier) {
  const std::string position = InspectDatabase(lab, *tier.primary).gtid_binlog_pos;
  for (const Host* replica : tier.replicas) WaitForReplica(lab, *replica, position, kReplicationWaitS);
}

std::vector<DbAccount> AccountsOf(const LabContext& lab, const std::string& user) {
  std::vector<DbAccount> out;
  for (DbAccount& account : LabDbAccounts(lab.topology))
    if (account.user == user) out.push_back(std::move(account));
  return out;
}

// How many connections `user` has open on each answering database server, by client address.
std::map<std::string, int> ConnectionsOf(const LabContext& lab, const std::string& user) {
  std::map<std::string, int> out;
  for (const Host* host : lab.topology.HostsRunning("mariadb")) {
    auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, *host), 1s);
    if (!conn.ok()) continue;  // a server that is down holds no connection
    auto r = (*conn)->Run("SELECT SUBSTRING_INDEX(HOST, ':', 1), COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = " +
                          SqlQuote(user) + " GROUP BY 1");
    if (!r.ok()) throw LabError("reading the process list of " + host->name + ": " + r.error().message);
    for (const auto& row : r->rows) out[host->name + " from " + row[0]] += std::stoi(row[1]);
  }
  return out;
}

void RotateApp(const LabContext& lab, const Tier& tier, const std::function<void(const std::string&)>& say) {
  const auto store = lab.state.Secrets();
  const AppCredentials current = ReadAppCredentials(store);
  const AppCredentials next{OtherAppUser(current.user), GeneratePassword(32)};
  say(fmt::format("app: {} is in use; giving {} a new password", current.user, next.user));
  for (const DbAccount& account : AccountsOf(lab, next.user))
    RunAll(lab, *tier.primary, EnsureAccountSql(account, next.password, false),
           "setting the password of " + AccountName(account.user, account.address));
  WaitForReplicas(lab, tier);
  WriteAppCredentials(store, next);
  say(fmt::format("app: the credentials file names {} now; waiting for every app connection to move", next.user));

  const auto deadline = std::chrono::steady_clock::now() + kReconnectBound;
  std::map<std::string, int> left = ConnectionsOf(lab, current.user);
  while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
    left = ConnectionsOf(lab, current.user);
  }
  if (!left.empty()) {
    std::string where;
    for (const auto& [place, count] : left) where += fmt::format("{}{} on {}", where.empty() ? "" : ", ", count, place);
    throw LabError(fmt::format("{} still has connections after {} s ({}); it stays unlocked. Is every app server "
                               "running? Run `foobar secrets rotate` again to finish",
                               current.user, kReconnectBound.count(), where));
  }
  for (const DbAccount& account : AccountsOf(lab, current.user))
    RunAll(lab, *tier.primary,
           {"ALTER USER " + AccountName(account.user, account.address) + " IDENTIFIED BY PASSWORD " +
            SqlQuote(NativePasswordHash(GeneratePassword(32))) + " ACCOUNT LOCK"},
           "locking " + AccountName(account.user, account.address));
  say(fmt::format("app: every connection uses {}; {} is locked and its password is gone", next.user, current.user));
}

void RotateReplication(const LabContext& lab, const Tier& tier, const std::function<void(const std::string&)>& say) {
  const std::string password = GeneratePassword(32);
  for (const DbAccount& account : AccountsOf(lab, kReplicationDbUser))
    RunAll(lab, *tier.primary, EnsureAccountSql(account, password, false),
           "setting the password of " + AccountName(account.user, account.address));
  WaitForReplicas(lab, tier);
  WriteSecretFile(lab.state.Secrets(), kReplicationDbPasswordFile, password + "\n");
  say(fmt::format("replication: {} has a new password on {} (and its replicas)", kReplicationDbUser, tier.primary->name));
  for (const Host* replica : tier.replicas) {
    // MariaDB changes a replica's connection settings only with both threads stopped (checked
    // on 10.11: "run STOP SLAVE first"), so for a moment neither runs; semi-sync commits on the
    // primary wait those few milliseconds for the acknowledgement. START SLAVE runs whatever
    // happened, so a failure never leaves the replica stopped.
    auto db = Admin(lab, *replica);
    auto stopped = db->Run("STOP SLAVE");
    auto changed = stopped.ok() ? db->Run("CHANGE MASTER TO MASTER_PASSWORD = " + SqlQuote(password)) : stopped;
    auto started = db->Run("START SLAVE");
    if (!changed.ok() || !started.ok())
      throw LabError(fmt::format("giving {} its new replication password: {}", replica->name,
                                 (!changed.ok() ? changed : started).error().message));
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    DbServerState s = InspectDatabase(lab, *replica);
    while (s.io_running != "Yes" && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(100ms);
      s = InspectDatabase(lab, *replica);
    }
    if (s.io_running != "Yes")
      throw LabError(fmt::format("{} does not replicate with the new password (IO thread {}: {}); run `foobar secrets "
                                 "rotate` again",
                                 replica->name, s.io_running, s.last_error));
    say(fmt::format("replication: {} replicates with the new password", replica->name));
  }
  for (const std::string& name : tier.unreachable)
    say(fmt::format("replication: {} does not answer: it gets the new password from `foobar db rejoin {}`", name, name));
}

// Waits until the sentinel on `host` reaches etcd and every database server that answers
// (which proves its new password), so the next one stops only with a majority watching.
void AwaitSentinelSeesTier(const LabContext& lab, const Host& host, const Tier& tier) {
  std::set<std::string> want = {tier.primary->name};
  for (const Host* replica : tier.replicas) want.insert(replica->name);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::string problem = "no status yet";
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(SentinelStatusPath(lab.state.Host(host.name)));
    const auto status = nlohmann::json::parse(in, nullptr, false);
    if (status.is_object() && status.value("etcd_ok", false) && status.contains("servers")) {
      std::set<std::string> reached;
      problem.clear();
      for (const auto& server : status["servers"]) {
        const std::string name = server.value("name", "");
        if (server.value("reachable", false)) reached.insert(name);
        else if (want.count(name)) problem += name + ": " + server.value("error", "unreachable") + "; ";
      }
      if (std::includes(reached.begin(), reached.end(), want.begin(), want.end())) return;
    } else if (status.is_object()) {
      problem = "etcd not reached yet";
    }
    std::this_thread::sleep_for(100ms);
  }
  throw LabError("the sentinel on " + host.name + " does not reach every database server 10 s after its restart (" +
                 problem + ")");
}

void RotateSentinels(const LabContext& lab, const Tier& tier, const std::function<void(const std::string&)>& say) {
  const auto sentinels = lab.topology.HostsRunning("sentinel");
  for (const Host* host : sentinels) {
    for (const Host* other : sentinels)
      if (other != host && !ServiceRunning(lab, *other, "sentinel"))
        throw LabError("the sentinel on " + other->name + " is not running: start it first (`foobar start " +
                       other->name + " sentinel`), so that a majority keeps watching while one restarts");
    const std::string password = GeneratePassword(32);
    StopService(lab, *host, "sentinel");
    try {
      for (const DbAccount& account : AccountsOf(lab, kSentinelDbUser))
        if (account.address == *host->AddressOn("private"))
          RunAll(lab, *tier.primary, EnsureAccountSql(account, password, false),
                 "setting the password of " + AccountName(account.user, account.address));
      WaitForReplicas(lab, tier);
      WriteSecretFile(lab.state.Secrets(), SentinelDbPasswordFile(host->name), password + "\n");
    } catch (const LabError&) {
      StartService(lab, *host, "sentinel");  // with whatever password it has: two others still watch
      throw;
    }
    StartService(lab, *host, "sentinel");
    AwaitSentinelSeesTier(lab, *host, tier);
    say(fmt::format("sentinel: {} restarted with its new password and reaches every database server", host->name));
  }
}

// Held while rotating: two rotations at once would each lock the other's new account.
class RotationLock {
 public:
  explicit RotationLock(const std::filesystem::path& store) {
    std::filesystem::create_directories(store);
    fd_ = ::open((store / ".rotate.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0)
      throw LabError("another `foobar secrets rotate` is running");
  }
  ~RotationLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  RotationLock(const RotationLock&) = delete;
  RotationLock& operator=(const RotationLock&) = delete;

 private:
  int fd_ = -1;
};

// Runs one step; a failure says which step and that rotate can simply run again.
void Step(const std::string& name, const std::function<void()>& step) {
  try {
    step();
  } catch (const LabError& e) {
    throw LabError(name + ": " + e.what() +
                   " -- every account still has a password that works for whoever uses it now; "
                   "run `foobar secrets rotate` again to complete the rotation");
  }
}

}  // namespace

void RotateDatabaseSecrets(const LabContext& lab, const std::function<void(const std::string&)>& say) {
  RotationLock lock(lab.state.Secrets());
  const Tier tier = InspectTier(lab);
  say("primary: " + tier.primary->name);
  if (!lab.topology.HostsRunning("app").empty()) Step("app", [&] { RotateApp(lab, tier, say); });
  if (lab.topology.HostsRunning("mariadb").size() > 1) {
    Step("replication", [&] { RotateReplication(lab, tier, say); });
    Step("sentinels", [&] { RotateSentinels(lab, tier, say); });
  }
  if (!lab.topology.HostsRunning("mysqld_exporter").empty())
    say("monitoring: mysqld_exporter signs in by unix_socket as 'prometheus'@'localhost': no password to rotate");
}

}  // namespace foobar::ctl
