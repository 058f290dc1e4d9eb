// ModSecurity v3 (libmodsecurity3) with the OWASP Core Rule Set 3.3, as the app servers' Nginx
// loads it for the locations that reach the app: the engine settings, our CRS settings and
// exclusions, and every CRS rule file listed one by one (libmodsecurity3 has no IncludeOptional).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// Where Debian's packages put the module and the rules (libnginx-mod-http-modsecurity,
// modsecurity-crs).
inline constexpr const char* kModsecurityModule = "/usr/lib/nginx/modules/ngx_http_modsecurity_module.so";
inline constexpr const char* kCrsSetupFile = "/etc/modsecurity/crs/crs-setup.conf";
inline constexpr const char* kCrsRulesDir = "/usr/share/modsecurity-crs/rules";
inline constexpr const char* kUnicodeMappingFile = "/etc/nginx/unicode.mapping";

// The largest request body the WAF reads (and Nginx accepts on /api/): Nginx's
// client_max_body_size; the app's own limit (16 KiB) is below it and answers with its JSON 413.
inline constexpr int kWafRequestBodyLimit = 64 * 1024;

// Etc()/nginx/modsecurity.conf, beside nginx.conf.
std::filesystem::path ModsecurityConfigPath(const HostPaths& paths);

// The CRS files Include'd, in load order (absolute paths): setup, exclusions before, the
// REQUEST rules, the RESPONSE rules, exclusions after.
std::vector<std::string> CrsRuleFiles();

// modsecurity.conf for ctx.host (the audit log goes to its log directory).
std::string RenderModsecurityConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
