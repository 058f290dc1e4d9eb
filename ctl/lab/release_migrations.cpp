#include "ctl/lab/release_migrations.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/replication.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

std::vector<std::string> Apply(const LabContext& lab, const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> files;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".sql") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> applied_now;
  if (files.empty()) return applied_now;

  const Host& primary = CurrentPrimary(lab);
  auto conn = AdminConnection::Connect(MariadbAdminSocket(lab, primary), 5s);
  if (!conn.ok()) throw LabError("cannot reach MariaDB on " + primary.name + ": " + conn.error().message);
  AdminConnection& db = **conn;
  const std::string schema = std::string("`") + kDatabaseName + "`";
  auto done = db.Run("SELECT version FROM " + schema + ".schema_migrations");
  if (!done.ok()) throw LabError("reading applied migrations failed: " + done.error().message);
  for (const auto& file : files) {
    const std::string version = prefix + file.stem().string();
    if (std::any_of(done->rows.begin(), done->rows.end(), [&](const auto& row) { return row[0] == version; })) continue;
    std::ifstream in(file);
    std::stringstream sql;
    sql << in.rdbuf();
    if (auto r = db.Run("USE " + schema + "; " + sql.str()); !r.ok())
      throw LabError("migration " + version + " failed on " + primary.name + ": " + r.error().message);
    if (auto r = db.Run("INSERT INTO " + schema + ".schema_migrations (version) VALUES (" + SqlQuote(version) + ")"); !r.ok())
      throw LabError("recording migration " + version + " failed: " + r.error().message);
    applied_now.push_back(version);
  }
  return applied_now;
}

}  // namespace

const Host& CurrentPrimary(const LabContext& lab) {
  const Host* primary = nullptr;
  int writable = 0;
  for (const Host* host : lab.topology.HostsRunning("mariadb")) {
    const DbServerState s = InspectDatabase(lab, *host);
    if (s.answers && !s.read_only) {
      primary = host;
      ++writable;
    }
  }
  if (writable != 1) throw LabError(std::to_string(writable) + " writable database servers (need exactly one primary)");
  return *primary;
}

std::vector<std::string> ApplyExpandMigrations(const LabContext& lab, const fs::path& schema_dir) {
  return Apply(lab, schema_dir, "");
}

std::vector<std::string> ApplyContractMigrations(const LabContext& lab, const fs::path& schema_dir) {
  return Apply(lab, schema_dir / "contract", "contract/");
}

}  // namespace foobar::ctl
