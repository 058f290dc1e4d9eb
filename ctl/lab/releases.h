// Releases of the application: what `foobar release` packs, what `foobar deploy` installs,
// and which one each app server runs.
//
//   STATE/releases/foobar-VERSION.tar.gz (+ .sha256)   an artifact (`foobar release`)
//   STATE/releases/VERSION/                            a release, unpacked and verified:
//       foobar-app, release.toml (version, fault), site/, schema/, manifest.json
//   STATE/releases/fleet, fleet.previous               the version the last complete deploy left,
//                                                      and the one before it (rollback's target)
//   STATE/hosts/HOST/releases/VERSION/                 installed on an app server
//   STATE/hosts/HOST/releases/current, previous        symlinks: what runs, what ran before
//   STATE/hosts/HOST/releases/history                  "UTC-time VERSION" per switch
//
// The app reads release.toml beside its binary (app/release_info.h), so the version it reports
// is the release's. `up` installs the build tree as the first release (EnsureHostRelease).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

struct Release {
  std::string version;
  std::filesystem::path dir;  // STATE/releases/VERSION
};

// What a release is built from, and what its manifest records.
struct ReleaseSource {
  std::filesystem::path app_binary;
  std::filesystem::path source_dir;  // site/ and schema/ come from here
  std::string version;               // empty: ReleaseVersionOf(source_dir)
  std::string fault;                 // "STATUS /path": a deliberately broken release (tests)
};

std::filesystem::path ReleaseStore(const StatePaths& state);

// "YYYYMMDD.HHMMSS-<git describe --always --dirty>": unique per second, names the commit.
std::string ReleaseVersionOf(const std::filesystem::path& source_dir);

// Writes the release's directory (PARENT/VERSION) from `source`; throws LabError if that
// version exists there already.
Release StageRelease(const std::filesystem::path& parent, const ReleaseSource& source);

// Packs a staged release into DIR/foobar-VERSION.tar.gz and its .sha256; returns the path.
std::filesystem::path PackRelease(const Release& release, const std::filesystem::path& out_dir);

// Checks the artifact's .sha256, unpacks it into the store (unless that version is there
// already) and checks every file against manifest.json. Throws LabError saying what is wrong.
Release UnpackRelease(const StatePaths& state, const std::filesystem::path& artifact);

// A release in the store; throws LabError if absent.
Release StoredRelease(const StatePaths& state, const std::string& version);

// The fleet's version: what the last complete deploy (or `up`) installed everywhere.
std::optional<std::string> FleetVersion(const StatePaths& state);
// Also records the version it replaces: what `foobar rollback` returns to (a canary that was
// rolled back never became the fleet's, so it is never a rollback target).
void SetFleetVersion(const StatePaths& state, const std::string& version);
std::optional<std::string> PreviousFleetVersion(const StatePaths& state);

// On one app server.
std::optional<std::string> CurrentVersion(const HostPaths& host);
std::optional<std::string> PreviousVersion(const HostPaths& host);
// The binary the app kind runs: releases/current/foobar-app.
std::filesystem::path CurrentAppBinary(const HostPaths& host);
// Copies the release onto the host (releases/VERSION), if not there yet.
void InstallOnHost(const HostPaths& host, const Release& release);
// previous := current, current := version (a symlink replaced by rename, never missing),
// one history line. The running process is not touched.
void SwitchHost(const HostPaths& host, const std::string& version);
// The version the running process `pid` was started from (its executable's directory).
std::optional<std::string> VersionOfProcess(int pid);

// At `up` (and for a host `scale` adds): a host without a release gets the fleet's, or, on a
// fresh lab, the build tree's staged as the first release.
void EnsureHostRelease(const LabContext& lab, const Host& host);

}  // namespace foobar::ctl
