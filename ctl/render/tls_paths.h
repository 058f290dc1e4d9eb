// Where the lab CA and the certificates it signs live under STATE/secrets/tls (dir 0700, keys
// 0600). Renderers point daemons at these paths; ctl/lab/lab_ca.* creates the files at `up`.
#pragma once

#include <filesystem>
#include <string>

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

// What HAProxy serves: [site] tls_certificate when the topology names one, else the lab's.
inline std::filesystem::path SiteCertificatePem(const Topology& topology, const std::filesystem::path& secrets) {
  if (!topology.site.tls_certificate.empty()) return topology.site.tls_certificate;
  return LabSitePemPath(secrets);
}

}  // namespace foobar::ctl
