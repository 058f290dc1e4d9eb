// Where the lab CA and the certificates it signs live under STATE/secrets/tls (dir 0700, keys
// 0600). Renderers point daemons at these paths; ctl/lab/lab_ca.* creates the files at `up`.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/topology.h"

namespace foobar::ctl {

inline std::filesystem::path TlsDir(const std::filesystem::path& secrets) { return secrets / "tls"; }
// The lab CA's certificate: what clients (and HAProxy, for end-to-end TLS) trust.
inline std::filesystem::path LabCaCertPath(const std::filesystem::path& secrets) {
  return TlsDir(secrets) / "ca.crt";
}
// The site's certificate, the CA's and the private key in one PEM, as HAProxy's `crt` wants.
inline std::filesystem::path LabSitePemPath(const std::filesystem::path& secrets) {
  return TlsDir(secrets) / "site.pem";
}
// A server certificate of one lab host (its name and private address), for end-to-end TLS.
inline std::filesystem::path HostCertPath(const std::filesystem::path& secrets, const std::string& host) {
  return TlsDir(secrets) / (host + ".crt");
}
inline std::filesystem::path HostKeyPath(const std::filesystem::path& secrets, const std::string& host) {
  return TlsDir(secrets) / (host + ".key");
}

// MariaDB's own copy of its certificate, its key and the lab CA, for end-to-end TLS. mariadbd
// reads them after it has dropped to user `mysql`, so they sit in the host's data tree, owned by
// mysql (key 0600), while the secrets directory stays root-only. A replica's IO thread verifies
// its primary against this CA too (CHANGE MASTER ... MASTER_SSL_CA).
inline std::filesystem::path MariadbTlsDir(const HostPaths& paths) { return paths.Data() / "tls"; }
inline std::filesystem::path MariadbTlsCaPath(const HostPaths& paths) { return MariadbTlsDir(paths) / "ca.crt"; }
inline std::filesystem::path MariadbTlsCertPath(const HostPaths& paths) {
  return MariadbTlsDir(paths) / "server.crt";
}
inline std::filesystem::path MariadbTlsKeyPath(const HostPaths& paths) {
  return MariadbTlsDir(paths) / "server.key";
}

// What HAProxy serves: [site] tls_certificate when the topology names one, else the lab's.
inline std::filesystem::path SiteCertificatePem(const Topology& topology, const std::filesystem::path& secrets) {
  if (!topology.site.tls_certificate.empty()) return topology.site.tls_certificate;
  return LabSitePemPath(secrets);
}

}  // namespace foobar::ctl
