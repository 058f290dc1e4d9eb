#include "ctl/lab/lab_state.h"

#include "ctl/lab/lab_error.h"

namespace foobar::ctl {
namespace fs = std::filesystem;

fs::path TopologyFileFor(const std::string& name_or_path) {
  if (name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".toml")) return name_or_path;
  fs::path file = SourceDir() / "topologies" / (name_or_path + ".toml");
  if (!fs::exists(file)) {
    std::string names;
    for (const auto& e : fs::directory_iterator(SourceDir() / "topologies"))
      if (e.path().extension() == ".toml") names += (names.empty() ? "" : ", ") + e.path().stem().string();
    throw LabError("no topology '" + name_or_path + "' (known: " + names + ")");
  }
  return file;
}

LabContext NewLab(const fs::path& topology_file) {
  return LabContext{LoadTopologyFile(topology_file), DefaultStatePaths(), AppBinary(), SourceDir()};
}

std::optional<LabContext> RecordedLab() {
  StatePaths state = DefaultStatePaths();
  fs::path record = state.Record();
  if (!fs::exists(record)) return std::nullopt;
  return NewLab(record);
}

LabContext RequireRecordedLab() {
  auto lab = RecordedLab();
  if (!lab) throw LabError("no lab is up (run `foobar up` first)");
  return std::move(*lab);
}

void RecordLab(const LabContext& lab, const fs::path& topology_file) {
  fs::create_directories(lab.state.root);
  fs::copy_file(topology_file, lab.state.Record(), fs::copy_options::overwrite_existing);
}

void ForgetLab(const StatePaths& state) {
  std::error_code ec;
  fs::remove_all(state.root, ec);
  if (ec) throw LabError("cannot remove " + state.root.string() + ": " + ec.message());
}

}  // namespace foobar::ctl
