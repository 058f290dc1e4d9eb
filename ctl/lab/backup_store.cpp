#include "ctl/lab/backup_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
namespace {

// sha256sum over the given files below `backup`: relative name -> hash.
std::map<std::string, std::string> HashFiles(const fs::path& backup, const std::vector<std::string>& files) {
  std::map<std::string, std::string> out;
  if (files.empty()) return out;
  std::vector<std::string> argv = {"sha256sum", "--"};
  for (const auto& f : files) argv.push_back((backup / f).string());
  const CommandResult r = RunCommand(argv);
  if (!r.ok()) throw LabError("sha256sum failed: " + r.FirstErrorLine());
  const std::string prefix = (backup / "").string();
  for (auto& [name, hash] : ParseChecksumLines(r.out))
    out[name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name] = hash;
  return out;
}

}  // namespace

fs::path BackupsDir(const StatePaths& state) { return state.root / "backups"; }

std::string BackupName(std::chrono::system_clock::time_point at, const std::string& host) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z-{}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, host);
}

std::string UtcText(long long ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

fs::path ResolveBackup(const StatePaths& state, const std::string& name_or_path) {
  if (name_or_path.empty()) throw LabError("no backup given");
  for (const fs::path& candidate : {fs::path(name_or_path), BackupsDir(state) / name_or_path})
    if (fs::is_directory(candidate)) return fs::canonical(candidate);
  throw LabError("no backup '" + name_or_path + "' (neither a directory nor a name under " +
                 BackupsDir(state).string() + ")");
}

void WriteManifest(const fs::path& backup, const BackupManifest& manifest) {
  std::ofstream out(backup / kManifestFile);
  out << nlohmann::json(manifest).dump(2) << "\n";
  if (!out) throw LabError("cannot write " + (backup / kManifestFile).string());
}

BackupManifest ReadManifest(const fs::path& backup) {
  std::ifstream in(backup / kManifestFile);
  if (!in) throw LabError(backup.string() + " has no " + kManifestFile + ": not a foobar backup");
  std::stringstream text;
  text << in.rdbuf();
  auto json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  try {
    if (!json.is_discarded() && json.is_object()) return json.get<BackupManifest>();
  } catch (const nlohmann::json::exception&) {
  }
  throw LabError((backup / kManifestFile).string() + " is malformed");
}

std::vector<std::string> BackupFiles(const fs::path& backup) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(backup)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = fs::relative(entry.path(), backup).string();
    if (name != kChecksumsFile) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void WriteChecksums(const fs::path& backup) {
  std::ofstream out(backup / kChecksumsFile);
  for (const auto& [name, hash] : HashFiles(backup, BackupFiles(backup))) out << hash << "  " << name << "\n";
  if (!out) throw LabError("cannot write " + (backup / kChecksumsFile).string());
}

void VerifyChecksums(const fs::path& backup) {
  std::ifstream in(backup / kChecksumsFile);
  if (!in) throw LabError(backup.string() + " has no " + kChecksumsFile + ": it cannot be verified");
  std::stringstream text;
  text << in.rdbuf();
  std::map<std::string, std::string> listed;
  for (auto& [name, hash] : ParseChecksumLines(text.str())) listed[name] = hash;
  const std::vector<std::string> present = BackupFiles(backup);
  std::vector<std::string> problems;
  for (const auto& name : present)
    if (!listed.count(name)) problems.push_back(name + " is not listed");
  for (const auto& [name, hash] : listed)
    if (!std::binary_search(present.begin(), present.end(), name)) problems.push_back(name + " is missing");
  for (const auto& [name, hash] : HashFiles(backup, present))
    if (listed.count(name) && listed[name] != hash) problems.push_back(name + " has changed");
  if (problems.empty()) return;
  std::string list;
  for (size_t i = 0; i < problems.size() && i < 3; ++i) list += (i ? ", " : "") + problems[i];
  if (problems.size() > 3) list += fmt::format(" and {} more", problems.size() - 3);
  throw LabError("backup " + backup.string() + " does not match its " + kChecksumsFile + " (" + list +
                 "): refusing to restore it; nothing was changed");
}

std::vector<std::pair<std::string, std::string>> ParseChecksumLines(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    // "<64 hex>  <name>"; sha256sum escapes names with '\' or newlines by a leading '\'.
    const bool hex = line.size() > 66 && std::all_of(line.begin(), line.begin() + 64, [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    if (!hex || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
      throw LabError("malformed checksum line: " + line.substr(0, 100));
    out.emplace_back(line.substr(66), line.substr(0, 64));
  }
  return out;
}

}  // namespace foobar::ctl
