#include "ctl/lab/binlog_replay.h"

#include <fstream>
#include <regex>
#include <sstream>

#include "ctl/lab/command.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

// The binlog files of a server, oldest first, from its index file.
std::vector<fs::path> BinlogFiles(const fs::path& datadir) {
  std::ifstream index(datadir / "mysql-bin.index");
  if (!index) throw LabError("no binlog index in " + datadir.string());
  std::vector<fs::path> out;
  for (std::string line; std::getline(index, line);)
    if (!line.empty()) out.push_back(datadir / fs::path(line).filename());
  if (out.empty()) throw LabError("no binlogs listed in " + (datadir / "mysql-bin.index").string());
  return out;
}

void AppendLog(const fs::path& log, const std::vector<std::string>& argv, const CommandResult& r, bool with_out) {
  std::ofstream(log, std::ios::app) << "$ " << JoinForDisplay(argv) << "\n"
                                    << (with_out ? r.out : "") << r.err << "(exit " << r.exit_code << ")\n";
}

}  // namespace

std::map<long long, long long> ParseGtidPosition(const std::string& text) {
  std::map<long long, long long> out;
  static const std::regex one(R"(\s*(\d+)-(\d+)-(\d+)\s*)");
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    std::smatch m;
    if (part.find_first_not_of(" \t\n") == std::string::npos) continue;
    if (!std::regex_match(part, m, one)) throw LabError("malformed GTID position '" + text + "'");
    out[std::stoll(m[1])] = std::stoll(m[3]);
  }
  return out;
}

bool GtidPositionCovers(const std::string& position, const std::string& other) {
  const auto have = ParseGtidPosition(position);
  for (const auto& [domain, seq] : ParseGtidPosition(other)) {
    auto it = have.find(domain);
    if (it == have.end() || it->second < seq) return false;
  }
  return true;
}

bool IsUtcDateTime(const std::string& text) {
  static const std::regex form(R"((\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d)");
  return std::regex_match(text, form);
}

ReplayResult ReplayBinlogsUntil(const LabContext& lab, const Host& binlog_host, const Host& target,
                                const std::string& from_gtid, const std::string& until, const fs::path& log) {
  if (!IsUtcDateTime(until)) throw LabError("--until wants 'YYYY-MM-DD HH:MM:SS' (UTC), not '" + until + "'");
  const std::vector<fs::path> files = BinlogFiles(lab.state.Host(binlog_host.name).Data() / "mysql");

  // The binlogs must reach back to the backup: the first file's starting state may not be
  // past the backup's position, or the transactions in between exist nowhere any more.
  {
    auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, binlog_host), 10s);
    if (!conn.ok()) throw LabError("cannot reach MariaDB on " + binlog_host.name + ": " + conn.error().message);
    auto start = (*conn)->Run("SELECT BINLOG_GTID_POS(" + SqlQuote(files.front().filename().string()) + ", 4)");
    if (!start.ok() || start->rows.empty())
      throw LabError("reading where " + binlog_host.name + "'s binlogs start failed: " +
                     (start.ok() ? "no result" : start.error().message));
    const std::string first = start->rows[0][0] == "NULL" ? "" : start->rows[0][0];
    if (!GtidPositionCovers(from_gtid, first))
      throw LabError(binlog_host.name + "'s binlogs start at " + first + ", after the backup's position " + from_gtid +
                     ": the transactions in between are gone; use a newer backup");
  }

  std::vector<std::string> read = {"ip", "netns", "exec", NamespaceName(target.name), "env", "TZ=UTC",
                                   "mariadb-binlog"};
  if (!from_gtid.empty()) read.push_back("--start-position=" + from_gtid);
  read.push_back("--stop-datetime=" + until);
  for (const auto& f : files) read.push_back(f.string());
  const CommandResult events = RunCommand(read);
  AppendLog(log, read, events, false);
  if (!events.ok()) throw LabError("mariadb-binlog failed: " + events.FirstErrorLine() + "; see " + log.string());

  ReplayResult result;
  static const std::regex gtid_event(R"(\sGTID (\d+-\d+-\d+))");
  for (std::sregex_iterator it(events.out.begin(), events.out.end(), gtid_event), end; it != end; ++it) {
    if (result.first_gtid.empty()) result.first_gtid = (*it)[1];
    result.last_gtid = (*it)[1];
    ++result.transactions;
  }
  if (result.transactions == 0) return result;

  // --binary-mode: row events travel as base64 BINLOG statements, other data may hold NULs.
  const std::vector<std::string> apply = {"ip", "netns", "exec", NamespaceName(target.name), "mariadb",
                                          "--socket=" + MariadbAdminSocket(lab, target).string(), "--user=root",
                                          "--binary-mode"};
  const CommandResult applied = RunCommand(apply, events.out);
  AppendLog(log, apply, applied, true);
  if (!applied.ok())
    throw LabError("replaying the binlogs into " + target.name + " failed: " + applied.FirstErrorLine() + "; see " +
                   log.string());
  // The replayed GTIDs came from another server id, so gtid_current_pos would still show the
  // backup's position: make every position say where the server stands now.
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, target), 10s);
  auto r = conn.ok() ? (*conn)->Run("SET GLOBAL gtid_slave_pos = @@global.gtid_binlog_pos")
                     : Result<SqlResult>(conn.error());
  if (!r.ok()) throw LabError("on " + target.name + ": " + r.error().message);
  return result;
}

}  // namespace foobar::ctl
