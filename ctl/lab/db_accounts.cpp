#include "ctl/lab/db_accounts.h"

#include <openssl/evp.h>

#include <fstream>

#include <fmt/format.h>

#include "ctl/lab/db_admin.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/secrets.h"
#include "ctl/render/sentinel_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
namespace {

std::string Sha1(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha1(), nullptr) != 1)
    throw LabError("SHA-1 failed");
  return std::string(reinterpret_cast<const char*>(digest), length);
}

// With end-to-end TLS, a plain connection as any of these accounts is refused: the server
// enforces what the clients are configured to do.
std::vector<DbAccount> RequireSslIfEndToEnd(const Topology& topology, std::vector<DbAccount> accounts) {
  for (DbAccount& a : accounts) a.require_ssl = topology.security.end_to_end_tls;
  return accounts;
}

}  // namespace

std::vector<DbGrant> AppGrants() {
  return {{"SELECT, INSERT, UPDATE, DELETE", std::string("`") + kDatabaseName + "`.*"}, {"SLAVE MONITOR", "*.*"}};
}

std::vector<DbAccount> LabDbAccounts(const Topology& topology) {
  std::vector<DbAccount> out;
  for (const Host* app : topology.HostsRunning("app"))
    for (const char* user : {kAppDbUserA, kAppDbUserB})
      out.push_back({user, *app->AddressOn("private"), AppGrants(), kAppDbCredentialsFile});
  // No replication, no failover.
  if (topology.HostsRunning("mariadb").size() < 2) return RequireSslIfEndToEnd(topology, std::move(out));
  for (const Host* server : topology.HostsRunning("mariadb"))
    out.push_back({kReplicationDbUser, *server->AddressOn("private"), {{"REPLICATION SLAVE", "*.*"}},
                   kReplicationDbPasswordFile});
  for (const Host* sentinel : topology.HostsRunning("sentinel"))
    out.push_back({kSentinelDbUser, *sentinel->AddressOn("private"), {{kSentinelPrivileges, "*.*"}},
                   SentinelDbPasswordFile(sentinel->name)});
  return RequireSslIfEndToEnd(topology, std::move(out));
}

AppCredentials ReadAppCredentials(const fs::path& store) {
  std::ifstream in(store / kAppDbCredentialsFile);
  AppCredentials out;
  std::getline(in, out.user);
  std::getline(in, out.password);
  if (out.user != kAppDbUserA && out.user != kAppDbUserB)
    throw LabError("secret '" + std::string(kAppDbCredentialsFile) + "' in " + store.string() +
                   " does not name " + kAppDbUserA + " or " + kAppDbUserB);
  if (out.password.empty()) throw LabError("secret '" + std::string(kAppDbCredentialsFile) + "' has no password");
  return out;
}

void WriteAppCredentials(const fs::path& store, const AppCredentials& credentials) {
  WriteSecretFile(store, kAppDbCredentialsFile, credentials.user + "\n" + credentials.password + "\n");
}

std::string OtherAppUser(const std::string& user) { return user == kAppDbUserA ? kAppDbUserB : kAppDbUserA; }

void EnsureDatabaseSecrets(const LabContext& lab) {
  const fs::path store = lab.state.Secrets();
  if (!lab.topology.HostsRunning("app").empty() && !fs::exists(store / kAppDbCredentialsFile))
    WriteAppCredentials(store, {kAppDbUserA, GeneratePassword(32)});
  for (const DbAccount& account : LabDbAccounts(lab.topology))
    if (account.secret != kAppDbCredentialsFile) EnsureSecret(store, account.secret);
}

std::string NativePasswordHash(const std::string& password) {
  std::string hex;
  for (unsigned char byte : Sha1(Sha1(password))) hex += fmt::format("{:02X}", byte);
  return "*" + hex;
}

std::string AccountName(const std::string& user, const std::string& address) {
  return SqlQuote(user) + "@" + SqlQuote(address);
}

std::vector<std::string> EnsureAccountSql(const DbAccount& account, const std::string& password, bool locked) {
  const std::string name = AccountName(account.user, account.address);
  std::string identified = "IDENTIFIED BY PASSWORD " + SqlQuote(NativePasswordHash(password));
  if (account.require_ssl) identified += " REQUIRE SSL";
  std::vector<std::string> sql = {
      "CREATE USER IF NOT EXISTS " + name + " " + identified + (locked ? " ACCOUNT LOCK" : ""),
      "ALTER USER " + name + " " + identified + (locked ? " ACCOUNT LOCK" : " ACCOUNT UNLOCK"),
  };
  for (const DbGrant& grant : account.grants) sql.push_back("GRANT " + grant.privileges + " ON " + grant.on + " TO " + name);
  return sql;
}

}  // namespace foobar::ctl
