#include "ctl/bench/reference_nginx.h"

#include <gtest/gtest.h>

namespace foobar::ctl::bench {
namespace {

TEST(BenchReferenceNginx, SameWorkersOwnPortFixedAnswerAndPage) {
  ReferenceNginxSettings settings;
  settings.workers = 2;
  settings.www = "/state/hosts/app-01/www";
  settings.dir = "/state/hosts/app-01/run/bench-nginx";
  const std::string config = RenderReferenceNginxConfig(settings);
  EXPECT_NE(config.find("worker_processes 2;"), std::string::npos);
  EXPECT_NE(config.find("listen 127.0.0.1:8090 default_server;"), std::string::npos);
  EXPECT_NE(config.find("location = /fixed {"), std::string::npos);
  EXPECT_NE(config.find("return 200"), std::string::npos);
  EXPECT_NE(config.find("root /state/hosts/app-01/www;"), std::string::npos);
  EXPECT_NE(config.find("try_files /index.html =404;"), std::string::npos);
  EXPECT_NE(config.find("pid /state/hosts/app-01/run/bench-nginx/nginx.pid;"), std::string::npos);
  EXPECT_NE(config.find("daemon off;"), std::string::npos);
}

}  // namespace
}  // namespace foobar::ctl::bench
