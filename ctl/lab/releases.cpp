#include "ctl/lab/releases.h"

#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
namespace {

constexpr const char* kManifest = "manifest.json";

std::string UtcNow(const char* format) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, format, &tm);
  return buffer;
}

void CheckVersionName(const std::string& version) {
  static const std::regex kName("^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$");
  if (!std::regex_match(version, kName))
    throw LabError("release version '" + version + "' must be 1-100 characters of A-Z a-z 0-9 . _ + -");
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content;
  if (!out) throw LabError("cannot write " + path.string());
}

// The heavy helpers (hashing, packing) run at the lowest CPU and I/O priority: a deploy runs
// while the site serves, on the same cores, and must not slow its requests down.
std::vector<std::string> Gently(std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"nice", "-n", "19", "ionice", "-c", "3"});
  return argv;
}

// sha256 of every regular file under `dir` but the manifest, by path relative to `dir`.
std::map<std::string, std::string> HashTree(const fs::path& dir) {
  std::vector<std::string> argv = {"sha256sum", "--"};
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), dir).string();
    if (rel == kManifest) continue;
    names.push_back(rel);
    argv.push_back(e.path().string());
  }
  std::map<std::string, std::string> hashes;
  if (names.empty()) return hashes;
  CommandResult r = RunCommand(Gently(argv));
  if (!r.ok()) throw LabError("sha256sum failed: " + r.FirstErrorLine());
  std::istringstream lines(r.out);
  std::string line;
  for (size_t i = 0; i < names.size() && std::getline(lines, line); ++i) hashes[names[i]] = line.substr(0, 64);
  return hashes;
}

std::string Sha256Of(const fs::path& file) {
  CommandResult r = RunCommand(Gently({"sha256sum", "--", file.string()}));
  if (!r.ok() || r.out.size() < 64) throw LabError("sha256sum " + file.string() + " failed: " + r.FirstErrorLine());
  return r.out.substr(0, 64);
}

fs::path HostReleases(const HostPaths& host) { return host.root / "releases"; }

std::optional<std::string> LinkTarget(const fs::path& link) {
  std::error_code ec;
  fs::path target = fs::read_symlink(link, ec);
  if (ec) return std::nullopt;
  return target.filename().string();
}

void PointLink(const fs::path& link, const std::string& target) {
  fs::path tmp = link;
  tmp += ".new";
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::create_symlink(target, tmp);
  fs::rename(tmp, link);  // rename(2) replaces the old link atomically
}

}  // namespace

fs::path ReleaseStore(const StatePaths& state) { return state.root / "releases"; }

std::string ReleaseVersionOf(const fs::path& source_dir) {
  CommandResult r = RunCommand({"git", "-C", source_dir.string(), "describe", "--tags", "--always", "--dirty"});
  std::string described = r.ok() ? r.out.substr(0, r.out.find('\n')) : "nogit";
  return UtcNow("%Y%m%d.%H%M%S-") + described;
}

Release StageRelease(const fs::path& parent, const ReleaseSource& source) {
  Release release;
  release.version = source.version.empty() ? ReleaseVersionOf(source.source_dir) : source.version;
  CheckVersionName(release.version);
  release.dir = parent / release.version;
  if (fs::exists(release.dir)) throw LabError("release " + release.version + " exists already in " + parent.string());
  if (!fs::exists(source.app_binary))
    throw LabError(source.app_binary.string() + " does not exist: build it first");
  const fs::path tmp = parent / (".staging-" + release.version);
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  fs::copy_file(source.app_binary, tmp / "foobar-app");
  fs::copy(source.source_dir / "site", tmp / "site", fs::copy_options::recursive);
  fs::copy(source.source_dir / "schema", tmp / "schema", fs::copy_options::recursive);
  std::string info = "# Written by `foobar release`; foobar-app reads it at start (app/release_info.h).\n";
  info += "version = \"" + release.version + "\"\n";
  if (!source.fault.empty()) info += "fault = \"" + source.fault + "\"\n";
  WriteFile(tmp / "release.toml", info);

  CommandResult commit = RunCommand({"git", "-C", source.source_dir.string(), "rev-parse", "HEAD"});
  CommandResult dirty = RunCommand({"git", "-C", source.source_dir.string(), "status", "--porcelain"});
  nlohmann::ordered_json manifest = {
      {"version", release.version},
      {"commit", commit.ok() ? commit.out.substr(0, commit.out.find('\n')) : ""},
      {"dirty", dirty.ok() && !dirty.out.empty()},
      {"built_at", UtcNow("%Y-%m-%dT%H:%M:%SZ")},
      {"fault", source.fault.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(source.fault)},
      {"files", HashTree(tmp)}};
  WriteFile(tmp / kManifest, manifest.dump(2) + "\n");
  fs::rename(tmp, release.dir);
  return release;
}

