#include "ctl/chaos/site_addresses.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "ctl/lab/command.h"
#include "ctl/lab/network.h"

namespace foobar::ctl::chaos {

std::vector<std::string> ParseGetentAddresses(const std::string& output) {
  std::vector<std::string> addresses;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string address;
    if (!(words >> address)) continue;
    in_addr parsed{};
    if (inet_pton(AF_INET, address.c_str(), &parsed) != 1) continue;
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) addresses.push_back(address);
  }
  return addresses;
}

std::vector<std::string> ResolveSite(const Topology& topology, const std::string& from_host) {
  auto result = RunCommand({"ip", "netns", "exec", NamespaceName(from_host), "getent", "ahostsv4", topology.site.name});
  auto addresses = result.ok() ? ParseGetentAddresses(result.out) : std::vector<std::string>{};
  if (addresses.empty()) {
    std::fprintf(stderr, "chaos: %s does not resolve from %s; using the topology's addresses\n",
                 topology.site.name.c_str(), from_host.c_str());
    addresses = topology.site.addresses;
  }
  return addresses;
}

}  // namespace foobar::ctl::chaos
