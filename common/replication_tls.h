// The TLS part of every CHANGE MASTER the lab and foobar-sentinel send ([security]
// end_to_end_tls): one place, so a replica set up at `up`, by `foobar db rejoin` or by a
// failover encrypts its link to the primary alike, and verifies the primary's certificate
// (lab CA, naming its private address) so a stranger cannot pose as the primary.
#pragma once

#include <string>

namespace foobar::db_cluster {

// ", MASTER_SSL = 1, MASTER_SSL_CA = <quoted_ca>, MASTER_SSL_VERIFY_SERVER_CERT = 1" for a
// replica whose copy of the CA is at the (already SQL-quoted) path; "" when `quoted_ca` is
// empty (TLS off: the statement stays as it was, and MariaDB keeps the options it had).
inline std::string ChangeMasterTlsOptions(const std::string& quoted_ca) {
  if (quoted_ca.empty()) return "";
  return ", MASTER_SSL = 1, MASTER_SSL_CA = " + quoted_ca + ", MASTER_SSL_VERIFY_SERVER_CERT = 1";
}

}  // namespace foobar::db_cluster
