#include "ctl/lab/secrets.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "ctl/lab/lab_error.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
namespace {

void CreateStore(const fs::path& store) {
  fs::create_directories(store);
  ::chmod(store.c_str(), 0700);
}

// Writes all of `content` to a new file `file` (0600); false on any failure.
bool WriteNewFile(const fs::path& file, const std::string& content) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ok = ::fsync(fd) == 0 && ok;
  return ::close(fd) == 0 && ok;
}

}  // namespace

std::string GeneratePassword(size_t length) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  while (out.size() < length) {
    unsigned char bytes[64];
    if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
      throw LabError("getrandom failed");
    for (unsigned char b : bytes)
      if (b < 248 && out.size() < length) out += kAlphabet[b % 62];  // 248 = 4*62: no modulo bias
  }
  return out;
}

std::string EnsureSecret(const fs::path& store, const std::string& name) {
  CreateStore(store);
  fs::path file = store / name;
  if (fs::exists(file)) return ReadSecret(store, name);
  std::string secret = GeneratePassword(32);
  if (!WriteNewFile(file, secret + "\n")) throw LabError("cannot create secret " + file.string());
  return secret;
}

std::string ReadSecret(const fs::path& store, const std::string& name) {
  std::ifstream in(store / name);
  std::string secret;
  if (!std::getline(in, secret) || secret.empty())
    throw LabError("secret '" + name + "' is missing from " + store.string());
  return secret;
}

void WriteSecretFile(const fs::path& store, const std::string& name, const std::string& content) {
  CreateStore(store);
  const fs::path file = store / name;
  const fs::path temporary = store / ("." + file.filename().string() + ".new");
  std::error_code ec;
  fs::remove(temporary, ec);  // left by an interrupted write
  if (!WriteNewFile(temporary, content)) {
    fs::remove(temporary, ec);
    throw LabError("cannot write secret " + temporary.string());
  }
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    fs::remove(temporary, ec);
    throw LabError("cannot replace secret " + file.string());
  }
}

std::vector<SecretFileInfo> ListSecretFiles(const fs::path& store) {
  std::vector<SecretFileInfo> out;
  std::error_code ec;
  if (!fs::is_directory(store, ec)) return out;
  const auto now = std::chrono::system_clock::now();
  for (const auto& entry : fs::recursive_directory_iterator(store, ec)) {
    struct stat st {};
    if (::lstat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    SecretFileInfo info;
    info.name = entry.path().lexically_relative(store).string();
    info.path = entry.path();
    const auto written = std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec);
    info.age = std::max(std::chrono::seconds(0), std::chrono::duration_cast<std::chrono::seconds>(now - written));
    info.mode = st.st_mode & 07777;
    info.owner_uid = st.st_uid;
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace foobar::ctl