fs::path PackRelease(const Release& release, const fs::path& out_dir) {
  fs::create_directories(out_dir);
  const fs::path artifact = out_dir / ("foobar-" + release.version + ".tar.gz");
  CommandResult r = RunCommand(Gently({"tar", "-czf", artifact.string(), "-C", release.dir.parent_path().string(),
                                "--owner=0", "--group=0", release.version}));
  if (!r.ok()) throw LabError("tar failed: " + r.FirstErrorLine());
  WriteFile(artifact.string() + ".sha256", Sha256Of(artifact) + "  " + artifact.filename().string() + "\n");
  return artifact;
}

Release UnpackRelease(const StatePaths& state, const fs::path& artifact) {
  if (!fs::exists(artifact)) throw LabError("no artifact " + artifact.string());
  const fs::path sum_file = artifact.string() + ".sha256";
  if (!fs::exists(sum_file)) throw LabError("no checksum beside the artifact: " + sum_file.string());
  const std::string expected = ReadFile(sum_file).substr(0, 64);
  const std::string actual = Sha256Of(artifact);
  if (expected != actual)
    throw LabError("checksum mismatch for " + artifact.string() + ": " + actual + ", expected " + expected);

  const fs::path tmp = ReleaseStore(state) / ".unpacking";
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  CommandResult r = RunCommand(Gently({"tar", "-xzf", artifact.string(), "-C", tmp.string(), "--no-same-owner"}));
  if (!r.ok()) throw LabError("cannot unpack " + artifact.string() + ": " + r.FirstErrorLine());
  std::vector<fs::path> tops;
  for (const auto& e : fs::directory_iterator(tmp)) tops.push_back(e.path());
  if (tops.size() != 1 || !fs::is_directory(tops[0])) throw LabError(artifact.string() + " is not a foobar release");
  const fs::path unpacked = tops[0];
  const auto manifest = nlohmann::json::parse(ReadFile(unpacked / kManifest), nullptr, false);
  if (manifest.is_discarded() || !manifest.contains("version") || !manifest.contains("files"))
    throw LabError(artifact.string() + ": manifest.json is missing or malformed");
  Release release{manifest["version"].get<std::string>(), ReleaseStore(state) / manifest["version"].get<std::string>()};
  CheckVersionName(release.version);
  if (unpacked.filename() != release.version) throw LabError(artifact.string() + ": manifest names another version");
  const auto hashes = HashTree(unpacked);
  std::map<std::string, std::string> listed = manifest["files"].get<std::map<std::string, std::string>>();
  if (hashes != listed) {
    for (const auto& [name, hash] : listed) {
      auto it = hashes.find(name);
      if (it == hashes.end()) throw LabError(artifact.string() + ": " + name + " is missing");
      if (it->second != hash) throw LabError(artifact.string() + ": " + name + " does not match its checksum");
    }
    throw LabError(artifact.string() + ": holds files its manifest does not list");
  }
  if (fs::exists(release.dir)) {
    fs::remove_all(tmp);  // the store has it already: it must be the same release
    if (HashTree(release.dir) != listed)
      throw LabError("release " + release.version + " in " + release.dir.string() + " differs from " + artifact.string());
  } else {
    fs::rename(unpacked, release.dir);
    fs::remove_all(tmp);
  }
  return release;
}

Release StoredRelease(const StatePaths& state, const std::string& version) {
  CheckVersionName(version);
  Release release{version, ReleaseStore(state) / version};
  if (!fs::exists(release.dir / "foobar-app")) throw LabError("release " + version + " is not in " + ReleaseStore(state).string());
  return release;
}

