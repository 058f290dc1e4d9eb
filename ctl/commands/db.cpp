// `foobar db switchover`: the sentinel leader moves the primary to the best in-sync replica
// (no acknowledged write lost; writes are refused for a moment, and the app retries them).
// `foobar db rejoin HOST`: HOST is rebuilt from a copy of the primary and replicates again;
// the sentinels then count it as a replica (full strength once it has caught up).
#include <cstdio>
#include <thread>

#include "ctl/commands/commands.h"
#include "ctl/commands/progress.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/rejoin.h"
#include "ctl/lab/replication.h"
#include "ctl/lab/sentinel_request.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {
using namespace std::chrono_literals;
namespace {

void RequireReplicatedTopology(const LabContext& lab) {
  if (lab.topology.HostsRunning("mariadb").size() < 2 || lab.topology.HostsRunning("sentinel").empty())
    throw LabError("topology '" + lab.topology.name + "' has a single database server and no sentinels");
}

}  // namespace

int DbSwitchoverCommand() {
  const LabContext lab = RequireRecordedLab();
  RequireReplicatedTopology(lab);
  const auto before = ReadClusterRecord(lab);
  std::printf("Primary is %s (epoch %lld); asking the sentinel leader to switch over ...\n", before.primary.c_str(),
              before.epoch);
  std::fflush(stdout);
  const auto started = std::chrono::steady_clock::now();
  const auto reply = AskSentinelLeader(lab, "switchover", "", 30s);
  if (!reply.ok) throw LabError("switchover refused: " + reply.message);
  std::printf("%s (%.1f s in all)\n", reply.message.c_str(), Progress::Seconds(started));
  return 0;
}

int DbRejoinCommand(const std::string& host_name) {
  const LabContext lab = RequireRecordedLab();
  RequireReplicatedTopology(lab);
  const Host& host = lab.HostNamed(host_name);
  CheckHostRuns(host, "mariadb");
  const auto record = ReadClusterRecord(lab);
  const Host& primary = lab.HostNamed(record.primary);
  if (&primary == &host) throw LabError(host.name + " is the primary; rejoin rebuilds a replica of it");
  const DbServerState p = InspectDatabase(lab, primary);
  if (!p.answers || p.read_only)
    throw LabError("the primary " + primary.name + " is not writable right now (" +
                   (p.answers ? "read-only" : p.error) + "); wait for the sentinels, see `foobar status`");

  std::printf("Rebuilding %s as a replica of %s (epoch %lld)\n", host.name.c_str(), primary.name.c_str(), record.epoch);
  Progress progress(7);
  const auto started = std::chrono::steady_clock::now();
  std::string position;
  try {
    progress.Step("Stopping mariadb on " + host.name, [&] { StopService(lab, host, "mariadb"); });
    progress.Step("Copying " + primary.name + "'s data with mariadb-backup", [&] { CopyPrimary(lab, primary, host); });
    progress.Step("Preparing the copy", [&] { PrepareCopy(lab, host); });
    progress.Step("Installing the copy on " + host.name, [&] { position = InstallCopy(lab, host); });
    progress.Step("Starting mariadb on " + host.name + " (read-only) and replicating from " + position, [&] {
      StartService(lab, host, "mariadb");
      StartReplicatingAt(lab, host, primary, position);
    });
    progress.Step("Catching up with " + primary.name, [&] {
      WaitForReplica(lab, host, InspectDatabase(lab, primary).gtid_binlog_pos, 120);
    });
  } catch (const std::exception& e) {
    // Never leave a half-built server running: stopped, it starts read-only and unreplicated.
    try {
      StopService(lab, host, "mariadb");
    } catch (const std::exception&) {
    }
    throw LabError(std::string(e.what()) + " -- " + host.name + " is left stopped; fix the cause and run `foobar db rejoin " +
                   host.name + "` again");
  }
  progress.Step("Handing " + host.name + " back to the sentinels", [&] { HandBackToSentinels(lab, host); });
  std::printf("%s is a replica of %s again, in sync, semi-sync on: full strength (%.1f s)\n", host.name.c_str(),
              primary.name.c_str(), Progress::Seconds(started));
  return 0;
}

}  // namespace foobar::ctl
