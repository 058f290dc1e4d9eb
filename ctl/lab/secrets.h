// The lab's secrets store: one file per secret under STATE/secrets (dir 0700, files 0600),
// generated at `up` from the kernel's CSPRNG. Daemons get a secret as a file path, never
// on a command line or in a log.
#pragma once

#include <filesystem>
#include <string>

namespace foobar::ctl {

// Returns the secret `name`, creating it (and the store) if it does not exist yet.
std::string EnsureSecret(const std::filesystem::path& store, const std::string& name);

// Reads an existing secret; throws LabError if it is missing.
std::string ReadSecret(const std::filesystem::path& store, const std::string& name);

// A random password of `length` characters from [A-Za-z0-9].
std::string GeneratePassword(size_t length);

}  // namespace foobar::ctl
