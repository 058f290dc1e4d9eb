#include "tests/lab/lab_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "ctl/host_paths.h"

namespace foobar::lab_test {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string RandomHex(int digits) {
  static std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < digits; ++i) out += kHex[generator() % 16];
  return out;
}

// Splits curl's `-D -` output (one header block per response, interim 1xx ones first)
// from the body that follows the last block.
void ParseHeadersAndBody(const std::string& text, HttpResponse& response) {
  size_t pos = 0;
  while (text.compare(pos, 5, "HTTP/") == 0) {
    size_t block_end = text.find("\r\n\r\n", pos);
    if (block_end == std::string::npos) break;
    const std::string block = text.substr(pos, block_end - pos);
    pos = block_end + 4;

    size_t line_end = block.find("\r\n");
    const std::string status_line = block.substr(0, line_end);
    const size_t space = status_line.find(' ');
    const int status = space == std::string::npos ? 0 : std::atoi(status_line.c_str() + space + 1);
    if (status >= 100 && status < 200) continue;  // 100 Continue and friends

    response.headers.clear();
    while (line_end != std::string::npos) {
      const size_t start = line_end + 2;
      line_end = block.find("\r\n", start);
      const std::string line =
          block.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      size_t value_start = colon + 1;
      while (value_start < line.size() && line[value_start] == ' ') ++value_start;
      response.headers.emplace_back(Lower(line.substr(0, colon)), line.substr(value_start));
    }
    break;
  }
  response.body = text.substr(pos);
}

}  // namespace

const ctl::Topology& SeedTopology() {
  static const ctl::Topology topology =
      ctl::LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/seed.toml");
  return topology;
}

const ctl::Topology& LabTopology() {
  static const ctl::Topology topology = ctl::LoadTopologyFile(ctl::DefaultStatePaths().Record());
  return topology;
}

CommandResult Foobar(const std::vector<std::string>& args, const std::string& input,
                     int timeout_s) {
  // timeout(1) runs the command in a process group of its own and kills all of it.
  std::vector<std::string> argv = {"timeout", "--kill-after=5", std::to_string(timeout_s),
                                   std::string(FOOBAR_BUILD_DIR) + "/foobar"};
  argv.insert(argv.end(), args.begin(), args.end());
  return ctl::RunCommand(argv, input);
}

CommandResult ExecOn(const std::string& host, const std::vector<std::string>& argv,
                     const std::string& input, int timeout_s) {
  std::vector<std::string> args = {"exec", host, "--"};
  args.insert(args.end(), argv.begin(), argv.end());
  return Foobar(args, input, timeout_s);
}

std::string Describe(const CommandResult& result) {
  auto clip = [](const std::string& text) {
    return text.size() > 600 ? text.substr(0, 600) + "..." : text;
  };
  return "exit " + std::to_string(result.exit_code) + "; stdout: [" + clip(result.out) +
         "]; stderr: [" + clip(result.err) + "]";
}

std::string HttpResponse::Header(std::string_view name) const {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it)
    if (it->first == name) return it->second;
  return "";
}

bool HttpResponse::HasHeader(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& header) { return header.first == name; });
}

std::string HttpResponse::Describe() const {
  std::string text = "HTTP " + std::to_string(status);
  for (const auto& [name, value] : headers) text += "; " + name + ": " + value;
  text += "; body: [" + (body.size() > 400 ? body.substr(0, 400) + "..." : body) + "]";
  if (!error.empty()) text += "; curl: " + error;
  return text;
}

HttpResponse Curl(const std::string& host, const std::vector<std::string>& args,
                  const std::string& stdin_data) {
  // The status comes after a marker no body can contain by chance; `Expect:` is blanked so
  // that a large body is sent at once rather than after an interim response.
  const std::string marker = "\n@@curl-status-" + RandomHex(16) + "@@";
  std::vector<std::string> argv = {"curl",    "-sS", "--max-time", "20", "-H",
                                   "Expect:", "-D",  "-",          "-w", marker + "%{http_code}"};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult result = ExecOn(host, argv, stdin_data, 40);

  HttpResponse response;
  const size_t at = result.out.rfind(marker);
  if (at == std::string::npos) {
    response.error = lab_test::Describe(result);
    return response;
  }
  ParseHeadersAndBody(result.out.substr(0, at), response);
  response.status = std::atoi(result.out.c_str() + at + marker.size());
  if (!result.ok()) response.error = lab_test::Describe(result);
  return response;
}

HttpResponse PostFromClient(const std::string& path, const std::string& body,
                            const std::string& content_type) {
  return Curl("client",
              {"-X", "POST", "-H", "Content-Type: " + content_type, "--data-binary", "@-",
               std::string(kSiteUrl) + path},
              body);
}

std::vector<std::string> ResolveSiteTo(const std::string& address) {
  return {"--resolve", std::string(kSiteName) + ":443:" + address};
}

