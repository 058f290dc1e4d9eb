#include "ctl/render/nginx_config.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "ctl/render/modsecurity_config.h"
#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::DirectivesStartingWith;
using testing::HasDirective;
using testing::LoadSeed;
using testing::TempDir;

class RenderNginxTest : public ::testing::Test {
 protected:
  Topology topology_ = LoadSeed();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "app-01", state_.path());
  std::string conf_ = RenderNginxConfig(ctx_);
  std::string run_ = (state_.path() / "hosts/app-01/run").string();
  std::string log_ = (state_.path() / "hosts/app-01/log").string();
};

// The text between "location SPEC {" and the next "}" (locations here hold no blocks).
// The block of `location SPEC {`, up to its matching brace (blocks nest: `if`).
std::string LocationBlock(const std::string& conf, const std::string& spec) {
  const std::string opening = "location " + spec + " {";
  const auto start = conf.find(opening);
  if (start == std::string::npos) return {};
  int depth = 0;
  for (auto i = start + opening.size() - 1; i < conf.size(); ++i) {
    if (conf[i] == '{') ++depth;
    if (conf[i] == '}' && --depth == 0) return conf.substr(start, i - start);
  }
  return {};
}

// Health checks and one message by number: the WAF only when there is something to inspect.
constexpr const char* kNothingToInspect = R"(~ "^/(healthz|readyz|api/messages/[0-9]{1,19})$")";

TEST_F(RenderNginxTest, PathIsUnderTheHostsEtc) {
  EXPECT_EQ(NginxConfigPath(ctx_.paths), state_.path() / "hosts/app-01/etc/nginx/nginx.conf");
  EXPECT_EQ(conf_.rfind("# Rendered by foobar from topology seed — do not edit.\n", 0), 0u);
}

TEST_F(RenderNginxTest, ListensOnThePrivateAddressOnly) {
  EXPECT_EQ(DirectivesStartingWith(conf_, "listen "),
            std::vector<std::string>{"listen 198.18.1.21:80 default_server;"});
  const RenderContext other = ContextFor(topology_, "app-02", state_.path());
  EXPECT_EQ(DirectivesStartingWith(RenderNginxConfig(other), "listen "),
            std::vector<std::string>{"listen 198.18.1.22:80 default_server;"});
}

TEST_F(RenderNginxTest, ProcessSettingsForTheLab) {
  for (const std::string& line : std::vector<std::string>{
           "daemon off;", "user www-data;", "worker_processes 1;", "pid " + run_ + "/nginx.pid;",
           "error_log " + log_ + "/nginx-error.log warn;", "worker_connections 4096;",
           "include /etc/nginx/mime.types;", "server_tokens off;", "sendfile on;", "tcp_nopush on;",
           "keepalive_timeout 60s;", "keepalive_requests 10000;"})
    EXPECT_TRUE(HasDirective(conf_, line)) << line;
}

