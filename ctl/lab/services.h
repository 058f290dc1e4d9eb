// The daemons of the stack as the lab runs them: how each is prepared (config rendered,
// directories, first-time data), started, checked for readiness and stopped.
#pragma once

#include <chrono>
#include <string>

#include "ctl/lab/lab_context.h"
#include "ctl/lab/process.h"

namespace foobar::ctl {

DaemonSpec DaemonFor(const LabContext& lab, const Host& host, const std::string& service);

// Renders and writes the service's config and creates what it needs on disk (for MariaDB,
// the system tables on first start). Safe to repeat.
void PrepareService(const LabContext& lab, const Host& host, const std::string& service);

// Prepares, starts and waits until ready; throws LabError with the log's last lines if the
// service dies or does not become ready in time. A running service is left as it is.
void StartService(const LabContext& lab, const Host& host, const std::string& service);

// Stops the service (SIGTERM, then SIGKILL after a grace period). Not running is fine.
void StopService(const LabContext& lab, const Host& host, const std::string& service);

bool ServiceRunning(const LabContext& lab, const Host& host, const std::string& service);

// Whether the service answers on its port/socket right now (a quick probe).
bool ServiceAnswers(const LabContext& lab, const Host& host, const std::string& service);

// Throws LabError unless `service` is one `host` runs.
void CheckHostRuns(const Host& host, const std::string& service);

}  // namespace foobar::ctl
