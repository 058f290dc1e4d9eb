// The lab's own certificate authority, made at `up` with the `openssl` CLI: a CA key and
// certificate (kept across ups, so a browser that trusted it keeps trusting it), a certificate
// for the site (www.foobar.com, foobar.com; localhost for `foobar forward`), and, for
// end-to-end TLS, one per Nginx and per MariaDB host. Everything lives under STATE/secrets/tls (see ctl/render/tls_paths.h).
// A certificate is made again when it is missing, expires within 30 days, no longer names what
// it must, or was signed by another CA.
#pragma once

#include <filesystem>

#include "ctl/topology.h"

namespace foobar::ctl {

// Creates whatever of the CA and the certificates the topology needs is missing or stale.
// Throws LabError.
void EnsureLabCertificates(const Topology& topology, const std::filesystem::path& secrets);

// The hosts that stand for users outside (no server role: `client`, `loadgen`): their own
// /etc/ssl (/etc/netns/NS/ssl, which `ip netns exec` mounts over /etc/ssl) is the system's
// trust store plus the lab CA, so curl, openssl, browsers' NSS-less tools and the blackbox
// exporter there trust the site with no extra flag. RemoveHostResolverFiles removes it with
// the rest of /etc/netns/NS at `down`.
void InstallLabCaTrust(const Topology& topology, const std::filesystem::path& secrets);

// True for a host that stands for a user outside (see above).
bool IsOutsideHost(const Host& host);

}  // namespace foobar::ctl
