// foobar: the control CLI. Parses the command line (CLI11) and hands over to one command.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "ctl/commands/commands.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/lab_error.h"
#include "ctl/topology.h"

namespace {

// Errors are one line on stderr, whatever the message carries (log excerpts, say).
int PrintError(std::string message) {
  for (auto& c : message)
    if (c == '\n') c = ' ';
  std::fprintf(stderr, "foobar: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace foobar::ctl;
  CLI::App cli{"foobar: builds and runs the www.foobar.com stack on a lab of real servers"};
  cli.require_subcommand(1);

  std::string topology = kDefaultTopology;
  auto* up = cli.add_subcommand("up", "Build the lab and start every service (default topology: production)");
  up->add_option("--topology", topology, "a topology name under topologies/ or a file path");
  cli.add_subcommand("down", "Remove everything `up` made (no-op when nothing is up)");

  bool json = false;
  auto* status = cli.add_subcommand("status", "Hosts, addresses and service states");
  status->add_flag("--json", json, "machine-readable output");

  std::string host, service, statement;
  std::vector<std::string> command;
  auto* exec = cli.add_subcommand("exec", "Run a command on a lab host: exec HOST -- CMD...");
  exec->add_option("host", host, "lab host")->required();
  exec->add_option("command", command, "the command and its arguments, after --");

  std::vector<CLI::App*> service_commands;
  for (const char* action : {"stop", "start", "restart"}) {
    auto* sub = cli.add_subcommand(action, std::string(action) + " a service on a host: " + action + " HOST SERVICE");
    sub->add_option("host", host, "lab host")->required();
    sub->add_option("service", service, "haproxy, nginx, app, mariadb or dns")->required();
    service_commands.push_back(sub);
  }
  auto* config = cli.add_subcommand("config", "Print the rendered config: config HOST SERVICE");
  config->add_option("host", host, "lab host")->required();
  config->add_option("service", service, "haproxy, nginx, app, mariadb or dns")->required();

  auto* sql = cli.add_subcommand("sql", "Run SQL as the admin on a host's MariaDB: sql HOST 'STATEMENT'");
  sql->add_option("host", host, "lab host running mariadb")->required();
  sql->add_option("statement", statement, "one SQL statement")->required();

  int port = 8080;
  std::string from = "client";
  auto* forward = cli.add_subcommand("forward", "Open the lab's site to this machine's browser at http://127.0.0.1:PORT/");
  forward->add_option("--port", port, "local port on 127.0.0.1")->check(CLI::Range(1, 65535));
  forward->add_option("--from", from, "lab host the connections start from");
  std::string forward_to;
  forward->add_option("--to", forward_to, "ADDRESS:PORT as seen from --from instead of the site, "
                                          "e.g. the dashboard: --from mon-01 --to 127.0.0.1:9090");

  bool alerts_json = false;
  auto* alerts = cli.add_subcommand("alerts", "The alerts firing now (Alertmanager on the monitoring host)");
  alerts->add_flag("--json", alerts_json, "machine-readable output");

  std::string diagram_out, diagram_topology;
  auto* diagram = cli.add_subcommand("diagram", "The site's diagram as SVG, coloured by health when a lab is up");
  diagram->add_option("--out", diagram_out, "write the SVG to FILE instead of stdout");
  diagram->add_option("--topology", diagram_topology, "draw this topology instead of the lab that is up");

  // `exec HOST -- CMD...` is taken apart by hand: CLI11 would reorder or reject the
  // command's own flags, which must reach it untouched.
  if (argc >= 2 && std::string(argv[1]) == "exec" && !(argc >= 3 && (std::string(argv[2]) == "-h" || std::string(argv[2]) == "--help"))) {
    if (argc < 3) return PrintError("usage: foobar exec HOST -- CMD...");
    int first = (argc > 3 && std::string(argv[3]) == "--") ? 4 : 3;
    try {
      return ExecCommand(argv[2], std::vector<std::string>(argv + first, argv + argc));
    } catch (const std::exception& e) {
      return PrintError(e.what());
    }
  }

  auto* db = cli.add_subcommand("db", "Database operations: switchover, rejoin HOST");
  db->require_subcommand(1);
  auto* switchover = db->add_subcommand("switchover", "Planned move of the primary to the best replica");
  auto* rejoin = db->add_subcommand("rejoin", "Rebuild HOST as a replica of the current primary");
  rejoin->add_option("host", host, "database host")->required();

  ChaosOptions chaos_options;
  auto* chaos = cli.add_subcommand("chaos", "Inject a fault under load and measure: chaos FAULT TARGET");
  chaos->add_option("fault", chaos_options.fault, "kill | stop | pause | partition")->required();
  chaos->add_option("target", chaos_options.target, "HOST, or HOST/SERVICE for stop and pause")->required();
  chaos->add_option("--duration", chaos_options.duration_s, "seconds of load in all")->check(CLI::Range(5.0, 600.0));
  chaos->add_option("--rate", chaos_options.rate, "requests per second (open loop)")->check(CLI::Range(1.0, 5000.0));
  chaos->add_option("--timeout", chaos_options.timeout_s, "seconds a request may take before it counts as failed")
      ->check(CLI::Range(0.1, 60.0));
  chaos->add_flag("--json", chaos_options.json, "one JSON object on stdout");
  chaos->add_option("--out", chaos_options.out_dir, "directory for the timeline CSV and plot");

  // Commands defined wholly in their own files (ctl/commands/subcommand.h): one line each.
  const std::vector<Subcommand> subcommands = {
      AddTraceCommand(cli),
      AddLogsCommand(cli),
      AddSecretsCommand(cli),
      AddLoadCommand(cli),
      AddBenchCommand(cli),
      AddSshCommand(cli),
      AddBackupCommand(cli),
      AddRestoreCommand(cli),
      AddReleaseCommand(cli),
      AddDeployCommand(cli),
      AddRollbackCommand(cli),
      AddScaleCommand(cli),
      AddReloadCommand(cli),
  };

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return cli.exit(e);
    std::fprintf(stderr, "foobar: %s (see `foobar --help`)\n", e.what());
    return 2;
  }

  try {
    if (up->parsed()) return UpCommand(topology);
    if (cli.got_subcommand("down")) return DownCommand();
    if (status->parsed()) return StatusCommand(json);
    if (exec->parsed()) return ExecCommand(host, command);
    for (auto* sub : service_commands)
      if (sub->parsed()) return ServiceCommand(sub->get_name(), host, service);
    if (config->parsed()) return ConfigCommand(host, service);
    if (sql->parsed()) return SqlCommand(host, statement);
    if (forward->parsed()) return ForwardCommand(port, from, forward_to);
    if (alerts->parsed()) return AlertsCommand(alerts_json);
    if (diagram->parsed()) return DiagramCommand(diagram_out, diagram_topology);
    if (switchover->parsed()) return DbSwitchoverCommand();
    if (rejoin->parsed()) return DbRejoinCommand(host);
    if (chaos->parsed()) return ChaosCommand(chaos_options);
    for (const auto& sub : subcommands)
      if (sub.app->parsed()) return sub.run();
  } catch (const LabError& e) {
    return PrintError(e.what());
  } catch (const TopologyError& e) {
    return PrintError(e.what());
  } catch (const std::exception& e) {
    return PrintError(std::string("unexpected error: ") + e.what());
  }
  return 2;
}
