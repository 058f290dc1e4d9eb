// foobar-sentinel: watches the MariaDB servers from this host, and with its peers (through
// etcd) fails the primary over when a majority agrees it is gone. See README.md.
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>

#include "sentinel/config.h"
#include "sentinel/sentinel.h"

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"foobar-sentinel: automated MariaDB failover for foobar, coordinated through etcd"};
  std::string config_path;
  cli.add_option("--config", config_path, "the rendered sentinel.toml")->required();
  CLI11_PARSE(cli, argc, argv);

  auto config = foobar::sentinel::LoadConfig(config_path);
  if (!config.ok()) {
    std::fprintf(stderr, "foobar-sentinel: %s\n", config.error().message.c_str());
    return 2;
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  foobar::sentinel::Sentinel sentinel(std::move(*config));
  return sentinel.Run(g_stop);
}
