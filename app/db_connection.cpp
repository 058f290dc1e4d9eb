// Connector/C connection handling. Options follow the runtime contract: 1 s connect,
// 3 s read/write timeouts, utf8mb4, session time zone UTC (DATETIME defaults are
// evaluated in the session zone, and the API reports UTC).
#include "app/db_connection.h"

#include <errmsg.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <string_view>

#include <fmt/format.h>

namespace foobar::app {
namespace {

constexpr std::size_t kMaxCredentialsFileBytes = 4096;

struct FileCredentials {
  std::string user;
  std::string password;
  unsigned long inode = 0;
  long mtime_ns = 0;
};

long MtimeNs(const struct stat& st) {
  return static_cast<long>(st.st_mtim.tv_sec) * 1'000'000'000L + st.st_mtim.tv_nsec;
}

// Reads "USER\nPASSWORD\n" and the identity of the file read (a rename makes a new inode).
// Errors name the file, never its content.
Result<FileCredentials> ReadCredentials(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{CR_UNKNOWN_ERROR, fmt::format("credentials file {}: {}", path, std::strerror(errno))};
  struct stat st {};
  char buffer[kMaxCredentialsFileBytes];
  ssize_t length = -1;
  if (::fstat(fd, &st) == 0) length = ::read(fd, buffer, sizeof buffer);
  ::close(fd);
  if (length < 0) return Error{CR_UNKNOWN_ERROR, fmt::format("credentials file {}: cannot read", path)};
  const std::string_view text(buffer, static_cast<std::size_t>(length));
  const auto first_end = text.find('\n');
  FileCredentials out;
  out.inode = static_cast<unsigned long>(st.st_ino);
  out.mtime_ns = MtimeNs(st);
  if (first_end != std::string_view::npos) {
    std::string_view rest = text.substr(first_end + 1);
    out.user = std::string(text.substr(0, first_end));
    out.password = std::string(rest.substr(0, rest.find('\n')));
  }
  for (std::string* line : {&out.user, &out.password}) {
    if (!line->empty() && line->back() == '\r') line->pop_back();
  }
  if (out.user.empty() || out.password.empty()) {
    return Error{CR_UNKNOWN_ERROR,
                 fmt::format("credentials file {}: want the user on line 1, the password on line 2", path)};
  }
  return out;
}

}  // namespace

void InitDbLibrary() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

Result<ResolvedCredentials> ResolveCredentials(const DbCredentials& credentials) {
  if (credentials.credentials_file.empty())
    return ResolvedCredentials{credentials.user, credentials.password, {}};
  auto from_file = ReadCredentials(credentials.credentials_file);
  if (!from_file.ok()) return from_file.error();
  return ResolvedCredentials{std::move(from_file->user), std::move(from_file->password),
                             CredentialsFileVersion{from_file->inode, from_file->mtime_ns}};
}

MYSQL* NewDbHandle(const DbCredentials& credentials, const DbTimeouts& timeouts, bool nonblocking) {
  InitDbLibrary();
  MYSQL* mysql = mysql_init(nullptr);
  if (mysql == nullptr) return nullptr;
  if (nonblocking) mysql_options(mysql, MYSQL_OPT_NONBLOCK, nullptr);
  mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeouts.connect_seconds);
  mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &timeouts.read_seconds);
  mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &timeouts.write_seconds);
  mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // last_gtid rides on each write's OK packet at no extra round trip (read-your-writes).
  mysql_options(mysql, MYSQL_INIT_COMMAND,
                "SET time_zone='+00:00', session_track_system_variables='last_gtid'");
  my_bool reconnect = 0;
  mysql_options(mysql, MYSQL_OPT_RECONNECT, &reconnect);
  if (!credentials.ssl_ca.empty()) {
    // End-to-end TLS: encrypted, and only to a server the CA vouches for at this address.
    const my_bool verify = 1;
    mysql_options(mysql, MYSQL_OPT_SSL_CA, credentials.ssl_ca.c_str());
    mysql_options(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  return mysql;
}

bool HandleLooksAlive(MYSQL* mysql, const std::string& credentials_file,
                      const CredentialsFileVersion& version) {
  if (mysql == nullptr) return false;
  pollfd pfd{};
  pfd.fd = static_cast<int>(mysql_get_socket(mysql));
  pfd.events = POLLIN;
  if (poll(&pfd, 1, 0) != 0) return false;
  if (credentials_file.empty()) return true;
  // A file that cannot be read now leaves a working connection alone.
  struct stat st {};
  if (::stat(credentials_file.c_str(), &st) != 0) return true;
  return CredentialsFileVersion{static_cast<unsigned long>(st.st_ino), MtimeNs(st)} == version;
}

Error HandleError(MYSQL* mysql, MYSQL_STMT* stmt, const DbEndpoint& endpoint) {
  if (stmt != nullptr) {
    return Error{static_cast<int>(mysql_stmt_errno(stmt)),
                 fmt::format("{}: {}", endpoint.ToString(), mysql_stmt_error(stmt))};
  }
  if (mysql == nullptr) return Error{CR_SERVER_GONE_ERROR, "not connected"};
  return Error{static_cast<int>(mysql_errno(mysql)),
               fmt::format("{}: {}", endpoint.ToString(), mysql_error(mysql))};
}

Status DbConnection::Connect(const DbEndpoint& endpoint, const DbCredentials& credentials,
                             const DbTimeouts& timeouts) {
  Close();
  auto account = ResolveCredentials(credentials);
  if (!account.ok()) return account.error();
  MYSQL* mysql = NewDbHandle(credentials, timeouts, /*nonblocking=*/false);
  if (mysql == nullptr) return Error{CR_OUT_OF_MEMORY, "mysql_init failed"};
  if (mysql_real_connect(mysql, endpoint.host.c_str(), account->user.c_str(), account->password.c_str(),
                         credentials.database.c_str(), endpoint.port, nullptr, 0) == nullptr) {
    Error error{static_cast<int>(mysql_errno(mysql)),
                fmt::format("connect to {}: {}", endpoint.ToString(), mysql_error(mysql))};
    mysql_close(mysql);
    return error;
  }
  mysql_ = mysql;
  endpoint_ = endpoint;
  credentials_file_ = credentials.credentials_file;
  credentials_version_ = account->version;
  return OkStatus();
}

void DbConnection::Close() {
  for (MYSQL_STMT* stmt : statements_) {
    if (stmt != nullptr) mysql_stmt_close(stmt);
  }
  statements_.clear();
  if (mysql_ != nullptr) mysql_close(mysql_);
  mysql_ = nullptr;
}

bool DbConnection::LooksAlive() const {
  return HandleLooksAlive(mysql_, credentials_file_, credentials_version_);
}

Result<MYSQL_STMT*> DbConnection::Statement(std::size_t id, const char* sql) {
  if (mysql_ == nullptr) return Error{CR_SERVER_GONE_ERROR, "not connected"};
  if (statements_.size() <= id) statements_.resize(id + 1, nullptr);
  if (statements_[id] != nullptr) return statements_[id];
  MYSQL_STMT* stmt = mysql_stmt_init(mysql_);
  if (stmt == nullptr) return LastError();
  if (mysql_stmt_prepare(stmt, sql, static_cast<unsigned long>(std::strlen(sql))) != 0) {
    Error error = LastError(stmt);
    mysql_stmt_close(stmt);
    return error;
  }
  statements_[id] = stmt;
  return stmt;
}

std::string DbConnection::TrackedLastGtid() const {
  if (mysql_ == nullptr) return "";
  // The list alternates variable name and value.
  const char* data = nullptr;
  size_t length = 0;
  if (mysql_session_track_get_first(mysql_, SESSION_TRACK_SYSTEM_VARIABLES, &data, &length) != 0) {
    return "";
  }
  bool is_name = true;
  bool want_value = false;
  do {
    const std::string_view item(data, length);
    if (!is_name && want_value) return std::string(item);
    if (is_name) want_value = item == "last_gtid";
    is_name = !is_name;
  } while (mysql_session_track_get_next(mysql_, SESSION_TRACK_SYSTEM_VARIABLES, &data, &length) ==
           0);
  return "";
}

Error DbConnection::LastError(MYSQL_STMT* stmt) const {
  return HandleError(mysql_, stmt, endpoint_);
}

}  // namespace foobar::app
