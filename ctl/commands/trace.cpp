// `foobar trace ID [--json]`: the path of one request through the stack, from the structured
// logs of every host: which load balancer took it and where it sent it (HAProxy's timers),
// the app server's Nginx (its time and the upstream's), the app (its time and the database
// target and server that answered). A client learns the ID from the X-Request-ID response
// header HAProxy sets.
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "ctl/commands/subcommand.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/trace/trace_search.h"

namespace foobar::ctl {
namespace {

struct TraceOptions {
  std::string request_id;
  bool json = false;
};

int RunTrace(const TraceOptions& options) {
  const LabContext lab = RequireRecordedLab();
  const std::vector<trace::TraceHop> hops = trace::FindRequestHops(lab, options.request_id);
  if (hops.empty()) {
    throw LabError("no log of the lab has request " + options.request_id +
                   " (the ID is the X-Request-ID response header)");
  }
  if (options.json) {
    nlohmann::ordered_json out = {{"request_id", options.request_id},
                                  {"hops", nlohmann::ordered_json::array()}};
    for (const auto& hop : hops) out["hops"].push_back(hop.ToJson());
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("request %s: %zu hop%s\n", options.request_id.c_str(), hops.size(),
              hops.size() == 1 ? "" : "s");
  std::printf("  %-8s %-8s %3s %10s  %s\n", "host", "service", "st", "time", "what");
  for (const auto& hop : hops) std::printf("  %s\n", hop.Summary().c_str());
  return 0;
}

}  // namespace

Subcommand AddTraceCommand(CLI::App& cli) {
  auto options = std::make_shared<TraceOptions>();
  CLI::App* app = cli.add_subcommand(
      "trace", "Follow one request through the logs of every host: trace ID (its X-Request-ID)");
  app->add_option("id", options->request_id, "the request's ID (response header X-Request-ID)")
      ->required();
  app->add_flag("--json", options->json, "machine-readable output");
  return Subcommand{app, [options] { return RunTrace(*options); }};
}

}  // namespace foobar::ctl
