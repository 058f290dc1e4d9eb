// Our settings follow Debian's modsecurity.conf-recommended, changed where the lab decides
// otherwise (each change commented). The CRS runs in its default anomaly-scoring mode:
// every rule adds to a score and REQUEST-949 blocks at the default threshold (5, one critical
// match), which Nginx answers with 403 and a JSON body.
#include "ctl/render/modsecurity_config.h"

#include <fmt/format.h>

#include "ctl/render/render_common.h"

namespace foobar::ctl {
namespace {

// CRS 3.3 rule files, in the order owasp-crs.load loads them. The 903.900x files (exclusions
// for Drupal, WordPress...) are left out: they act only for those applications.
constexpr const char* kCrsRules[] = {
    "REQUEST-901-INITIALIZATION.conf",
    "REQUEST-905-COMMON-EXCEPTIONS.conf",
    "REQUEST-910-IP-REPUTATION.conf",
    "REQUEST-911-METHOD-ENFORCEMENT.conf",
    "REQUEST-912-DOS-PROTECTION.conf",
    "REQUEST-913-SCANNER-DETECTION.conf",
    "REQUEST-920-PROTOCOL-ENFORCEMENT.conf",
    "REQUEST-921-PROTOCOL-ATTACK.conf",
    "REQUEST-922-MULTIPART-ATTACK.conf",
    "REQUEST-930-APPLICATION-ATTACK-LFI.conf",
    "REQUEST-931-APPLICATION-ATTACK-RFI.conf",
    "REQUEST-932-APPLICATION-ATTACK-RCE.conf",
    "REQUEST-933-APPLICATION-ATTACK-PHP.conf",
    "REQUEST-934-APPLICATION-ATTACK-NODEJS.conf",
    "REQUEST-941-APPLICATION-ATTACK-XSS.conf",
    "REQUEST-942-APPLICATION-ATTACK-SQLI.conf",
    "REQUEST-943-APPLICATION-ATTACK-SESSION-FIXATION.conf",
    "REQUEST-944-APPLICATION-ATTACK-JAVA.conf",
    "REQUEST-949-BLOCKING-EVALUATION.conf",
    "RESPONSE-950-DATA-LEAKAGES.conf",
    "RESPONSE-951-DATA-LEAKAGES-SQL.conf",
    "RESPONSE-952-DATA-LEAKAGES-JAVA.conf",
    "RESPONSE-953-DATA-LEAKAGES-PHP.conf",
    "RESPONSE-954-DATA-LEAKAGES-IIS.conf",
    "RESPONSE-959-BLOCKING-EVALUATION.conf",
    "RESPONSE-980-CORRELATION.conf",
};

constexpr const char* kCrsExclusionsBefore = "/etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf";
constexpr const char* kCrsExclusionsAfter = "/etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf";

// Exclusions for our API; empty lines only when none is needed.
constexpr const char* kTuning = "";

}  // namespace

std::filesystem::path ModsecurityConfigPath(const HostPaths& paths) {
  return paths.Etc() / "nginx" / "modsecurity.conf";
}

std::vector<std::string> CrsRuleFiles() {
  std::vector<std::string> files = {kCrsSetupFile, kCrsExclusionsBefore};
  for (const char* rule : kCrsRules) files.push_back(std::string(kCrsRulesDir) + "/" + rule);
  files.push_back(kCrsExclusionsAfter);
  return files;
}

std::string RenderModsecurityConfig(const RenderContext& ctx) {
  const std::vector<std::string> files = CrsRuleFiles();
  // crs-setup.conf first, then our settings (before REQUEST-901 fills in defaults for what is
  // still unset), then the rest.
  std::string setup_include = "Include " + files[0] + "\n";
  std::string rule_includes;
  for (std::size_t i = 1; i < files.size(); ++i) rule_includes += "Include " + files[i] + "\n";

  return fmt::format(
      // A delimited raw string: the rules themselves contain )".
      R"conf({header}
# ---- Engine -------------------------------------------------------------------------------
# Blocking (Debian ships DetectionOnly, which only logs).
SecRuleEngine On

# Request bodies are read and parsed: JSON into ARGS (json.author, json.body), so the rules
# see the message fields themselves rather than one opaque string.
SecRequestBodyAccess On
SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" \
    "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
# Nginx's client_max_body_size on /api/: a larger body never gets here (Nginx answers 413).
SecRequestBodyLimit {body_limit}
SecRequestBodyNoFilesLimit {body_limit}
SecRequestBodyLimitAction Reject
# The API takes one flat object; anything nested this deep is an attack on a parser.
SecRequestBodyJsonDepthLimit 32
SecArgumentsLimit 1000
SecRule &ARGS "@ge 1000" \
    "id:200007,phase:2,t:none,log,deny,status:400,msg:'Too many arguments to parse fully'"
# A body the WAF cannot parse is one it cannot inspect: refused (400), never passed on.
SecRule REQBODY_ERROR "!@eq 0" \
    "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body',logdata:'%{{reqbody_error_msg}}'"
SecRule MULTIPART_STRICT_ERROR "!@eq 0" \
    "id:200003,phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation'"
SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" \
    "id:200004,phase:2,t:none,log,deny,status:400,msg:'Multipart parser detected a possible unmatched boundary'"
# Regular-expression backtracking bounded; a request that hits the bound is refused.
SecPcreMatchLimit 1000
SecPcreMatchLimitRecursion 1000
SecRule TX:/^MSC_/ "!@streq 0" \
    "id:200005,phase:2,t:none,log,deny,status:400,msg:'ModSecurity internal error flagged: %{{MATCHED_VAR_NAME}}'"

# Responses are our own JSON and static files: inspecting their bodies costs CPU on every
# request and protects nothing we do not control already (the app never echoes SQL errors).
SecResponseBodyAccess Off

# ---- Audit log ----------------------------------------------------------------------------
# Blocked and failed requests only; parts A (who), B (request headers), F (response headers),
# H (the rules that matched), Z. No request or response bodies (C, I, J, E): a body may carry
# what a user did not mean to keep in a log.
SecAuditEngine RelevantOnly
SecAuditLogRelevantStatus "^(?:5|4(?!04))"
SecAuditLogParts ABFHZ
SecAuditLogType Serial
SecAuditLogFormat JSON
SecAuditLog {log}/modsec_audit.log

SecArgumentSeparator &
SecCookieFormat 0
SecUnicodeMapFile {unicode_mapping} 20127
# No reporting of the engine's version to anyone.
SecStatusEngine Off

# ---- OWASP Core Rule Set 3.3 --------------------------------------------------------------
{setup_include}
# Paranoia level 1 (the CRS default, fewest false positives); anomaly thresholds stay at the
# CRS defaults (inbound 5, outbound 4).
SecAction "id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=1"
# Methods the WAF lets through to the app, which answers anything it does not route with its
# own 405 (the API contract): only exotic methods (TRACE, CONNECT, PROPFIND...) stop here.
SecAction "id:900200,phase:1,nolog,pass,t:none,setvar:'tx.allowed_methods=GET HEAD POST OPTIONS PUT PATCH DELETE'"
# Request content types the WAF lets through: the API's JSON, and the two a browser form can
# send without a CORS preflight, which the app answers with its own 415. Debian's CRS 3.3.4
# lists no text/plain, so a text/plain POST would be a WAF 403 instead of the contract's 415.
SecAction "id:900220,phase:1,nolog,pass,t:none,setvar:'tx.allowed_request_content_type=|application/x-www-form-urlencoded| |multipart/form-data| |application/json| |text/plain|'"

{rule_includes}
# ---- Tuning: false positives of our own API -----------------------------------------------
# (Must follow the rules it changes.) Found with the lab tests: ordinary messages must pass.
{tuning})conf",
      fmt::arg("header", RenderedHeader(ctx, "ModSecurity + OWASP CRS, Nginx WAF of the app server")),
      fmt::arg("body_limit", kWafRequestBodyLimit), fmt::arg("log", ConfigPath(ctx.paths.Log())),
      fmt::arg("unicode_mapping", kUnicodeMappingFile), fmt::arg("setup_include", setup_include),
      fmt::arg("rule_includes", rule_includes), fmt::arg("tuning", kTuning));
}

}  // namespace foobar::ctl
