#include "ctl/lab/database_setup.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/secrets.h"
#include "ctl/render/sentinel_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

void Must(AdminConnection& db, const std::string& sql, const std::string& what) {
  auto r = db.Run(sql);
  if (!r.ok()) throw LabError(what + " failed: " + r.error().message);
}

std::vector<fs::path> MigrationFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sql") files.push_back(e.path());
  std::sort(files.begin(), files.end());  // 001_..., 002_...: applied in name order
  return files;
}

void CreateAccount(AdminConnection& db, const std::string& user, const std::string& address,
                   const std::string& password, const std::string& privileges, const std::string& what) {
  const std::string account = SqlQuote(user) + "@" + SqlQuote(address);
  Must(db, "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY " + SqlQuote(password), "creating " + what);
  Must(db, "ALTER USER " + account + " IDENTIFIED BY " + SqlQuote(password), "setting the password of " + what);
  Must(db, "GRANT " + privileges + " ON *.* TO " + account, "granting the rights of " + what);
}

// The replicas' account (from every database server: any of them may be a replica one day)
// and the sentinels' (from every sentinel host). The sentinels get what failover takes and no
// more: SLAVE MONITOR (SHOW SLAVE STATUS), BINLOG MONITOR (binlog positions), REPLICATION
// SLAVE ADMIN (START/STOP SLAVE, CHANGE MASTER, gtid_slave_pos), RELOAD (RESET SLAVE ALL needs
// it in 10.11), REPLICATION MASTER ADMIN (the rpl_semi_sync_master_* switches), READ_ONLY
// ADMIN (read_only), and, to fence
// a primary whose commits are stuck waiting for an acknowledgement, PROCESS (see every
// connection) and CONNECTION ADMIN (kill them). No data rights at all.
void CreateReplicationAccounts(const LabContext& lab, AdminConnection& db) {
  const std::string repl_password = EnsureSecret(lab.state.Secrets(), kReplicationDbPasswordFile);
  for (const Host* server : lab.topology.HostsRunning("mariadb"))
    CreateAccount(db, kReplicationDbUser, *server->AddressOn("private"), repl_password, "REPLICATION SLAVE",
                  "the replication account for " + server->name);
  const std::string sentinel_password = EnsureSecret(lab.state.Secrets(), kSentinelDbPasswordFile);
  for (const Host* sentinel : lab.topology.HostsRunning("sentinel"))
    CreateAccount(db, kSentinelDbUser, *sentinel->AddressOn("private"), sentinel_password, kSentinelPrivileges,
                  "the sentinel account for " + sentinel->name);
}

}  // namespace

const Host& InitialPrimary(const Topology& topology) {
  return *topology.HostsRunning("mariadb").front();
}

void SetUpDatabase(const LabContext& lab, const Host& primary) {
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, primary), 10s);
  if (!conn.ok()) throw LabError("cannot reach MariaDB on " + primary.name + ": " + conn.error().message);
  AdminConnection& db = **conn;

  const std::string schema = kDatabaseName;
  Must(db, "CREATE DATABASE IF NOT EXISTS `" + schema + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
       "creating database " + schema);

  // One account per app server address: a stolen password is useless from anywhere else.
  const std::string password = EnsureSecret(lab.state.Secrets(), kAppDbPasswordFile);
  for (const Host* app : lab.topology.HostsRunning("app")) {
    const std::string account = SqlQuote(kAppDbUser) + "@" + SqlQuote(*app->AddressOn("private"));
    Must(db, "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY " + SqlQuote(password),
         "creating the app's database user for " + app->name);
    Must(db, "ALTER USER " + account + " IDENTIFIED BY " + SqlQuote(password),
         "setting the app's database password for " + app->name);
    Must(db, "GRANT SELECT, INSERT, UPDATE, DELETE ON `" + schema + "`.* TO " + account,
         "granting the app's rights for " + app->name);
    // SHOW SLAVE STATUS: the app reads a replica's lag before it sends it reads.
    Must(db, "GRANT SLAVE MONITOR ON *.* TO " + account, "granting the app's replica monitoring for " + app->name);
  }
  if (lab.topology.HostsRunning("mariadb").size() > 1) CreateReplicationAccounts(lab, db);

  Must(db, "CREATE TABLE IF NOT EXISTS `" + schema + "`.schema_migrations ("
           "version VARCHAR(128) NOT NULL PRIMARY KEY, "
           "applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB",
       "creating the migrations table");
  auto applied = db.Run("SELECT version FROM `" + schema + "`.schema_migrations");
  if (!applied.ok()) throw LabError("reading applied migrations failed: " + applied.error().message);
  for (const auto& file : MigrationFiles(lab.source_dir / "schema")) {
    const std::string version = file.stem().string();
    bool done = std::any_of(applied->rows.begin(), applied->rows.end(),
                            [&](const auto& row) { return row[0] == version; });
    if (done) continue;
    std::ifstream in(file);
    std::stringstream sql;
    sql << in.rdbuf();
    Must(db, "USE `" + schema + "`; " + sql.str(), "migration " + file.filename().string());
    Must(db, "INSERT INTO `" + schema + "`.schema_migrations (version) VALUES (" + SqlQuote(version) + ")",
         "recording migration " + version);
  }
}

}  // namespace foobar::ctl
