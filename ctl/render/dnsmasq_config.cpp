#include "ctl/render/dnsmasq_config.h"

#include <fmt/format.h>

#include <iterator>
#include <stdexcept>

#include "ctl/render/render_common.h"

namespace foobar::ctl {

std::filesystem::path DnsmasqConfigPath(const HostPaths& paths) {
  return paths.Etc() / "dnsmasq" / "dnsmasq.conf";
}

std::string RenderDnsmasqConfig(const RenderContext& ctx) {
  const std::string& public_address = RequireAddress(ctx.host, "public", "dns");
  const std::string& domain = ctx.topology.domain;
  const std::string& site = ctx.topology.site.name;
  if (site.size() <= domain.size() + 1 || !site.ends_with("." + domain))
    throw std::invalid_argument("site name '" + site + "' is not under the domain '" + domain +
                                "' that DNS is authoritative for");
  // The name server's own name (the zone's NS and SOA name), which must resolve too.
  const std::string ns_name = ctx.host.name + "." + domain;

  fmt::memory_buffer records;
  for (const auto& address : ctx.topology.site.addresses)
    fmt::format_to(std::back_inserter(records), "host-record={},{}\n", site, address);
  if (ns_name != site)
    fmt::format_to(std::back_inserter(records),
                   "# The name server itself, named in the zone's NS and SOA records.\n"
                   "host-record={},{}\n",
                   ns_name, public_address);

  return fmt::format(
      R"({header}
# The lab supervises dnsmasq in the foreground.
keep-in-foreground
# Authoritative for {domain} only: no upstream servers, /etc/resolv.conf and /etc/hosts are
# not read, so names outside the zone are REFUSED (no recursion).
no-resolv
no-hosts
no-poll
# Only this host's public address, nothing else it may have.
bind-interfaces
listen-address={public_address}
port={dns_port}
pid-file={run}/dnsmasq.pid
log-facility={log}/dnsmasq.log
log-queries

# Names under {domain} are answered from this file only: unknown ones get NXDOMAIN.
local=/{domain}/
# Queries arriving at {public_address} are answered authoritatively (AA, SOA and NS).
auth-server={ns_name},{public_address}
auth-zone={domain}
# Short TTLs, so a change of the site's addresses reaches clients within a minute.
local-ttl=60
auth-ttl=60

# {site} answers with every site address (round robin between them).
{records})",
      fmt::arg("header", RenderedHeader(ctx, "dnsmasq, DNS server of " + domain)),
      fmt::arg("domain", domain), fmt::arg("public_address", public_address),
      fmt::arg("dns_port", kDnsPort), fmt::arg("run", ConfigPath(ctx.paths.Run())),
      fmt::arg("log", ConfigPath(ctx.paths.Log())), fmt::arg("ns_name", ns_name),
      fmt::arg("site", site), fmt::arg("records", fmt::to_string(records)));
}

}  // namespace foobar::ctl
