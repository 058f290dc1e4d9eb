// Shared by the monitoring renderers' tests: the production topology (which is monitored) and
// running Prometheus's own checkers on what they render.
#pragma once

#include <string>

#include "ctl/render/render_test_support.h"

namespace foobar::ctl::testing {

inline Topology LoadProduction() {
  return LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
}

// The production topology with `from` replaced by `to` (which must occur exactly once).
inline Topology EditedProduction(const std::string& from, const std::string& to) {
  std::ifstream in(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return ParseTopology(text, "edited production");
}

}  // namespace foobar::ctl::testing