TEST_F(RenderNginxTest, EveryTempPathIsUnderRun) {
  for (const char* kind : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
    EXPECT_TRUE(
        HasDirective(conf_, std::string(kind) + "_temp_path " + run_ + "/nginx/" + kind + ";"))
        << kind;
}

TEST_F(RenderNginxTest, JsonAccessLogWithRequestIdAndTimings) {
  const auto formats = DirectivesStartingWith(conf_, "log_format json escape=json ");
  ASSERT_EQ(formats.size(), 1u);
  for (const char* field : {"$http_x_request_id", "$request_time", "$upstream_response_time",
                            "$status", "$request", "$remote_addr"})
    EXPECT_NE(formats[0].find(field), std::string::npos) << field;
  EXPECT_TRUE(HasDirective(conf_, "access_log " + log_ + "/nginx-access.log json;"));
}

TEST_F(RenderNginxTest, UpstreamIsTheAppOnLoopbackWithKeepalive) {
  EXPECT_TRUE(HasDirective(conf_, "upstream app {"));
  EXPECT_TRUE(HasDirective(conf_, "server 127.0.0.1:8080;"));
  EXPECT_TRUE(HasDirective(conf_, "keepalive 32;"));
}

TEST_F(RenderNginxTest, ServesStaticFilesFromWww) {
  EXPECT_TRUE(HasDirective(conf_, "root " + (state_.path() / "hosts/app-01/www").string() + ";"));
  EXPECT_NE(LocationBlock(conf_, "= /").find("try_files /index.html =404;"), std::string::npos);
  const std::string statics = LocationBlock(conf_, "/static/");
  EXPECT_NE(statics.find("try_files $uri =404;"), std::string::npos);
  EXPECT_EQ(statics.find("proxy_pass"), std::string::npos);
  EXPECT_NE(LocationBlock(conf_, "/").find("return 404;"), std::string::npos);
}

TEST_F(RenderNginxTest, ProxiesApiAndHealthEndpointsToTheApp) {
  for (const char* spec : {"/api/", kNothingToInspect, "^~ /_waf/"})
    EXPECT_NE(LocationBlock(conf_, spec).find("proxy_pass http://app;"), std::string::npos) << spec;
  EXPECT_NE(LocationBlock(conf_, "/api/").find("client_max_body_size 64k;"), std::string::npos);
  for (const char* line :
       {"proxy_http_version 1.1;", "proxy_set_header Connection \"\";",
        "proxy_set_header Host $host;", "proxy_set_header X-Request-ID $http_x_request_id;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", "proxy_next_upstream off;"})
    EXPECT_TRUE(HasDirective(conf_, line)) << line;
}

TEST_F(RenderNginxTest, WafOnlyWhereRequestsReachTheApp) {
  EXPECT_TRUE(HasDirective(conf_, std::string("load_module ") + kModsecurityModule + ";"));
  EXPECT_TRUE(HasDirective(conf_, "modsecurity off;"));
  EXPECT_TRUE(HasDirective(
      conf_, "modsecurity_rules_file " + ModsecurityConfigPath(ctx_.paths).string() + ";"));
  for (const char* spec : {"/api/", "^~ /_waf/"})
    EXPECT_NE(LocationBlock(conf_, spec).find("modsecurity on;"), std::string::npos) << spec;
  for (const char* spec : {"= /", "/static/", "/", kNothingToInspect})
    EXPECT_EQ(LocationBlock(conf_, spec).find("modsecurity on;"), std::string::npos) << spec;
}

TEST_F(RenderNginxTest, SkipsTheWafOnlyForBodilessGetsWithoutQuery) {
  const std::string direct = LocationBlock(conf_, kNothingToInspect);
  EXPECT_NE(direct.find("if ($waf_needed) {"), std::string::npos);
  EXPECT_NE(direct.find("rewrite ^ /_waf$uri last;"), std::string::npos);
  EXPECT_TRUE(HasDirective(conf_, "map \"$request_method:$args:$content_length:$http_transfer_encoding\" $waf_needed {"));
  EXPECT_EQ(DirectivesStartingWith(conf_, "\"GET:::\" 0;").size(), 1u);
  EXPECT_EQ(DirectivesStartingWith(conf_, "\"HEAD:::\" 0;").size(), 1u);
  EXPECT_TRUE(HasDirective(conf_, "default 1;"));
  // Reached only by that rewrite, and the app gets the client's path back.
  const std::string inspected = LocationBlock(conf_, "^~ /_waf/");
  EXPECT_NE(inspected.find("internal;"), std::string::npos);
  EXPECT_NE(inspected.find("rewrite ^/_waf(/.*)$ $1 break;"), std::string::npos);
}

TEST_F(RenderNginxTest, TrustsTheClientAddressFromTheLoadBalancersOnly) {
  EXPECT_EQ(DirectivesStartingWith(conf_, "set_real_ip_from "),
            std::vector<std::string>{"set_real_ip_from 198.18.1.10;"});
  EXPECT_TRUE(HasDirective(conf_, "real_ip_header X-Forwarded-For;"));
  EXPECT_TRUE(DirectivesStartingWith(conf_, "real_ip_recursive").empty())
      << "the last address (the one HAProxy saw) is the client; earlier ones are the client's word";
}

TEST_F(RenderNginxTest, SecurityHeadersEverywhereOnce) {
  for (const char* name : {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"}) {
    // Once at server level, once in each error location (add_header there replaces inherited ones).
    const auto lines = DirectivesStartingWith(conf_, std::string("add_header ") + name + " ");
    EXPECT_EQ(lines.size(), 1u + DirectivesStartingWith(conf_, "location = /_errors/").size()) << name;
    for (const auto& line : lines) EXPECT_TRUE(line.ends_with(" always;")) << line;
    EXPECT_TRUE(HasDirective(conf_, std::string("proxy_hide_header ") + name + ";")) << name;
  }
  EXPECT_TRUE(HasDirective(conf_, "add_header Content-Security-Policy \"default-src 'self'; object-src 'none'; "
                                  "base-uri 'self'; form-action 'self'; frame-ancestors 'none'\" always;"));
}

TEST_F(RenderNginxTest, OwnErrorsAreJsonWithoutServerDetail) {
  for (const int status : {400, 403, 404, 413, 414, 431, 502, 503, 504}) {
    EXPECT_TRUE(HasDirective(conf_, fmt::format("error_page {} /_errors/{};", status, status))) << status;
    const std::string block = LocationBlock(conf_, fmt::format("= /_errors/{}", status));
    EXPECT_NE(block.find("internal;"), std::string::npos) << block;
    EXPECT_NE(block.find("default_type application/json;"), std::string::npos) << status;
    EXPECT_NE(block.find(fmt::format("return {} '{{\"error\":", status)), std::string::npos) << block;
    EXPECT_NE(block.find("add_header X-Served-By app-01 always;"), std::string::npos) << block;
  }
}

TEST_F(RenderNginxTest, RejectsAHostWithoutPrivateAddress) {
  const RenderContext dns = ContextFor(topology_, "dns", state_.path());
  EXPECT_THROW(RenderNginxConfig(dns), std::invalid_argument);
}

// `nginx -t` does bind and listen on every `listen` address (seen with strace), and the lab's
// private addresses must never be bound in the root namespace. So the check runs on a copy
// whose only change is that listen line, moved to a free loopback port; the rest of the file
// (paths, modules, directives) is checked as rendered.
TEST_F(RenderNginxTest, RealNginxAcceptsTheConfig) {
  const auto nginx = testing::FindTool("nginx");
  if (!nginx) GTEST_SKIP() << "nginx is not installed";
  const std::string listen = "listen 198.18.1.21:80 default_server;";
  std::string checked = conf_;
  const auto at = checked.find(listen);
  ASSERT_NE(at, std::string::npos);
  checked.replace(at, listen.size(),
                  fmt::format("listen 127.0.0.1:{} default_server;", testing::FreeLoopbackPort()));
  ASSERT_EQ(checked.find("listen 198.18."), std::string::npos);

  const auto path = NginxConfigPath(ctx_.paths);
  testing::WriteFile(path, checked);
  // nginx -t loads the WAF's rules too (the whole CRS): a rule file it cannot parse fails here.
  testing::WriteFile(ModsecurityConfigPath(ctx_.paths), RenderModsecurityConfig(ctx_));
  std::filesystem::create_directories(ctx_.paths.Run() / "nginx");
  std::filesystem::create_directories(ctx_.paths.Log());
  // -e: the startup error log, before the file's error_log applies (else /var/log/nginx/).
  const auto result = testing::RunCommand(fmt::format(
      "{} -t -q -c {} -p {}/ -e {}", nginx->string(), path.string(),
      (ctx_.paths.Run() / "nginx").string(), (ctx_.paths.Log() / "nginx-startup.log").string()));
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

}  // namespace
}  // namespace foobar::ctl
