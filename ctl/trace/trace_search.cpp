// Reads each traced log line by line: the logs of a lab are small, and a request id is only
// worth parsing as JSON on the few lines that contain it.
#include "ctl/trace/trace_search.h"

#include <algorithm>
#include <fstream>

#include "ctl/lab/log_files.h"

namespace foobar::ctl::trace {
namespace {

int PathRank(const std::string& service) {
  if (service == "haproxy") return 0;
  if (service == "nginx") return 1;
  return 2;
}

}  // namespace

std::vector<TraceHop> FindRequestHops(const LabContext& lab, const std::string& request_id) {
  std::vector<TraceHop> hops;
  for (const Host& host : lab.topology.hosts) {
    for (const LogFile& file : HostLogFiles(lab, host)) {
      // The request lines: HAProxy's output, Nginx's access log (not its error log), the app's.
      if (file.name != "haproxy" && file.name != "nginx-access" && file.name != "app") continue;
      const HopParser parse = HopParserFor(file.service);
      std::ifstream in(file.path);
      std::string line;
      while (std::getline(in, line)) {
        if (line.find(request_id) == std::string::npos) continue;
        if (auto hop = parse(line, request_id)) {
          hop->host = host.name;
          hops.push_back(std::move(*hop));
        }
      }
    }
  }
  SortInPathOrder(hops);
  return hops;
}

void SortInPathOrder(std::vector<TraceHop>& hops) {
  std::stable_sort(hops.begin(), hops.end(), [](const TraceHop& a, const TraceHop& b) {
    return PathRank(a.service) < PathRank(b.service);
  });
}

}  // namespace foobar::ctl::trace
