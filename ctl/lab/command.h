// Running other programs: `ip`, the daemons' own tools, curl in a lab host.
// No shell is involved anywhere: argv goes straight to execvp, so nothing is re-parsed.
#pragma once

#include <string>
#include <vector>

namespace foobar::ctl {

struct CommandResult {
  int exit_code = -1;  // 128+signal if killed by a signal; 127 if it could not be started
  std::string out;
  std::string err;

  bool ok() const { return exit_code == 0; }
  // The first line of stderr (or stdout), for one-line error messages.
  std::string FirstErrorLine() const;
};

// Runs argv to completion, capturing stdout and stderr; `input` is fed to stdin.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input = "");

// Runs argv with `lines` on stdin as an `ip -batch -` script; throws LabError on failure.
void RunIpBatch(const std::vector<std::string>& ip_prefix_args, const std::vector<std::string>& lines);

// Quotes argv for display in messages (never for a shell to run).
std::string JoinForDisplay(const std::vector<std::string>& argv);

}  // namespace foobar::ctl
