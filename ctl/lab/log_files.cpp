#include "ctl/lab/log_files.h"

#include <algorithm>
#include <fstream>

#include "ctl/lab/lab_error.h"

namespace foobar::ctl {

std::string ServiceOfLogName(std::string_view name) {
  return std::string(name.substr(0, name.find('-')));
}

std::vector<LogFile> HostLogFiles(const LabContext& lab, const Host& host) {
  std::vector<LogFile> files;
  const std::filesystem::path dir = lab.state.Host(host.name).Log();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec) || entry.path().extension() != ".log") continue;
    const std::string name = entry.path().stem().string();
    files.push_back(LogFile{host.name, name, ServiceOfLogName(name), entry.path()});
  }
  std::sort(files.begin(), files.end(),
            [](const LogFile& a, const LogFile& b) { return a.name < b.name; });
  return files;
}

std::vector<LogFile> ServiceLogFiles(const LabContext& lab, const Host& host,
                                     const std::string& service) {
  const std::vector<LogFile> all = HostLogFiles(lab, host);
  std::vector<LogFile> matching;
  for (const auto& file : all) {
    if (file.service == service || file.name == service) matching.push_back(file);
  }
  if (!matching.empty()) return matching;
  std::string have;
  for (const auto& file : all) have += (have.empty() ? "" : ", ") + file.name;
  if (host.Runs(service)) {
    throw LabError(host.name + " runs " + service + " but has no log of it yet (logs: " +
                   (have.empty() ? "none" : have) + ")");
  }
  throw LabError("unknown service '" + service + "' on " + host.name +
                 " (its logs: " + (have.empty() ? "none" : have) + ")");
}

std::vector<std::string> TailLines(const std::filesystem::path& path, std::size_t count) {
  std::ifstream in(path, std::ios::binary);
  if (!in || count == 0) return {};
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  // Read backwards in blocks until the text holds count + 1 line ends (or the whole file).
  constexpr std::streamoff kBlock = 64 * 1024;
  std::string text;
  std::streamoff start = size;
  while (start > 0) {
    const std::streamoff length = std::min(kBlock, start);
    start -= length;
    std::string block(static_cast<std::size_t>(length), '\0');
    in.seekg(start);
    in.read(block.data(), length);
    text.insert(0, block);
    // A final '\n' ends the last line and does not start a new one.
    const auto ends = std::count(text.begin(), text.end(), '\n');
    const std::size_t needed = count + (text.empty() || text.back() != '\n' ? 0 : 1);
    if (static_cast<std::size_t>(ends) >= needed) break;
  }
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  // The first line may be cut by the block boundary; it is dropped unless the file began there.
  if (start > 0 && !lines.empty()) lines.erase(lines.begin());
  if (lines.size() > count) lines.erase(lines.begin(), lines.end() - static_cast<long>(count));
  return lines;
}

std::vector<std::string> ReadNewLines(const std::filesystem::path& path, std::uintmax_t& offset) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return {};
  if (size < offset) offset = 0;
  if (size == offset) return {};
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::string text(static_cast<std::size_t>(size - offset), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  const auto last_end = text.rfind('\n');
  if (last_end == std::string::npos) return {};
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at <= last_end) {
    const std::size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  offset += last_end + 1;
  return lines;
}

}  // namespace foobar::ctl
