// `foobar load --url URL --rate R --duration S [--method M] [--body JSON] [--from HOST] [--json]`:
// one request at a fixed rate (open loop, latency from each request's scheduled time: no
// coordinated omission), sent from inside a lab host (default `loadgen`).
// `foobar load --idle-connections N --url URL [--hold S]`: opens N keep-alive connections, one
// request each, and holds them idle (what idle visitors cost a server).
#include <arpa/inet.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "ctl/bench/idle_connections.h"
#include "ctl/bench/in_namespace.h"
#include "ctl/bench/open_loop_client.h"
#include "ctl/bench/target_url.h"
#include "ctl/chaos/site_addresses.h"
#include "ctl/commands/commands.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/network.h"

namespace foobar::ctl {
namespace {

struct LoadOptions {
  std::string from = "loadgen";
  std::string url;
  double rate = 100;
  double duration_s = 5;
  double timeout_s = 2;
  std::string method = "GET";
  std::string body;
  int idle_connections = 0;
  int connections = 0;  // the open-loop client's pool; 0: by rate
  double hold_s = 10;
  bool json = false;
};

// An IPv4 address for the URL's host as `from` resolves it (the site: both VIPs, the first used).
std::string ResolveIn(const LabContext& lab, const std::string& from, const std::string& name) {
  in_addr literal{};
  if (::inet_pton(AF_INET, name.c_str(), &literal) == 1) return name;
  if (name == lab.topology.site.name) return chaos::ResolveSite(lab.topology, from).front();
  const CommandResult answer = RunCommand({"ip", "netns", "exec", NamespaceName(from), "getent", "ahostsv4", name});
  const auto addresses = chaos::ParseGetentAddresses(answer.out);
  if (addresses.empty()) throw LabError("cannot resolve " + name + " from " + from);
  return addresses.front();
}

int RunLoadCommand(const LoadOptions& options) {
  LabContext lab = RequireRecordedLab();
  lab.HostNamed(options.from);
  if (!NamespaceExists(options.from)) throw LabError("host '" + options.from + "' is not running");
  const auto url = bench::ParseTargetUrl(options.url);
  if (!url) throw LabError("--url must be http://HOST[:PORT]/PATH or https://...: " + options.url);
  const std::string address = ResolveIn(lab, options.from, url->host);

  if (options.idle_connections > 0) {
    if (url->tls) throw LabError("--idle-connections holds plain HTTP connections only");
    bench::IdlePlan plan;
    plan.address = address;
    plan.port = url->port;
    plan.target = url->target;
    plan.host_header = url->host;
    plan.connections = options.idle_connections;
    plan.hold = std::chrono::milliseconds(static_cast<long>(options.hold_s * 1000));
    std::atomic<bool> stop{false};
    const bench::IdleResult held = bench::RunInNamespace(options.from, [&] {
      return bench::HoldIdleConnections(
          plan,
          [&](const bench::IdleResult& r) {
            std::fprintf(stderr, "load: %d connections open (%d failed), holding them %g s\n", r.opened, r.failed,
                         options.hold_s);
          },
          stop);
    });
    if (options.json) {
      std::printf("%s\n", nlohmann::json{{"opened", held.opened}, {"failed", held.failed},
                                         {"still_open", held.still_open}}.dump().c_str());
    } else {
      std::printf("opened %d, failed %d, still open at the end %d\n", held.opened, held.failed, held.still_open);
    }
    return held.failed == 0 ? 0 : 1;
  }

  bench::OpenLoopPlan plan;
  plan.address = address;
  plan.port = url->port;
  plan.tls = url->tls;
  plan.request.method = options.method;
  plan.request.target = url->target;
  plan.request.host_header = url->host;
  plan.request.body = options.body;
  plan.rate = options.rate;
  plan.duration_s = options.duration_s;
  plan.connections = static_cast<size_t>(options.connections);
  plan.timeout = std::chrono::milliseconds(static_cast<long>(options.timeout_s * 1000));
  static const std::atomic<bool> never{false};
  const bench::OpenLoopResult r = bench::RunInNamespace(options.from, [&] { return bench::RunOpenLoop(plan, never); });
  if (options.json) {
    std::printf("%s\n", nlohmann::json{{"url", options.url},     {"address", address},   {"rate", options.rate},
                                       {"duration_s", options.duration_s}, {"sent", r.sent}, {"ok", r.ok},
                                       {"failed", r.failed},     {"p50_ms", r.p50_ms},   {"p90_ms", r.p90_ms},
                                       {"p99_ms", r.p99_ms},     {"p999_ms", r.p999_ms}, {"max_ms", r.max_ms},
                                       {"connections_opened", r.connections_opened}, {"errors", r.errors}}
                            .dump()
                            .c_str());
  } else {
    std::printf("%s %s at %g req/s for %g s from %s: sent %llu, ok %llu, failed %llu\n"
                "latency from the scheduled time: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
                options.method.c_str(), options.url.c_str(), options.rate, options.duration_s, options.from.c_str(),
                static_cast<unsigned long long>(r.sent), static_cast<unsigned long long>(r.ok),
                static_cast<unsigned long long>(r.failed), r.p50_ms, r.p90_ms, r.p99_ms, r.p999_ms, r.max_ms);
    for (const auto& [error, count] : r.errors)
      std::printf("  %s: %llu\n", error.c_str(), static_cast<unsigned long long>(count));
    std::printf("%zu connections, opened first; opened while sending, to replace closed ones: %llu\n",
                options.connections > 0 ? static_cast<size_t>(options.connections) : bench::ConnectionsFor(options.rate), static_cast<unsigned long long>(r.connections_opened));
  }
  return 0;
}

}  // namespace

Subcommand AddLoadCommand(CLI::App& cli) {
  auto options = std::make_shared<LoadOptions>();
  auto* sub = cli.add_subcommand("load", "Send one request at a fixed rate from a lab host (open loop) and report "
                                         "latency percentiles; or hold idle keep-alive connections");
  sub->add_option("--url", options->url, "http(s)://HOST[:PORT]/PATH as seen from --from")->required();
  sub->add_option("--from", options->from, "the lab host that sends (default loadgen)");
  sub->add_option("--rate", options->rate, "requests per second")->check(CLI::Range(1.0, 50000.0));
  sub->add_option("--duration", options->duration_s, "seconds")->check(CLI::Range(0.1, 600.0));
  sub->add_option("--timeout", options->timeout_s, "seconds a request may take from its scheduled time")
      ->check(CLI::Range(0.1, 60.0));
  sub->add_option("--connections", options->connections,
                  "keep-alive connections, all opened before the first request (default: rate / 100, 4 to 32)")
      ->check(CLI::Range(1, 4000));
  sub->add_option("--method", options->method, "GET, POST, ...");
  sub->add_option("--body", options->body, "request body (sent as application/json)");
  sub->add_option("--idle-connections", options->idle_connections, "hold N idle keep-alive connections instead")
      ->check(CLI::Range(1, 20000));
  sub->add_option("--hold", options->hold_s, "seconds to hold the idle connections")->check(CLI::Range(0.0, 600.0));
  sub->add_flag("--json", options->json, "one JSON object on stdout");
  return {sub, [options] { return RunLoadCommand(*options); }};
}

}  // namespace foobar::ctl
