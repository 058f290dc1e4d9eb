#include "ctl/bench/sysbench_run.h"

#include <chrono>
#include <random>
#include <regex>
#include <thread>

#include "ctl/lab/command.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl::bench {
namespace {

using namespace std::chrono_literals;

constexpr const char* kUser = "foobar_bench";
constexpr const char* kSchema = "sbtest";

std::unique_ptr<AdminConnection> Admin(const LabContext& lab, const Host& host) {
  auto connection = AdminConnection::Connect(MariadbAdminSocket(lab, host), 2000ms);
  if (!connection.ok()) throw LabError("cannot reach MariaDB on " + host.name + ": " + connection.error().message);
  return std::move(*connection);
}

std::string RandomPassword() {
  std::random_device random;
  std::string password;
  for (int i = 0; i < 24; ++i) password += "abcdefghijklmnopqrstuvwxyz0123456789"[random() % 36];
  return password;
}

struct Servers {
  const Host* primary = nullptr;
  const Host* read_from = nullptr;  // a replica when there is one: where the app's reads go
};

Servers FindServers(const LabContext& lab) {
  Servers servers;
  for (const Host* host : lab.topology.HostsRunning("mariadb")) {
    auto admin = Admin(lab, *host);
    auto answer = admin->Run("SELECT @@global.read_only");
    if (!answer.ok() || answer->rows.empty()) continue;
    if (answer->rows[0][0] == "0") {
      servers.primary = host;
    } else if (!servers.read_from) {
      servers.read_from = host;
    }
  }
  if (!servers.primary) throw LabError("no writable MariaDB primary to create the sysbench schema on");
  if (!servers.read_from) servers.read_from = servers.primary;
  return servers;
}

// Drops the schema and user on the primary when the run ends, however it ends.
class SchemaGuard {
 public:
  SchemaGuard(const LabContext& lab, const Host& primary) : lab_(lab), primary_(primary) {}
  ~SchemaGuard() {
    try {
      auto admin = Admin(lab_, primary_);
      // Best effort in a destructor: a failure here leaves only a throwaway schema and user.
      (void)admin->Run(std::string("DROP DATABASE IF EXISTS ") + kSchema);
      (void)admin->Run(std::string("DROP USER IF EXISTS '") + kUser + "'@'%'");
    } catch (...) {
    }
  }

 private:
  const LabContext& lab_;
  const Host& primary_;
};

std::vector<std::string> SysbenchArgv(const std::string& ns, const std::string& address, const std::string& password,
                                      const SysbenchPlan& plan, int threads, const std::string& action) {
  return {"ip", "netns", "exec", ns, "sysbench", "oltp_point_select", "--db-driver=mysql",
          "--mysql-host=" + address, "--mysql-port=" + std::to_string(kMariadbPort),
          std::string("--mysql-user=") + kUser, "--mysql-password=" + password,
          std::string("--mysql-db=") + kSchema, "--tables=1", "--table-size=" + std::to_string(plan.table_size),
          "--threads=" + std::to_string(threads), "--time=" + std::to_string(std::max(1L, std::lround(plan.duration_s))),
          "--report-interval=0", "--rand-type=uniform", action};
}

}  // namespace

std::optional<SysbenchResult> ParseSysbenchOutput(const std::string& output) {
  SysbenchResult result;
  std::smatch m;
  static const std::regex queries(R"(queries:\s+\d+\s+\(([0-9.]+) per sec\.\))");
  if (!std::regex_search(output, m, queries)) return std::nullopt;
  result.queries_per_s = std::stod(m[1]);
  static const std::regex p95(R"(95th percentile:\s+([0-9.]+))");
  if (std::regex_search(output, m, p95)) result.p95_ms = std::stod(m[1]);
  return result;
}

SysbenchResult RunPointSelect(const LabContext& lab, const SysbenchPlan& plan) {
  const Servers servers = FindServers(lab);
  const std::string password = RandomPassword();
  SchemaGuard guard(lab, *servers.primary);
  {
    auto admin = Admin(lab, *servers.primary);
    for (const std::string& sql :
         {std::string("DROP DATABASE IF EXISTS ") + kSchema, std::string("CREATE DATABASE ") + kSchema,
          std::string("CREATE OR REPLACE USER '") + kUser + "'@'%' IDENTIFIED BY " + SqlQuote(password),
          std::string("GRANT ALL ON ") + kSchema + ".* TO '" + kUser + "'@'%'"}) {
      auto done = admin->Run(sql);
      if (!done.ok()) throw LabError("sysbench setup on " + servers.primary->name + ": " + done.error().message);
    }
  }
  const std::string ns = NamespaceName(plan.from_host);
  const std::string primary_address = *servers.primary->AddressOn("private");
  const CommandResult prepare = RunCommand(SysbenchArgv(ns, primary_address, password, plan, 1, "prepare"));
  if (!prepare.ok()) throw LabError("sysbench prepare failed: " + prepare.FirstErrorLine());

  // The replica must have every row before it is measured.
  auto replica = Admin(lab, *servers.read_from);
  const auto until = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    auto count = replica->Run(std::string("SELECT COUNT(*) FROM ") + kSchema + ".sbtest1");
    if (count.ok() && !count->rows.empty() && count->rows[0][0] == std::to_string(plan.table_size)) break;
    if (std::chrono::steady_clock::now() > until)
      throw LabError("the sysbench table did not reach " + servers.read_from->name + " within 30 s");
    std::this_thread::sleep_for(100ms);
  }

  const std::string address = *servers.read_from->AddressOn("private");
  const CommandResult run = RunCommand(SysbenchArgv(ns, address, password, plan, plan.threads, "run"));
  auto parsed = ParseSysbenchOutput(run.out);
  if (!run.ok() || !parsed) throw LabError("sysbench run failed: " + run.FirstErrorLine());
  parsed->server = servers.read_from->name;
  return *parsed;
}

}  // namespace foobar::ctl::bench
