// A subcommand that lives wholly in its own file: `Add...Command(cli)` declares its options
// on the CLI and returns how to run it once parsing has filled them. main() only lists the
// Add functions, so a new command touches one line there.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace foobar::ctl {

struct Subcommand {
  CLI::App* app = nullptr;    // the (possibly nested) subcommand that selects this command
  std::function<int()> run;   // the exit code; throws LabError/TopologyError like the others
};

}  // namespace foobar::ctl
