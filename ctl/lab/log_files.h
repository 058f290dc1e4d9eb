// Where a lab host's logs are and how to read their ends: every service writes under
// STATE/hosts/HOST/log/ (SERVICE.log for its output; Nginx also nginx-access.log and
// nginx-error.log). `foobar logs` and `foobar trace` find logs here instead of by path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

struct LogFile {
  std::string host;
  std::string name;     // the file name without ".log": "haproxy", "nginx-access"
  std::string service;  // the service that writes it: the name up to its first '-'
  std::filesystem::path path;
};

// The service a log file name (without ".log") belongs to: "nginx-access" -> "nginx".
std::string ServiceOfLogName(std::string_view name);

// Every *.log file of `host`, sorted by name; empty if the host has none (yet).
std::vector<LogFile> HostLogFiles(const LabContext& lab, const Host& host);

// The files of `service` on `host`. Throws LabError if `host` neither runs `service` nor has a
// log of that name, listing what it has.
std::vector<LogFile> ServiceLogFiles(const LabContext& lab, const Host& host,
                                     const std::string& service);

// The last `count` lines of `path` (without their '\n'), read from the end: cheap on a long log.
std::vector<std::string> TailLines(const std::filesystem::path& path, std::size_t count);

// Reads what was appended to `path` since `offset` (updated), whole lines only; a partial last
// line stays for the next call. A file shorter than `offset` was truncated or replaced: reading
// starts again at 0.
std::vector<std::string> ReadNewLines(const std::filesystem::path& path, std::uintmax_t& offset);

}  // namespace foobar::ctl
