// The lab's secrets store: one file per secret under STATE/secrets (dir 0700, files 0600,
// root's), generated at `up` from the kernel's CSPRNG. Daemons get a secret as a file path,
// never on a command line or in a log. A secret is replaced by writing a new file beside it
// and renaming it over the old one, so a reader sees the old value or the new, never half.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace foobar::ctl {

// Returns the secret `name`, creating it (and the store) if it does not exist yet.
std::string EnsureSecret(const std::filesystem::path& store, const std::string& name);

// Reads an existing secret (its first line); throws LabError if it is missing.
std::string ReadSecret(const std::filesystem::path& store, const std::string& name);

// Replaces (or creates) the secret file `name` with `content` atomically: a 0600 temporary
// file in the store, fsync'd, then renamed over the old one. `content` is written as is.
void WriteSecretFile(const std::filesystem::path& store, const std::string& name, const std::string& content);

// A random password of `length` characters from [A-Za-z0-9].
std::string GeneratePassword(size_t length);

// What `foobar secrets list` shows of one file in the store: never its content.
struct SecretFileInfo {
  std::string name;  // relative to the store, e.g. "db-repl.password", "tls/site.pem"
  std::filesystem::path path;
  std::chrono::seconds age{0};  // since it was last written
  unsigned mode = 0;            // permission bits
  unsigned owner_uid = 0;
};

// Every regular file under the store (recursively), sorted by name; empty if no store.
std::vector<SecretFileInfo> ListSecretFiles(const std::filesystem::path& store);

}  // namespace foobar::ctl
