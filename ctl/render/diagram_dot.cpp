#include "ctl/render/diagram_dot.h"

#include <fmt/format.h>

#include <iterator>
#include <vector>

namespace foobar::ctl {
namespace {

// Fill and border per health: green, red, and grey when nobody has said (no Prometheus, no data).
struct Palette {
  const char* fill;
  const char* border;
};
Palette ColoursOf(Health health) {
  switch (health) {
    case Health::kOk: return {"#c9ecd4", "#2d8a4e"};
    case Health::kDown: return {"#f6c4c4", "#b42318"};
    case Health::kUnknown: break;
  }
  return {"#eceff1", "#607d8b"};
}

std::string HealthClass(Health health) {
  switch (health) {
    case Health::kOk: return "health-ok";
    case Health::kDown: return "health-down";
    case Health::kUnknown: break;
  }
  return "health-unknown";
}

// Text for a Graphviz HTML-like label.
std::string Html(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

// What a person calls the daemons a host runs (exporters are monitoring's detail, left out).
std::string Roles(const Host& host) {
  static const std::vector<std::pair<std::string, std::string>> kNames = {
      {"dns", "DNS (dnsmasq)"},     {"haproxy", "HAProxy"},      {"keepalived", "keepalived"},
      {"nginx", "Nginx"},           {"app", "foobar-app"},       {"mariadb", "MariaDB"},
      {"etcd", "etcd"},             {"sentinel", "sentinel"},    {"prometheus", "Prometheus"},
      {"alertmanager", "Alertmanager"}, {"blackbox_exporter", "outside-in probe"}};
  std::string out;
  for (const auto& [service, name] : kNames)
    if (host.Runs(service)) out += (out.empty() ? "" : " · ") + name;
  return out;
}

Health HealthOf(const DiagramHealth& health, const std::string& id) {
  auto it = health.boxes.find(id);
  return it == health.boxes.end() ? Health::kUnknown : it->second;
}

std::string HostNode(const Host& host, const DiagramHealth& health, const std::string& title) {
  const std::string id = HostBoxId(host.name);
  const Health h = HealthOf(health, id);
  const Palette p = ColoursOf(h);
  std::string addresses;
  for (const auto& [net, addr] : host.addresses) addresses += (addresses.empty() ? "" : "  ") + net + " " + addr;
  // Graphviz rejects an empty <font> element: a host running nothing has no roles line.
  const std::string roles = Roles(host);
  const std::string roles_line = roles.empty() ? "" : "<font point-size=\"9\">" + Html(roles) + "</font><br/>";
  return fmt::format(
      "    \"{id}\" [id=\"{id}\", class=\"box {cls}\", fillcolor=\"{fill}\", color=\"{border}\", "
      "label=<<b>{title}</b><br/>{roles_line}<font point-size=\"8\" color=\"#455a64\">{addresses}</font>>];\n",
      fmt::arg("id", id), fmt::arg("cls", HealthClass(h)), fmt::arg("fill", p.fill), fmt::arg("border", p.border),
      fmt::arg("title", Html(title)), fmt::arg("roles_line", roles_line), fmt::arg("addresses", Html(addresses)));
}

bool Drawn(const Host& host) {
  // Lab helpers that run nothing (the load generator) are not part of the design.
  return !host.services.empty() || host.name == "client";
}

}  // namespace

std::string HostBoxId(const std::string& host) { return "host-" + host; }

std::string RenderDiagramDot(const Topology& t, const DiagramHealth& health) {
  fmt::memory_buffer out;
  auto add = [&](const std::string& text) { fmt::format_to(std::back_inserter(out), "{}", text); };
  const Network* pub = t.FindNetwork("public");
  const Network* priv = t.FindNetwork("private");

  add(fmt::format(R"(digraph foobar {{
  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.7, labelloc=t,
         label=<<b>{site}</b> — topology {name}>];
  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, penwidth=1.5, margin="0.15,0.06"];
  edge [fontname="Helvetica", fontsize=9, color="#546e7a", arrowsize=0.7];
)",
                  fmt::arg("site", Html(t.site.name)), fmt::arg("name", Html(t.name))));

  // The public network: the user, DNS and the site's addresses (the VIPs).
  add(fmt::format("  subgraph cluster_public {{\n    label=\"public network {}\"; style=\"dashed,rounded\"; "
                  "color=\"#90a4ae\"; fontcolor=\"#455a64\";\n",
                  pub ? pub->cidr : ""));
  for (const Host& h : t.hosts) {
    if (!Drawn(h) || h.AddressOn("private")) continue;
    add(HostNode(h, health, h.name == "client" ? "client (a user)" : h.name));
  }
  for (const Vip& vip : t.vips) {
    const Health vh = HealthOf(health, vip.name);
    const Palette p = ColoursOf(vh);
    add(fmt::format("    \"{0}\" [id=\"{0}\", class=\"vip {1}\", shape=ellipse, style=filled, fillcolor=\"{2}\", "
                    "color=\"{3}\", label=<<b>{0}</b><br/><font point-size=\"9\">{4}</font>>];\n",
                    vip.name, HealthClass(vh), p.fill, p.border, vip.address));
  }
  add("  }\n");

  // The load balancers straddle both networks.
  for (const Host* lb : t.HostsRunning("haproxy")) add(HostNode(*lb, health, lb->name));

  add(fmt::format("  subgraph cluster_private {{\n    label=\"private network {}\"; style=\"dashed,rounded\"; "
                  "color=\"#90a4ae\"; fontcolor=\"#455a64\";\n",
                  priv ? priv->cidr : ""));
  for (const Host& h : t.hosts)
    if (Drawn(h) && h.AddressOn("private") && !h.Runs("haproxy")) add(HostNode(h, health, h.name));
  add("  }\n");

  // The way of a request, left to right.
  const std::string client = HostBoxId("client");
  const bool has_client = t.FindHost("client") != nullptr;
  if (has_client)
    for (const Host* dns : t.HostsRunning("dns"))
      add(fmt::format("  \"{}\" -> \"{}\" [label=\"resolves {}\", style=dashed];\n", client, HostBoxId(dns->name),
                      t.site.name));
  if (!t.vips.empty()) {
    for (const Vip& vip : t.vips) {
      if (has_client) add(fmt::format("  \"{}\" -> \"{}\" [label=\"HTTP\"];\n", client, vip.name));
      for (const Host* lb : t.HostsRunning("keepalived")) {
        const auto holders = health.vip_holders.find(vip.name);
        const bool known = holders != health.vip_holders.end();
        const bool holds = known && holders->second.count(lb->name) > 0;
        // Known holders are drawn bold; otherwise the design: solid to the master, dashed to the backup.
        const std::string style = known ? (holds ? "bold" : "dashed") : (vip.master == lb->name ? "solid" : "dashed");
        add(fmt::format("  \"{0}\" -> \"{1}\" [id=\"edge-{0}-{2}\", class=\"vip-edge{3}\", style={4}, "
                        "label=\"{5}\"];\n",
                        vip.name, HostBoxId(lb->name), lb->name, holds ? " holder" : "", style,
                        vip.master == lb->name ? "master" : "backup"));
      }
    }
  } else if (has_client) {
    for (const Host* lb : t.HostsRunning("haproxy"))
      add(fmt::format("  \"{}\" -> \"{}\" [label=\"HTTP\"];\n", client, HostBoxId(lb->name)));
  }
  for (const Host* lb : t.HostsRunning("haproxy"))
    for (const Host* app : t.HostsRunning("nginx"))
      add(fmt::format("  \"{}\" -> \"{}\";\n", HostBoxId(lb->name), HostBoxId(app->name)));
  for (const Host* app : t.HostsRunning("app"))
    for (const Host* db : t.HostsRunning("mariadb"))
      if (db != app) add(fmt::format("  \"{}\" -> \"{}\" [label=\"SQL\"];\n", HostBoxId(app->name), HostBoxId(db->name)));
  // The monitoring host has no place on a request's way: keep it in the last column.
  const auto apps = t.HostsRunning("app");
  for (const Host* mon : t.HostsRunning("prometheus"))
    if (!apps.empty() && !mon->Runs("app"))
      add(fmt::format("  \"{}\" -> \"{}\" [style=invis];\n", HostBoxId(apps.front()->name), HostBoxId(mon->name)));
  add("}\n");
  return fmt::to_string(out);
}

}  // namespace foobar::ctl
