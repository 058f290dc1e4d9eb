#include "ctl/lab/monitoring_api.h"

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/render/monitoring.h"

namespace foobar::ctl {
namespace {

// GET on the monitoring host's loopback; extra curl arguments go before the URL.
nlohmann::json GetJson(const LabContext& lab, const std::vector<std::string>& curl_args, const std::string& url) {
  const Host& monitor = PrometheusHost(lab.topology);
  if (!NamespaceExists(monitor.name)) throw LabError("host '" + monitor.name + "' is not running");
  std::vector<std::string> argv = {"ip", "netns", "exec", NamespaceName(monitor.name), "curl", "-sS", "--fail-with-body",
                                   "--max-time", "5"};
  argv.insert(argv.end(), curl_args.begin(), curl_args.end());
  argv.push_back(url);
  const CommandResult r = RunCommand(argv);
  auto body = nlohmann::json::parse(r.out, nullptr, false);
  if (!r.ok()) {
    const std::string why = body.is_object() && body.contains("error") ? body["error"].dump() : r.FirstErrorLine();
    throw LabError(url + " on " + monitor.name + ": " + why);
  }
  if (body.is_discarded()) throw LabError(url + " on " + monitor.name + " did not answer JSON");
  return body;
}

}  // namespace

nlohmann::json PrometheusQuery(const LabContext& lab, const std::string& promql) {
  auto body = GetJson(lab, {"-G", "--data-urlencode", "query=" + promql},
                      "http://127.0.0.1:" + std::to_string(kPrometheusPort) + "/api/v1/query");
  if (body.value("status", "") != "success" || !body.contains("data"))
    throw LabError("Prometheus rejected '" + promql + "': " + body.dump());
  return body["data"].value("result", nlohmann::json::array());
}

nlohmann::json ActiveAlerts(const LabContext& lab) {
  auto body = GetJson(lab, {}, "http://127.0.0.1:" + std::to_string(kAlertmanagerPort) +
                                   "/api/v2/alerts?active=true&silenced=false&inhibited=false");
  if (!body.is_array()) throw LabError("Alertmanager answered something other than a list of alerts");
  return body;
}

}  // namespace foobar::ctl