std::vector<ServedResponse> GetMany(const std::string& host, const std::string& url, int count,
                                    int parallel_max, const std::vector<std::string>& curl_args) {
  std::vector<std::string> argv = {"curl", "-sS", "--max-time",
                                   "10",   "-w",  "%{http_code} %header{x-served-by}\\n"};
  if (parallel_max > 0) {
    argv.insert(argv.end(), {"--parallel", "--parallel-immediate", "--parallel-max",
                             std::to_string(parallel_max)});
  }
  argv.insert(argv.end(), curl_args.begin(), curl_args.end());
  for (int i = 0; i < count; ++i) argv.insert(argv.end(), {"-o", "/dev/null", url});
  const CommandResult result = ExecOn(host, argv, "", 120);

  std::vector<ServedResponse> responses;
  size_t pos = 0;
  while (pos < result.out.size()) {
    size_t end = result.out.find('\n', pos);
    if (end == std::string::npos) end = result.out.size();
    const std::string line = TrimRight(result.out.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    ServedResponse response;
    response.status = std::atoi(line.substr(0, space).c_str());
    if (space != std::string::npos) response.served_by = line.substr(space + 1);
    responses.push_back(response);
  }
  if (responses.size() != static_cast<size_t>(count)) {
    ADD_FAILURE() << "expected " << count << " results from curl on " << host << ", got "
                  << responses.size() << ": " << lab_test::Describe(result);
  }
  return responses;
}

nlohmann::json JsonBody(const HttpResponse& response) {
  return nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
}

std::vector<std::string> HostsRunning(const std::string& service) {
  std::vector<std::string> names;
  for (const ctl::Host* host : SeedTopology().HostsRunning(service)) names.push_back(host->name);
  return names;
}

bool ServedByAppServer(const HttpResponse& response) {
  const auto servers = HostsRunning("app");
  return std::find(servers.begin(), servers.end(), response.Header("x-served-by")) != servers.end();
}

std::string ServiceState(const std::string& host, const std::string& service) {
  const CommandResult result = Foobar({"status", "--json"});
  if (!result.ok()) return "status failed: " + lab_test::Describe(result);
  const auto status = nlohmann::json::parse(result.out, nullptr, false);
  if (!status.is_object() || !status.contains("hosts") || !status["hosts"].is_array())
    return "status --json is not the contract's shape: " + result.out;
  for (const auto& h : status["hosts"]) {
    if (!h.is_object() || h.value("name", "") != host || !h.contains("services")) continue;
    for (const auto& s : h["services"])
      if (s.is_object() && s.value("name", "") == service) return s.value("state", "no state");
  }
  return "no service " + service + " on " + host + " in status --json";
}

int AppLoopbackStatus(const std::string& host, const std::string& path) {
  const CommandResult result =
      ExecOn(host, {"curl", "-sS", "-o", "/dev/null", "--max-time", "5", "-w", "%{http_code}",
                    "http://127.0.0.1:" + std::to_string(kAppPort) + path});
  return std::atoi(result.out.c_str());
}

bool PollUntil(std::chrono::milliseconds bound, const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

bool WaitForEveryAppServer(std::chrono::milliseconds bound) {
  const auto servers = HostsRunning("app");
  const std::set<std::string> all(servers.begin(), servers.end());
  std::set<std::string> seen;
  return PollUntil(bound, [&] {
    for (const auto& r : GetMany("client", std::string(kSiteUrl) + "/api/messages?limit=1", 16, 8))
      if (r.status == 200) seen.insert(r.served_by);
    return seen == all;
  });
}

std::string UniqueText(std::string_view prefix) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::string(prefix) + "-" +
         std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()) + "-" +
         RandomHex(8);
}

long long MessageCount() {
  const auto primaries = SeedTopology().HostsRunning("mariadb");
  if (primaries.empty()) {
    ADD_FAILURE() << "the seed topology has no host running mariadb";
    return -1;
  }
  const CommandResult result =
      Foobar({"sql", primaries.front()->name, "SELECT COUNT(*) FROM foobar.messages"});
  const std::string out = TrimRight(result.out);
  if (!result.ok() || out.empty() ||
      !std::all_of(out.begin(), out.end(), [](unsigned char c) { return std::isdigit(c); })) {
    ADD_FAILURE() << "cannot count messages: " << lab_test::Describe(result);
    return -1;
  }
  return std::stoll(out);
}

std::optional<std::string> SqlOutput(const std::string& host, const std::string& sql) {
  const CommandResult result = Foobar({"sql", host, sql});
  if (!result.ok()) {
    ADD_FAILURE() << "foobar sql " << host << " '" << sql << "': " << lab_test::Describe(result);
    return std::nullopt;
  }
  return TrimRight(result.out);
}

std::string PrimaryDatabaseHost() {
  std::string primary;
  int writable = 0;
  for (const ctl::Host* host : LabTopology().HostsRunning("mariadb")) {
    const CommandResult result = Foobar({"sql", host->name, "SELECT @@global.read_only"});
    if (result.ok() && TrimRight(result.out) == "0") {
      primary = host->name;
      ++writable;
    }
  }
  return writable == 1 ? primary : "";
}

std::vector<std::string> OtherDatabaseHosts(const std::string& primary) {
  std::vector<std::string> names;
  for (const ctl::Host* host : LabTopology().HostsRunning("mariadb"))
    if (host->name != primary) names.push_back(host->name);
  return names;
}

long long GlobalStatus(const std::string& host, const std::string& name) {
  const auto out = SqlOutput(host,
                             "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                             "WHERE VARIABLE_NAME = '" +
                                 name + "'");
  if (!out || out->empty() ||
      !std::all_of(out->begin(), out->end(), [](unsigned char c) { return std::isdigit(c); }))
    return -1;
  return std::stoll(*out);
}

std::string MonitoringHost() {
  const auto hosts = LabTopology().HostsRunning("prometheus");
  return hosts.empty() ? "" : hosts.front()->name;
}

CommandResult ScrapeApp(const ctl::Host& app_host) {
  const std::string url = "http://" + app_host.addresses.at("private") + ":9464/metrics";
  return ExecOn(MonitoringHost(), {"curl", "-sS", "--max-time", "5", url});
}

double SumOfSeries(const std::string& metrics_text, std::string_view prefix) {
  double sum = 0;
  std::istringstream in(metrics_text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

std::string TrimRight(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

int LineCount(const std::string& text) {
  if (text.empty()) return 0;
  int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (text.back() != '\n') ++lines;
  return lines;
}

}  // namespace foobar::lab_test
