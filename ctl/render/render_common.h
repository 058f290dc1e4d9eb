// What every config renderer shares: the "do not edit" header, the host's addresses a
// service needs, and paths checked to be safe to write unquoted into a config file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "ctl/render/render_context.h"

namespace foobar::ctl {

// "# Rendered by foobar from topology NAME — do not edit.\n# WHAT on HOST.\n" (every format we
// render uses '#' comments).
std::string RenderedHeader(const RenderContext& ctx, std::string_view what);

// The rendered host's address on `network`; throws std::invalid_argument naming the host and
// the service when it has none (a validated topology never gets there).
const std::string& RequireAddress(const Host& host, const std::string& network,
                                  std::string_view service);

// A double-quoted string with backslashes, quotes and control characters escaped (\uXXXX):
// valid as a TOML basic string and as a YAML double-quoted scalar.
std::string QuotedString(const std::string& text);

// The path as text, for configs that take paths unquoted (nginx, haproxy, dnsmasq, my.cnf).
// Throws std::invalid_argument if it contains whitespace, quotes or a config metacharacter.
std::string ConfigPath(const std::filesystem::path& path);

}  // namespace foobar::ctl