std::optional<std::string> FleetVersion(const StatePaths& state) {
  const fs::path file = ReleaseStore(state) / "fleet";
  if (!fs::exists(file)) return std::nullopt;
  std::string version = ReadFile(file);
  version = version.substr(0, version.find('\n'));
  if (version.empty()) return std::nullopt;
  return version;
}

std::optional<std::string> PreviousFleetVersion(const StatePaths& state) {
  const fs::path file = ReleaseStore(state) / "fleet.previous";
  if (!fs::exists(file)) return std::nullopt;
  std::string version = ReadFile(file);
  version = version.substr(0, version.find('\n'));
  if (version.empty()) return std::nullopt;
  return version;
}

void SetFleetVersion(const StatePaths& state, const std::string& version) {
  fs::create_directories(ReleaseStore(state));
  const fs::path file = ReleaseStore(state) / "fleet";
  if (auto old = FleetVersion(state); old && *old != version) {
    WriteFile(file.string() + ".previous.new", *old + "\n");
    fs::rename(file.string() + ".previous.new", file.string() + ".previous");
  }
  WriteFile(file.string() + ".new", version + "\n");
  fs::rename(file.string() + ".new", file);
}

std::optional<std::string> CurrentVersion(const HostPaths& host) { return LinkTarget(HostReleases(host) / "current"); }
std::optional<std::string> PreviousVersion(const HostPaths& host) { return LinkTarget(HostReleases(host) / "previous"); }
fs::path CurrentAppBinary(const HostPaths& host) { return HostReleases(host) / "current" / "foobar-app"; }

void InstallOnHost(const HostPaths& host, const Release& release) {
  const fs::path target = HostReleases(host) / release.version;
  if (fs::exists(target / "foobar-app")) return;
  const fs::path tmp = HostReleases(host) / (".installing-" + release.version);
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  // Hard links to the store's files (read-only from here on): installing costs no I/O while
  // the host serves. A copy where the store is on another file system.
  const auto link_or_copy = fs::copy_options::recursive | fs::copy_options::create_hard_links;
  std::error_code ec;
  for (const char* name : {"foobar-app", "release.toml", "manifest.json", "site"}) {
    fs::copy(release.dir / name, tmp / name, link_or_copy, ec);
    if (ec) {
      fs::remove_all(tmp / name);
      fs::copy(release.dir / name, tmp / name, fs::copy_options::recursive);
    }
  }
  fs::remove_all(target);
  fs::rename(tmp, target);
}

void SwitchHost(const HostPaths& host, const std::string& version) {
  const fs::path dir = HostReleases(host);
  if (!fs::exists(dir / version / "foobar-app")) throw LabError("release " + version + " is not installed in " + dir.string());
  auto current = CurrentVersion(host);
  if (current == version) return;
  if (current) PointLink(dir / "previous", *current);
  PointLink(dir / "current", version);
  std::ofstream(dir / "history", std::ios::app) << UtcNow("%Y-%m-%dT%H:%M:%SZ ") << version << "\n";
}

std::optional<std::string> VersionOfProcess(int pid) {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
  if (ec) return std::nullopt;
  // ".../releases/VERSION/foobar-app"; the build tree's binary has no release.
  if (exe.parent_path().parent_path().filename() != "releases") return std::nullopt;
  return exe.parent_path().filename().string();
}

void EnsureHostRelease(const LabContext& lab, const Host& host) {
  const HostPaths paths = lab.state.Host(host.name);
  if (CurrentVersion(paths) && fs::exists(CurrentAppBinary(paths))) return;
  Release release;
  if (auto fleet = FleetVersion(lab.state)) {
    release = StoredRelease(lab.state, *fleet);
  } else {
    fs::create_directories(ReleaseStore(lab.state));
    release = StageRelease(ReleaseStore(lab.state), ReleaseSource{lab.app_binary, lab.source_dir, "", ""});
    SetFleetVersion(lab.state, release.version);
  }
  InstallOnHost(paths, release);
  SwitchHost(paths, release.version);
}

}  // namespace foobar::ctl
