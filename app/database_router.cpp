// Wiring of role discovery to the pools.
#include "app/database_router.h"

namespace foobar::app {
namespace {

DbCredentials CredentialsOf(const DatabaseConfig& config) {
  return DbCredentials{config.user, config.password, config.name, config.credentials_file, config.ssl_ca};
}

RoleTracker::Options TrackerOptions(const DatabaseConfig& config) {
  RoleTracker::Options options;
  options.replica_max_lag_s = config.replica_max_lag_s;
  return options;
}

}  // namespace

DatabaseRouter::DatabaseRouter(const DatabaseConfig& config)
    : tracker_(config.servers, CredentialsOf(config), TrackerOptions(config)),
      primary_pool_(
          DbPool::Options{"primary", config.pool_size, CredentialsOf(config), DbTimeouts{}},
          [this] { return tracker_.Primary(); },
          [this](const Error&) { tracker_.RequestRecheck(); }) {
  if (config.servers.size() < 2) return;
  for (std::size_t i = 0; i < config.servers.size(); ++i) {
    replica_pools_.push_back(std::make_unique<DbPool>(
        DbPool::Options{"replica " + config.servers[i].ToString(), config.pool_size,
                        CredentialsOf(config), DbTimeouts{}},
        [this, i] { return tracker_.ReplicaEndpoint(i); },
        [this](const Error&) { tracker_.RequestRecheck(); }));
  }
}

void DatabaseRouter::Start() {
  tracker_.Start();
  primary_pool_.Start();
  for (auto& pool : replica_pools_) pool->Start();
}

void DatabaseRouter::Stop() {
  for (auto& pool : replica_pools_) pool->Stop();
  primary_pool_.Stop();
  tracker_.Stop();
}

int DatabaseRouter::NextHealthyReplica() {
  if (replica_pools_.empty()) return -1;
  return tracker_.NextHealthyReplica();
}

}  // namespace foobar::app
