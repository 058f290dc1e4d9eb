#include "ctl/lab/database_setup.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "ctl/lab/db_accounts.h"
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

// Every account of LabDbAccounts with its password from the store. Of the app's two accounts
// the one the credentials file names is unlocked; the other is locked with a password nobody
// keeps, ready for the next `foobar secrets rotate`. The app's accounts of an earlier lab
// ('foobar_app', one account) are dropped.
void CreateAccounts(const LabContext& lab, AdminConnection& db) {
  EnsureDatabaseSecrets(lab);
  const std::filesystem::path store = lab.state.Secrets();
  std::optional<AppCredentials> app;
  if (!lab.topology.HostsRunning("app").empty()) app = ReadAppCredentials(store);
  for (const DbAccount& account : LabDbAccounts(lab.topology)) {
    std::vector<std::string> sql;
    if (account.secret == kAppDbCredentialsFile) {
      Must(db, "DROP USER IF EXISTS " + AccountName("foobar_app", account.address), "dropping the old app account");
      const bool in_use = account.user == app->user;
      sql = EnsureAccountSql(account, in_use ? app->password : GeneratePassword(32), !in_use);
      // A locked account that exists stays as it is: it may be what a rotation left behind.
      if (!in_use) sql.erase(sql.begin() + 1);
    } else {
      sql = EnsureAccountSql(account, ReadSecret(store, account.secret), false);
    }
    for (const std::string& statement : sql)
      Must(db, statement, "setting up the account " + AccountName(account.user, account.address));
  }
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

  // Each account bound to the one address that uses it: a stolen password is useless from
  // anywhere else.
  CreateAccounts(lab, db);

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
