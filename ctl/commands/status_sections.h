// Parts of `foobar status` that belong to one subsystem each: they add a key to the JSON
// document and print their lines in the human-readable form.
#pragma once

#include <nlohmann/json.hpp>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// "vips": [{"address": .., "master": .., "holders": [host, ...]}] — who holds each VIP now.
void AddVipStatus(const LabContext& lab, nlohmann::json& status);
void PrintVipStatus(const nlohmann::json& status);

// "databases": [{"host": .., "role": "primary"|"replica"|"down"|..., "read_only": .., "lag_s": ..}]
void AddDatabaseStatus(const LabContext& lab, nlohmann::json& status);
void PrintDatabaseStatus(const nlohmann::json& status);

// "releases": {"fleet": .., "servers": [{"host", "running", "current", "previous"}]} (app versions).
void AddReleaseStatus(const LabContext& lab, nlohmann::json& status);
void PrintReleaseStatus(const nlohmann::json& status);

// "firewalls": [{"host", "loaded", "accept_rules", "dropped_packets"}] — each host's nftables table.
void AddFirewallStatus(const LabContext& lab, nlohmann::json& status);
void PrintFirewallStatus(const nlohmann::json& status);

}  // namespace foobar::ctl
