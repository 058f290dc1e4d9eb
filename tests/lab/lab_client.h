// Helpers for the lab tests: run the `foobar` CLI, run curl on a lab host and parse what it
// saw, and make values unique to one run so a test never depends on data left by another.
// Every helper runs a child process bounded by a timeout; none of them throws.
#pragma once

#include <chrono>
#include <functional>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctl/lab/command.h"
#include "ctl/topology.h"

namespace foobar::lab_test {

using ctl::CommandResult;

// The site as a client types it: HTTPS (port 80 only redirects here). The client and loadgen
// hosts trust the lab CA, so curl there verifies the certificate with no extra flag.
inline constexpr const char* kSiteUrl = "https://www.foobar.com";
inline constexpr const char* kSiteName = "www.foobar.com";

// curl arguments that send kSiteUrl's requests to one address of the site (a VIP, a balancer)
// while still asking for, and verifying, the site's name: --resolve www.foobar.com:443:ADDRESS.
std::vector<std::string> ResolveSiteTo(const std::string& address);
// foobar-app's port on every app host; the contract says it listens on loopback only.
inline constexpr int kAppPort = 8080;

// The topology the lab under test was brought up with (topologies/seed.toml).
const ctl::Topology& SeedTopology();

// The topology of the lab that is up: the record `foobar up` keeps in the state directory
// ($FOOBAR_STATE_DIR, else /var/lib/foobar). Loaded once; throws if no lab is up.
const ctl::Topology& LabTopology();

// Runs `build/foobar ARGS...` with `input` on stdin, killed after `timeout_s` seconds
// (exit code 124 then).
CommandResult Foobar(const std::vector<std::string>& args, const std::string& input = "",
                     int timeout_s = 120);

// `foobar exec HOST -- ARGV...`.
CommandResult ExecOn(const std::string& host, const std::vector<std::string>& argv,
                     const std::string& input = "", int timeout_s = 60);

// One line describing a finished command, for assertion messages.
std::string Describe(const CommandResult& result);

struct HttpResponse {
  int status = 0;  // 0 when curl got no HTTP response at all (see `error`)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string error;  // curl's stderr and exit code when the transfer failed

  // The value of the last header called `name` (lower case), or "" if absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // For assertion messages: status, headers and the start of the body.
  std::string Describe() const;
};

// Runs `curl -sS ... ARGS` on a lab host (never with -f, so 4xx/5xx bodies are seen) and
// returns the final response (interim 1xx responses are skipped). `stdin_data` is passed
// to curl's stdin, for `--data-binary @-`.
HttpResponse Curl(const std::string& host, const std::vector<std::string>& args,
                  const std::string& stdin_data = "");

// A POST of `body` with the given Content-Type from the client, to a path of the site.
HttpResponse PostFromClient(const std::string& path, const std::string& body,
                            const std::string& content_type = "application/json");

// What one of many requests got: the status (0 if none) and its X-Served-By.
struct ServedResponse {
  int status = 0;
  std::string served_by;
};

// `count` GETs of `url` from one curl process on `host`: one after another on a kept-alive
// connection when `parallel_max` is 0, else up to `parallel_max` at a time.
// `curl_args` go before the URLs (e.g. ResolveSiteTo(vip)).
std::vector<ServedResponse> GetMany(const std::string& host, const std::string& url, int count,
                                    int parallel_max, const std::vector<std::string>& curl_args = {});

// The body parsed as JSON, or a discarded value (is_discarded()) if it is not JSON.
nlohmann::json JsonBody(const HttpResponse& response);

// True if the response's X-Served-By names one of the topology's app servers.
bool ServedByAppServer(const HttpResponse& response);

// The names of the hosts running `service` in the seed topology, e.g. {"app-01", "app-02"}.
std::vector<std::string> HostsRunning(const std::string& service);

// The state ("up"/"down") `foobar status --json` gives a host's service, or a description
// of what went wrong.
std::string ServiceState(const std::string& host, const std::string& service);

// HTTP status of GET http://127.0.0.1:8080PATH on an app host (the app's own port), 0 if none.
int AppLoopbackStatus(const std::string& host, const std::string& path);

// Calls `condition` until it is true or `bound` has passed (checking at least once), with a
// short pause between attempts. Returns the last result.
bool PollUntil(std::chrono::milliseconds bound, const std::function<bool()>& condition);

// True once a burst of concurrent GETs from the client has been answered by every app
// server of the topology with 200, within `bound`.
bool WaitForEveryAppServer(std::chrono::milliseconds bound);

// "prefix-<ns since epoch>-<random hex>": unique per call and per run.
std::string UniqueText(std::string_view prefix);

// Rows in foobar.messages on the primary, or -1 (with a failed expectation) if unreadable.
long long MessageCount();

// `foobar sql HOST SQL`'s output without trailing whitespace, or nullopt (with a failed
// expectation saying why) if the command failed.
std::optional<std::string> SqlOutput(const std::string& host, const std::string& sql);

// The database host of the lab that is up whose @@global.read_only is 0, or "" if there is
// not exactly one (none writable, split brain, or unreadable).
std::string PrimaryDatabaseHost();

// The lab's database hosts other than `primary`, in topology order.
std::vector<std::string> OtherDatabaseHosts(const std::string& primary);

// A global status counter of a database host (e.g. "Com_select"), or -1 if unreadable.
long long GlobalStatus(const std::string& host, const std::string& name);

// The host running Prometheus in the lab that is up; "" if the topology has none.
std::string MonitoringHost();

// GET /metrics of the app on `app_host`, from the monitoring host (as Prometheus scrapes it).
CommandResult ScrapeApp(const ctl::Host& app_host);

// The sum of every series whose line starts with `prefix` (e.g. `foobar_db_queries_total{target="replica"`),
// in the text of one /metrics.
double SumOfSeries(const std::string& metrics_text, std::string_view prefix);

std::string TrimRight(std::string text);

// How many lines `text` has (a last line without '\n' counts).
int LineCount(const std::string& text);

// Starts HOST SERVICE again when destroyed, unless Start() already did.
class ServiceRestartGuard {
 public:
  ServiceRestartGuard(std::string host, std::string service)
      : host_(std::move(host)), service_(std::move(service)) {}
  ServiceRestartGuard(const ServiceRestartGuard&) = delete;
  ServiceRestartGuard& operator=(const ServiceRestartGuard&) = delete;
  ~ServiceRestartGuard() {
    if (started_) return;
    const CommandResult result = Foobar({"start", host_, service_});
    if (!result.ok())
      ADD_FAILURE() << "could not start " << service_ << " on " << host_
                    << " again: " << Describe(result);
  }

  CommandResult Start() {
    CommandResult result = Foobar({"start", host_, service_});
    started_ = result.ok();
    return result;
  }

 private:
  std::string host_;
  std::string service_;
  bool started_ = false;
};

}  // namespace foobar::lab_test
