#include "ctl/bench/wrk_run.h"

#include <fmt/format.h>

#include <cmath>
#include <regex>
#include <sstream>

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"

namespace foobar::ctl::bench {
namespace {

// wrk prints durations as 812.00us, 1.23ms, 2.01s or 1.00m.
double ToMilliseconds(double value, const std::string& unit) {
  if (unit == "us") return value / 1000;
  if (unit == "ms") return value;
  if (unit == "s") return value * 1000;
  if (unit == "m") return value * 60000;
  return value;
}

}  // namespace

std::vector<std::string> WrkArgv(const WrkPlan& plan) {
  std::vector<std::string> argv = {"wrk", "-t", std::to_string(plan.threads), "-c", std::to_string(plan.connections),
                                   "-d", fmt::format("{}s", std::max(1L, std::lround(plan.duration_s))),
                                   "--timeout", "5s", "--latency"};
  if (!plan.script_file.empty()) {
    argv.push_back("-s");
    argv.push_back(plan.script_file);
  }
  argv.push_back(plan.url);
  return argv;
}

std::optional<WrkResult> ParseWrkOutput(const std::string& output) {
  WrkResult result;
  std::smatch m;
  static const std::regex requests(R"((\d+) requests in ([0-9.]+)(us|ms|s|m),)");
  if (!std::regex_search(output, m, requests)) return std::nullopt;
  result.requests = std::stoull(m[1]);
  result.duration_s = ToMilliseconds(std::stod(m[2]), m[3]) / 1000;
  static const std::regex rate(R"(Requests/sec:\s+([0-9.]+))");
  if (std::regex_search(output, m, rate)) result.requests_per_s = std::stod(m[1]);
  else if (result.duration_s > 0) result.requests_per_s = static_cast<double>(result.requests) / result.duration_s;
  static const std::regex non2xx(R"(Non-2xx or 3xx responses:\s+(\d+))");
  if (std::regex_search(output, m, non2xx)) result.non_2xx = std::stoull(m[1]);
  static const std::regex errors(R"(Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+))");
  if (std::regex_search(output, m, errors))
    result.socket_errors = std::stoull(m[1]) + std::stoull(m[2]) + std::stoull(m[3]) + std::stoull(m[4]);
  static const std::regex percentile(R"(\n\s+(50|90|99)%\s+([0-9.]+)(us|ms|s|m))");
  for (auto it = std::sregex_iterator(output.begin(), output.end(), percentile); it != std::sregex_iterator(); ++it) {
    const double ms = ToMilliseconds(std::stod((*it)[2]), (*it)[3]);
    const std::string p = (*it)[1];
    (p == "50" ? result.p50_ms : p == "90" ? result.p90_ms : result.p99_ms) = ms;
  }
  return result;
}

WrkResult RunWrk(const WrkPlan& plan) {
  std::vector<std::string> argv = {"ip", "netns", "exec", NamespaceName(plan.host)};
  const auto wrk = WrkArgv(plan);
  argv.insert(argv.end(), wrk.begin(), wrk.end());
  const CommandResult run = RunCommand(argv);
  const auto parsed = ParseWrkOutput(run.out);
  if (!run.ok() || !parsed)
    throw LabError("wrk on " + plan.host + " against " + plan.url + " failed: " + run.FirstErrorLine());
  return *parsed;
}

std::string WrkBodyScript(const std::string& method, const std::string& body) {
  // Lua long brackets [==[...]==] take the body as it is (no escapes to get wrong).
  return fmt::format(
      "-- written by foobar bench\n"
      "wrk.method = \"{}\"\n"
      "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
      "wrk.body = [==[{}]==]\n",
      method, body);
}

std::string WrkRandomTargetScript(const std::vector<std::string>& targets) {
  std::string script = "-- written by foobar bench\nlocal targets = {\n";
  for (const std::string& target : targets) script += fmt::format("  [==[{}]==],\n", target);
  script +=
      "}\n"
      "request = function()\n"
      "  return wrk.format(nil, targets[math.random(#targets)])\n"
      "end\n";
  return script;
}

}  // namespace foobar::ctl::bench
