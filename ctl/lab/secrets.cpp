#include "ctl/lab/secrets.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "ctl/lab/lab_error.h"

namespace foobar::ctl {
namespace fs = std::filesystem;

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
  fs::create_directories(store);
  ::chmod(store.c_str(), 0700);
  fs::path file = store / name;
  if (fs::exists(file)) return ReadSecret(store, name);
  std::string secret = GeneratePassword(32);
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw LabError("cannot create secret " + file.string());
  std::string content = secret + "\n";
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ::close(fd);
  if (!ok) throw LabError("cannot write secret " + file.string());
  return secret;
}

std::string ReadSecret(const fs::path& store, const std::string& name) {
  std::ifstream in(store / name);
  std::string secret;
  if (!std::getline(in, secret) || secret.empty())
    throw LabError("secret '" + name + "' is missing from " + store.string());
  return secret;
}

}  // namespace foobar::ctl
