#include "ctl/lab/lab_ca.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
namespace {

// A leaf certificate closer than this to its end is made again (at `up`).
constexpr const char* kRenewWithinSeconds = "2592000";  // 30 days
// Browsers refuse leaf certificates valid for longer than 398 days.
constexpr const char* kLeafDays = "397";
constexpr const char* kCaDays = "3650";

void Run(const std::vector<std::string>& argv) {
  auto r = RunCommand(argv);
  if (!r.ok()) throw LabError(argv[0] + " " + argv[1] + " failed: " + r.FirstErrorLine());
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LabError("cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Written 0600 from the start: no moment where a key is readable by others.
void WritePrivate(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::remove(path, ec);
  {
    std::ofstream touch(path);
  }
  ::chmod(path.c_str(), 0600);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw LabError("cannot write " + path.string());
}

void EnsureCa(const fs::path& dir) {
  const fs::path key = dir / "ca.key", crt = dir / "ca.crt";
  if (fs::exists(key) && fs::exists(crt) &&
      RunCommand({"openssl", "x509", "-noout", "-checkend", kRenewWithinSeconds, "-in", crt.string()}).ok())
    return;
  // ECDSA P-256: small, fast handshakes, accepted by every current client.
  Run({"openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
       "-keyout", key.string(), "-out", crt.string(), "-days", kCaDays, "-subj", "/O=foobar lab/CN=foobar lab CA",
       "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
  ::chmod(key.c_str(), 0600);
  ::chmod(crt.c_str(), 0644);
}

// Still good: signed by the current CA, not about to expire, and names every one of `names`.
bool LeafIsCurrent(const fs::path& dir, const fs::path& crt, const std::vector<std::string>& names,
                   const std::vector<std::string>& ips) {
  if (!fs::exists(crt)) return false;
  if (!RunCommand({"openssl", "verify", "-CAfile", (dir / "ca.crt").string(), crt.string()}).ok()) return false;
  if (!RunCommand({"openssl", "x509", "-noout", "-checkend", kRenewWithinSeconds, "-in", crt.string()}).ok())
    return false;
  for (const auto& name : names) {
    auto r = RunCommand({"openssl", "x509", "-noout", "-in", crt.string(), "-checkhost", name});
    if (r.out.find("does match") == std::string::npos) return false;
  }
  for (const auto& ip : ips) {
    auto r = RunCommand({"openssl", "x509", "-noout", "-in", crt.string(), "-checkip", ip});
    if (r.out.find("does match") == std::string::npos) return false;
  }
  return true;
}

// A server certificate for `names` (DNS) and `ips`, signed by the lab CA: KEY and CRT files.
void IssueLeaf(const fs::path& dir, const fs::path& key, const fs::path& crt, const std::vector<std::string>& names,
               const std::vector<std::string>& ips) {
  std::string san;
  for (const auto& n : names) san += (san.empty() ? "DNS:" : ",DNS:") + n;
  for (const auto& ip : ips) san += (san.empty() ? "IP:" : ",IP:") + ip;
  const fs::path csr = dir / (crt.stem().string() + ".csr");
  const fs::path ext = dir / (crt.stem().string() + ".ext");
  {
    std::ofstream out(ext, std::ios::trunc);
    out << "subjectAltName=" << san << "\n"
        << "basicConstraints=critical,CA:FALSE\n"
        << "keyUsage=critical,digitalSignature\n"
        << "extendedKeyUsage=serverAuth\n";
  }
  Run({"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
       key.string(), "-out", csr.string(), "-subj", "/O=foobar lab/CN=" + names.front()});
  ::chmod(key.c_str(), 0600);
  // No -CAserial: OpenSSL 3 gives each certificate a random serial.
  Run({"openssl", "x509", "-req", "-in", csr.string(), "-CA", (dir / "ca.crt").string(), "-CAkey",
       (dir / "ca.key").string(), "-days", kLeafDays, "-sha256", "-extfile", ext.string(), "-out", crt.string()});
  std::error_code ec;
  fs::remove(csr, ec);
  fs::remove(ext, ec);
}

}  // namespace

bool IsOutsideHost(const Host& host) {
  for (const auto& s : host.services)
    if (s != "blackbox_exporter") return false;
  return true;
}

void EnsureLabCertificates(const Topology& topology, const fs::path& secrets) {
  const fs::path dir = TlsDir(secrets);
  fs::create_directories(dir);
  ::chmod(secrets.c_str(), 0700);
  ::chmod(dir.c_str(), 0700);
  EnsureCa(dir);

  // The site: its name and the bare domain (a real deployment redirects one to the other).
  // localhost and 127.0.0.1 too: `foobar forward` relays a browser's TLS on this machine to
  // HAProxy as it is (a lab certificate only: a real one names the site alone).
  std::vector<std::string> names = {topology.site.name};
  if (topology.domain != topology.site.name) names.push_back(topology.domain);
  names.push_back("localhost");
  const std::vector<std::string> site_ips = {"127.0.0.1"};
  const fs::path site_crt = dir / "site.crt", site_key = dir / "site.key";
  if (!LeafIsCurrent(dir, site_crt, names, site_ips) || !fs::exists(LabSitePemPath(secrets))) {
    IssueLeaf(dir, site_key, site_crt, names, site_ips);
    // HAProxy's crt file: the leaf, the chain (the CA) and the key.
    WritePrivate(LabSitePemPath(secrets), ReadAll(site_crt) + ReadAll(dir / "ca.crt") + ReadAll(site_key));
  }

  if (!topology.security.end_to_end_tls) return;
  // HAProxy -> Nginx and app/replica/sentinel -> MariaDB: a certificate per app server and per
  // database server, naming the host and its private address (clients connect by address).
  std::vector<const Host*> servers = topology.HostsRunning("nginx");
  for (const Host* db : topology.HostsRunning("mariadb"))
    if (std::find(servers.begin(), servers.end(), db) == servers.end()) servers.push_back(db);
  for (const Host* host : servers) {
    std::vector<std::string> ips;
    if (auto a = host->AddressOn("private")) ips.push_back(*a);
    const fs::path crt = HostCertPath(secrets, host->name);
    if (!LeafIsCurrent(dir, crt, {host->name}, ips)) IssueLeaf(dir, HostKeyPath(secrets, host->name), crt, {host->name}, ips);
  }
}

void InstallLabCaTrust(const Topology& topology, const fs::path& secrets) {
  const std::string ca = ReadAll(LabCaCertPath(secrets));
  auto hash = RunCommand({"openssl", "x509", "-noout", "-hash", "-in", LabCaCertPath(secrets).string()});
  if (!hash.ok()) throw LabError("openssl x509 -hash failed: " + hash.FirstErrorLine());
  std::string subject_hash = hash.out.substr(0, hash.out.find('\n'));
  for (const auto& host : topology.hosts) {
    if (!IsOutsideHost(host)) continue;
    const fs::path ssl = fs::path("/etc/netns") / NamespaceName(host.name) / "ssl";
    std::error_code ec;
    fs::remove_all(ssl, ec);
    fs::create_directories(ssl.parent_path());
    // The system's store as it is (symlinks into /usr/share/ca-certificates stay valid),
    // plus the lab CA in the bundle (curl, Go, Python) and as a hashed file (OpenSSL's CApath).
    Run({"cp", "-a", "/etc/ssl", ssl.string()});
    const fs::path bundle = ssl / "certs" / "ca-certificates.crt";
    const std::string system_bundle = ReadAll(bundle);
    fs::remove(bundle, ec);
    {
      std::ofstream out(bundle, std::ios::binary | std::ios::trunc);
      out << system_bundle << ca;
      if (!out) throw LabError("cannot write " + bundle.string());
    }
    const fs::path own = ssl / "certs" / "foobar-lab-ca.pem";
    {
      std::ofstream out(own, std::ios::binary | std::ios::trunc);
      out << ca;
    }
    for (int i = 0; i < 10; ++i) {
      const fs::path link = ssl / "certs" / (subject_hash + "." + std::to_string(i));
      if (fs::exists(fs::symlink_status(link))) continue;
      fs::create_symlink("foobar-lab-ca.pem", link);
      break;
    }
  }
}

}  // namespace foobar::ctl
