#include "ctl/lab/services.h"

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "ctl/lab/command.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/netns_socket.h"
#include "ctl/render/service_configs.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

// How long a service may take to answer after it was started.
std::chrono::milliseconds ReadyTimeout(const std::string& service) {
  return service == "mariadb" ? 60s : 20s;
}

void WriteFileAtomically(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content;
    if (!out) throw LabError("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

// Hands `path` to `user`; with `recursive`, everything below it too.
void Chown(const fs::path& path, const char* user, bool recursive) {
  const passwd* pw = ::getpwnam(user);
  if (!pw) throw LabError(std::string("system user '") + user + "' is missing (run `make deps`)");
  if (::chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0)
    throw LabError("cannot chown " + path.string());
  if (!recursive) return;
  for (const auto& entry : fs::recursive_directory_iterator(path))
    if (::lchown(entry.path().c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw LabError("cannot chown " + entry.path().string());
}

std::string LastLines(const fs::path& file, size_t count) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > count) lines.erase(lines.begin());
  }
  std::string out;
  for (const auto& l : lines) out += "\n    " + l;
  return out;
}

void CopySite(const LabContext& lab, const Host& host) {
  fs::path www = lab.state.Host(host.name).Www();
  fs::remove_all(www);
  fs::create_directories(www);
  fs::copy(lab.source_dir / "site", www, fs::copy_options::recursive);
}

void InitializeMariadb(const LabContext& lab, const Host& host, const fs::path& config) {
  HostPaths paths = lab.state.Host(host.name);
  fs::create_directories(paths.Data());
  // mariadbd runs as mysql: it owns its data, and may create its socket, pid file and log in
  // the host's run/ and log/ directories (which other daemons of the host share, so only the
  // directories themselves change hands, not what is in them).
  Chown(paths.Data(), "mysql", true);
  Chown(paths.Run(), "mysql", false);
  Chown(paths.Log(), "mysql", false);
  if (fs::exists(paths.Data() / "mysql" / "mysql")) return;  // system tables exist already
  auto r = RunCommand({"mariadb-install-db", "--defaults-file=" + config.string(), "--user=mysql",
                       "--auth-root-authentication-method=socket", "--skip-test-db"});
  if (!r.ok())
    throw LabError("mariadb-install-db on " + host.name + " failed: " + r.FirstErrorLine());
}

}  // namespace

void CheckHostRuns(const Host& host, const std::string& service) {
  const auto& known = KnownServices();
  if (std::find(known.begin(), known.end(), service) == known.end()) {
    std::string names;
    for (const auto& s : known) names += (names.empty() ? "" : ", ") + s;
    throw LabError("unknown service '" + service + "' (services: " + names + ")");
  }
  if (!host.Runs(service)) throw LabError("host '" + host.name + "' does not run " + service);
}

DaemonSpec DaemonFor(const LabContext& lab, const Host& host, const std::string& service) {
  HostPaths paths = lab.state.Host(host.name);
  const std::string config = ServiceConfigPath(paths, service).string();
  DaemonSpec spec;
  spec.host_namespace = host.name;
  spec.log_file = paths.Log() / (service + ".log");
  // Our own record of the PID, apart from any pid file the daemon writes itself.
  spec.pid_file = paths.Run() / ("foobar-" + service + ".pid");
  if (service == "dns") {
    spec.argv = {"dnsmasq", "--conf-file=" + config};
  } else if (service == "mariadb") {
    spec.argv = {"mariadbd", "--defaults-file=" + config};
  } else if (service == "app") {
    spec.argv = {lab.app_binary.string(), "--config", config};
  } else if (service == "nginx") {
    // -e: nginx opens its error log before reading the config; keep it in the host's tree.
    spec.argv = {"nginx", "-c", config, "-p", (paths.Run() / "nginx").string() + "/", "-e",
                 (paths.Log() / "nginx-error.log").string()};
  } else if (service == "haproxy") {
    // Master-worker mode in the foreground: the master PID is ours to signal, and a reload
    // (SIGUSR2) starts new workers without dropping connections.
    spec.argv = {"haproxy", "-W", "-db", "-f", config, "-p", (paths.Run() / "haproxy.pid").string()};
  } else {
    throw LabError("unknown service '" + service + "'");
  }
  return spec;
}

void PrepareService(const LabContext& lab, const Host& host, const std::string& service) {
  HostPaths paths = lab.state.Host(host.name);
  for (const auto& dir : {paths.Etc(), paths.Data(), paths.Log(), paths.Run()})
    fs::create_directories(dir);
  RenderedConfig config = RenderServiceConfig(lab.ForHost(host), service);
  WriteFileAtomically(config.path, config.content);
  if (service == "mariadb") InitializeMariadb(lab, host, config.path);
  if (service == "nginx") {
    fs::create_directories(paths.Run() / "nginx");
    CopySite(lab, host);
  }
  if (service == "app" && !fs::exists(lab.app_binary))
    throw LabError(lab.app_binary.string() + " does not exist: run `make build` first");
}

bool ServiceRunning(const LabContext& lab, const Host& host, const std::string& service) {
  return RunningDaemonPid(DaemonFor(lab, host, service)).has_value();
}

bool ServiceAnswers(const LabContext& lab, const Host& host, const std::string& service) {
  if (service == "mariadb") {
    auto conn = AdminConnection::Connect(lab.state.Host(host.name).Run() / "mysqld.sock", 0ms);
    return conn.ok();
  }
  if (service == "app") return TcpConnectsIn(host.name, "127.0.0.1", kAppPort, 500ms);
  if (service == "nginx") return TcpConnectsIn(host.name, *host.AddressOn("private"), kHttpPort, 500ms);
  if (service == "haproxy") return TcpConnectsIn(host.name, *host.AddressOn("public"), kHttpPort, 500ms);
  if (service == "dns") return TcpConnectsIn(host.name, *host.AddressOn("public"), kDnsPort, 500ms);
  return false;
}

void StartService(const LabContext& lab, const Host& host, const std::string& service) {
  CheckHostRuns(host, service);
  DaemonSpec spec = DaemonFor(lab, host, service);
  if (RunningDaemonPid(spec)) return;
  PrepareService(lab, host, service);
  pid_t pid = StartDaemon(spec);
  auto deadline = std::chrono::steady_clock::now() + ReadyTimeout(service);
  while (!ServiceAnswers(lab, host, service)) {
    if (!IsAlive(pid))
      throw LabError(service + " on " + host.name + " exited during start-up; last lines of " +
                     spec.log_file.string() + ":" + LastLines(spec.log_file, 5));
    if (std::chrono::steady_clock::now() > deadline)
      throw LabError(service + " on " + host.name + " did not answer within " +
                     std::to_string(ReadyTimeout(service).count() / 1000) + " s; see " +
                     spec.log_file.string() + ":" + LastLines(spec.log_file, 5));
    std::this_thread::sleep_for(50ms);
  }
}

void StopService(const LabContext& lab, const Host& host, const std::string& service) {
  CheckHostRuns(host, service);
  DaemonSpec spec = DaemonFor(lab, host, service);
  auto pid = RunningDaemonPid(spec);
  if (!pid) return;
  // MariaDB flushes InnoDB on SIGTERM and may need a while; the others drain quickly.
  TerminateProcesses({*pid}, service == "mariadb" ? 30s : 10s);
  std::error_code ec;
  fs::remove(spec.pid_file, ec);
}

}  // namespace foobar::ctl
