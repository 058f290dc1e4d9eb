#include "ctl/render/blackbox_config.h"

#include <fmt/format.h>

#include "ctl/render/render_common.h"

namespace foobar::ctl {
namespace {

// The site's name as a regular expression (its dots matched literally).
std::string NameRegex(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '.') out += "\\\\";  // YAML double-quoted: \\ is one backslash for the regex
    out += c;
  }
  return out;
}

}  // namespace

std::filesystem::path BlackboxConfigPath(const HostPaths& paths) {
  return paths.Etc() / "blackbox_exporter" / "blackbox.yml";
}

std::string RenderBlackboxConfig(const RenderContext& ctx) {
  return fmt::format(
      R"({header}
modules:
  # A page of the site as a browser gets it: by name, through the client's resolver and a VIP;
  # success is a 200 within the timeout, after redirects; only over HTTPS with a valid certificate.
  http_site:
    prober: http
    # Under Prometheus's scrape timeout, so a slow site is a failed probe, not a failed scrape.
    timeout: 3s
    http:
      method: GET
      valid_status_codes: [200]
      follow_redirects: true
      # The certificate is verified against the client's trust store (which has the lab CA).
      fail_if_not_ssl: true
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      headers:
        User-Agent: foobar-blackbox-probe
  # One address DNS gives for the site (a VIP), asked for the site by its Host header.
  http_site_address:
    prober: http
    timeout: 3s
    http:
      method: GET
      valid_status_codes: [200]
      follow_redirects: false
      fail_if_not_ssl: true
      # Asked by address, verified (and SNI sent) for the site's name.
      tls_config:
        server_name: {site}
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      headers:
        Host: {site}
        User-Agent: foobar-blackbox-probe
  # The site's name from a DNS server: an authoritative A record for it.
  dns_site:
    prober: dns
    timeout: 2s
    dns:
      transport_protocol: udp
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      query_name: {site}
      query_type: A
      valid_rcodes: [NOERROR]
      validate_answer_rrs:
        fail_if_none_matches_regexp: ["^{site_regex}\\.\\t.*\\tIN\\tA\\t.*"]
)",
      fmt::arg("header", RenderedHeader(ctx, "blackbox exporter, the outside-in probes of " + ctx.topology.site.name)),
      fmt::arg("site", ctx.topology.site.name), fmt::arg("site_regex", NameRegex(ctx.topology.site.name)));
}

}  // namespace foobar::ctl
