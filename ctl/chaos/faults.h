// Injecting and healing one fault on the lab (what `foobar chaos` breaks):
//   kill HOST        power loss: the host's switch ports go down first (a dead machine sends
//                    no FIN or RST), then every process in its namespace gets SIGKILL.
//                    Heal = boot: addresses only keepalived had added (VIPs) are gone as
//                    after a reboot, links come up, every service of the host starts again.
//   stop HOST/SVC    a clean stop (SIGTERM, then SIGKILL after the grace); heal = start.
//   pause HOST/SVC   SIGSTOP to the daemon's process group (daemons run in a session of
//                    their own, so the group is the daemon and its workers): alive, holding
//                    its sockets, answering nothing. Heal = SIGCONT.
//   partition HOST   the host's switch ports go down; its processes keep running.
//                    Heal = ports up.
// A database host that was killed (or whose MariaDB was stopped) comes back read-only and,
// if another server took over meanwhile, needs `foobar db rejoin HOST`: healing does not
// do that, NeedsRejoin() tells.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "ctl/chaos/fault_spec.h"
#include "ctl/lab/lab_context.h"

namespace foobar::ctl::chaos {

class Fault {
 public:
  // Checks that the target is there to break (its namespace exists; for stop and pause, the
  // daemon runs); throws LabError otherwise, having changed nothing.
  Fault(const LabContext& lab, FaultSpec spec);
  // Heals if still injected (the guard for a run that broke half-way); never throws.
  ~Fault();
  Fault(const Fault&) = delete;
  Fault& operator=(const Fault&) = delete;

  void Inject();  // throws LabError (what was done so far is undone by Heal)
  void Heal();    // throws LabError; a no-op unless injected
  bool injected() const { return injected_; }

  const FaultSpec& spec() const { return spec_; }

 private:
  void SetLinks(bool up) const;
  void KillEverything() const;
  void RemoveVipAddresses() const;
  void SignalGroup(int signal) const;

  const LabContext& lab_;
  FaultSpec spec_;
  const Host& host_;
  std::optional<pid_t> paused_group_;
  bool injected_ = false;
};

// Whether `host`'s MariaDB is up but neither the primary nor replicating: what a database
// server that was away looks like until `foobar db rejoin HOST`. False for hosts without
// MariaDB.
bool NeedsRejoin(const LabContext& lab, const Host& host);

}  // namespace foobar::ctl::chaos
