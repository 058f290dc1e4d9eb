// Wiring of primary discovery to the primary's pool.
#include "app/database_router.h"

namespace foobar::app {
namespace {

DbCredentials CredentialsOf(const DatabaseConfig& config) {
  return DbCredentials{config.user, config.password, config.name};
}

}  // namespace

DatabaseRouter::DatabaseRouter(const DatabaseConfig& config)
    : tracker_(config.servers, CredentialsOf(config), PrimaryTracker::Options{}),
      primary_pool_(
          DbPool::Options{"primary", config.pool_size, CredentialsOf(config), DbTimeouts{}},
          [this] { return tracker_.Primary(); },
          [this](const Error&) { tracker_.RequestRecheck(); }) {}

void DatabaseRouter::Start() {
  tracker_.Start();
  primary_pool_.Start();
}

void DatabaseRouter::Stop() {
  primary_pool_.Stop();
  tracker_.Stop();
}

}  // namespace foobar::app
