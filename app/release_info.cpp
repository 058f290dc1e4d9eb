#include "app/release_info.h"

#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "app/version.h"

namespace foobar::app {

Result<ReleaseInfo> ParseReleaseInfo(std::string_view toml_text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    return Error{0, source + ": " + std::string(e.description())};
  }
  ReleaseInfo info;
  info.version = root["version"].value_or(std::string(kVersion));
  if (info.version.empty() || info.version.size() > 128) return Error{0, source + ": version must be 1-128 characters"};
  if (auto fault = root["fault"].value<std::string>()) {
    // "STATUS /path"
    const auto space = fault->find(' ');
    InjectedFault f;
    try {
      f.status = std::stoi(fault->substr(0, space));
    } catch (const std::exception&) {
      f.status = 0;
    }
    if (space != std::string::npos) f.path = fault->substr(space + 1);
    if (f.status < 400 || f.status > 599 || !f.path.starts_with("/"))
      return Error{0, source + ": fault must be \"STATUS /path\" with a 4xx or 5xx status, not '" + *fault + "'"};
    info.fault = f;
  }
  return info;
}

Result<ReleaseInfo> LoadReleaseInfo(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return ReleaseInfo{std::string(kVersion), std::nullopt};
  std::stringstream text;
  text << in.rdbuf();
  return ParseReleaseInfo(text.str(), file.string());
}

std::filesystem::path ReleaseInfoPath() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "release.toml";
  return exe.parent_path() / "release.toml";
}

}  // namespace foobar::app
