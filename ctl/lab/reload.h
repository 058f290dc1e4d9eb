// Hitless reloads: a daemon takes a new configuration without dropping a connection or
// failing a request.
//   haproxy       the config is checked (`haproxy -c`), then SIGUSR2 to the master (-W): it
//                 re-executes itself with the same PID (keepalived's track_process still matches:
//                 param_match partial), new workers take the listening sockets over
//                 (expose-fd listeners), old ones finish their connections and exit.
//   nginx         checked (`nginx -t`), then SIGHUP to the master: new workers, old ones finish.
//   prometheus, alertmanager, keepalived: SIGHUP (each re-reads its files in place).
// Server admin states set through the runtime API (drain) do not survive a HAProxy reload.
#pragma once

#include <string>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// Writes the service's freshly rendered config and reloads the running daemon; returns a
// line saying what happened. Throws LabError (the old config keeps running) if the new one is
// rejected, the service is not running or has no hitless reload.
std::string ReloadService(const LabContext& lab, const Host& host, const std::string& service);

}  // namespace foobar::ctl
