// The site as an attacker meets it: every request of tests/lab/hostile_corpus.json, sent from
// the client host through the load balancers, gets a 4xx (403 where the WAF is the one to
// refuse), stores nothing and leaves every service up. Ordinary messages (apostrophes, accents,
// emoji, "<3") still pass the WAF; every response carries the security headers once; error
// bodies say nothing about the software; Nginx sees the client's own address.
// Run time: about 30 s (one curl or raw connection per corpus entry).
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using nlohmann::json;

// Expands the corpus notation: {X*N} (X repeated N times), \xNN (the byte NN), {unique}.
std::string Expand(std::string text, const std::string& unique) {
  static const std::regex kRepeat(R"(\{(.)\*(\d+)\})");
  std::smatch m;
  std::string out;
  while (std::regex_search(text, m, kRepeat)) {
    out += m.prefix().str() + std::string(std::stoul(m[2].str()), m[1].str()[0]);
    text = m.suffix().str();
  }
  out += text;
  std::string bytes;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out.compare(i, 2, "\\x") == 0 && i + 3 < out.size() && std::isxdigit(static_cast<unsigned char>(out[i + 2])) &&
        std::isxdigit(static_cast<unsigned char>(out[i + 3]))) {
      bytes += static_cast<char>(std::stoi(out.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      bytes += out[i];
    }
  }
  for (std::size_t at; (at = bytes.find("{unique}")) != std::string::npos;) bytes.replace(at, 8, unique);
  return bytes;
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
}

json LoadCorpus() {
  std::ifstream in(std::string(FOOBAR_SOURCE_DIR) + "/tests/lab/hostile_corpus.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str())["requests"];
}

bool SiteIsHttps() { return std::string_view(kSiteUrl).starts_with("https://"); }

// Every status line the site answered on one raw connection that carried `request`.
std::vector<int> SendRaw(const std::string& request) {
  // Bounded: the site may keep the connection open after answering.
  const std::string script =
      SiteIsHttps()
          ? "timeout 4 openssl s_client -quiet -connect www.foobar.com:443 -servername www.foobar.com 2>/dev/null"
          : "exec 3<>/dev/tcp/www.foobar.com/80 && cat >&3 && timeout 4 cat <&3";
  const CommandResult result = ExecOn("client", {"bash", "-c", script}, request, 20);
  std::vector<int> statuses;
  static const std::regex kStatusLine(R"((^|\n)HTTP/1\.[01] (\d{3}) )");
  for (auto it = std::sregex_iterator(result.out.begin(), result.out.end(), kStatusLine);
       it != std::sregex_iterator(); ++it)
    statuses.push_back(std::stoi((*it)[2].str()));
  return statuses;
}

// Rows in foobar.messages, counted on the primary (-1 if unreadable).
long long StoredMessages() {
  const std::string primary = PrimaryDatabaseHost();
  if (primary.empty()) return -1;
  const auto out = SqlOutput(primary, "SELECT COUNT(*) FROM foobar.messages");
  return out ? std::atoll(out->c_str()) : -1;
}

// "HOST/SERVICE" of every service `foobar status --json` does not call up.
std::vector<std::string> ServicesNotUp() {
  std::vector<std::string> down;
  const CommandResult result = Foobar({"status", "--json"});
  const auto status = json::parse(result.out, nullptr, false);
  if (!result.ok() || !status.is_object() || !status.contains("hosts")) return {"status: " + Describe(result)};
  for (const auto& host : status["hosts"])
    for (const auto& service : host.value("services", json::array()))
      if (service.value("state", "") != "up")
        down.push_back(host.value("name", "?") + "/" + service.value("name", "?"));
  return down;
}

TEST(HostileCorpus, EveryRequestIsRefusedStoresNothingAndLeavesEveryServiceUp) {
  const json corpus = LoadCorpus();
  ASSERT_GE(corpus.size(), 40u);
  const long long before = StoredMessages();
  ASSERT_GE(before, 0);

  for (const auto& entry : corpus) {
    const std::string name = entry["name"];
    const std::string unique = UniqueText("hostile-" + name);
    if (entry.value("raw", false)) {
      // The smuggled request would store a message if any hop took it for a request.
      const std::string body = json{{"author", "smuggled"}, {"body", unique}}.dump();
      const std::string inner = "POST /api/messages HTTP/1.1\r\nHost: www.foobar.com\r\n"
                                "Content-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
      std::string request = entry["raw_request"];
      ReplaceAll(request, "{innerlen}", std::to_string(inner.size()));
      std::ostringstream hex;
      hex << std::hex << inner.size();
      ReplaceAll(request, "{hexlen}", hex.str());
      ReplaceAll(request, "{inner}", inner);
      const std::vector<int> statuses = SendRaw(request);
      for (const int status : statuses)
        EXPECT_TRUE(status >= 400 && status < 500) << name << ": answered " << status;
      continue;
    }

    std::vector<std::string> args = {"--path-as-is", "-X", entry["method"]};
    for (const auto& option : entry.value("curl_args", json::array())) args.push_back(option);
    for (const auto& header : entry.value("headers", json::array()))
      args.insert(args.end(), {"-H", Expand(header, unique)});
    const std::string body = Expand(entry.value("body", ""), unique);
    if (entry.contains("body")) args.insert(args.end(), {"--data-binary", "@-"});
    args.push_back(std::string(kSiteUrl) + Expand(entry["path"], unique));
    const HttpResponse response = Curl("client", args, body);

    if (entry["expect"].is_number()) {
      EXPECT_EQ(response.status, entry["expect"].get<int>()) << name << ": " << response.Describe();
    } else {
      EXPECT_TRUE(response.status >= 400 && response.status < 500) << name << ": " << response.Describe();
    }
    // Whoever refused on an app server (Nginx, the WAF, the app), the client gets JSON, not a
    // server's HTML page. (HAProxy's own refusals are the load balancers' error files.)
    if (response.status >= 400 && response.HasHeader("x-served-by") && !response.body.empty()) {
      EXPECT_FALSE(JsonBody(response).is_discarded()) << name << ": " << response.Describe();
    }
  }

  EXPECT_EQ(StoredMessages(), before) << "a hostile request stored something";
  EXPECT_EQ(ServicesNotUp(), std::vector<std::string>{});
}

TEST(HostileCorpus, OrdinaryMessagesPassTheWaf) {
  const std::vector<std::pair<std::string, std::string>> messages = {
      {"O'Brien", "It's a lovely site, isn't it? Don't change a thing <3"},
      {"Zoë", "Café crème à la française, naïve señor — ça va? 😀🎉"},
      {"ada", "I'd say 1 < 2 and 3 > 2; \"quoted\" & 'single' quotes too."},
      {"bob", "Select your favourite from the menu and drop me a line at bob@example.com"},
      {"carol", "Rock 'n' roll!\nSecond line, with a tab\there. 100% sure; C:\\Users is a path."},
      {"dave", "See https://example.com/page?x=1&y=2 for the details (and #tags)."},
  };
  for (const auto& [author, text] : messages) {
    const std::string body = UniqueText("") + " " + text;
    const HttpResponse response = PostFromClient("/api/messages", json{{"author", author}, {"body", body}}.dump());
    ASSERT_EQ(response.status, 201) << text << ": " << response.Describe();
    EXPECT_EQ(JsonBody(response).value("body", ""), body);
  }
}

// One response of each kind the site gives, with who produces it.
struct Probe {
  std::string what;
  std::vector<std::string> args;  // after the URL prefix is added to the last one
};

TEST(SecurityHeaders, OnEveryKindOfResponseExactlyOnce) {
  const std::string site = kSiteUrl;
  const std::vector<Probe> probes = {
      {"page (Nginx)", {site + "/"}},
      {"static file (Nginx)", {site + "/static/app.js"}},
      {"API list (app)", {site + "/api/messages?limit=1"}},
      {"API error (app)", {site + "/api/messages/abc"}},
      {"unknown path (Nginx 404)", {site + "/no-such-page"}},
      {"WAF refusal (403)", {site + "/api/messages?limit=%3Cscript%3Ealert(1)%3C/script%3E"}},
      {"body too large (Nginx 413)",
       {"-X", "POST", "-H", "Content-Type: application/json", "--data-binary", std::string(70000, 'x'),
        site + "/api/messages"}},
  };
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"x-content-type-options", "nosniff"},
      {"referrer-policy", "no-referrer"},
      {"x-frame-options", "DENY"},
  };
  for (const Probe& probe : probes) {
    const HttpResponse response = Curl("client", probe.args);
    ASSERT_NE(response.status, 0) << probe.what << ": " << response.error;
    for (const auto& [name, value] : expected) {
      EXPECT_EQ(response.Header(name), value) << probe.what << ": " << response.Describe();
      int copies = 0;
      for (const auto& header : response.headers) copies += header.first == name ? 1 : 0;
      EXPECT_EQ(copies, 1) << probe.what << " " << name;
    }
    const std::string csp = response.Header("content-security-policy");
    for (const char* directive : {"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"})
      EXPECT_NE(csp.find(directive), std::string::npos) << probe.what << ": CSP " << csp;
    // No name or version of the software in headers or body.
    const std::string server = response.Header("server");
    EXPECT_EQ(server.find('/'), std::string::npos) << probe.what << ": Server: " << server;
    if (response.status >= 400) {
      for (const char* leak : {"nginx", "ModSecurity", "MariaDB", "SQL", "Boost", "HAProxy"})
        EXPECT_EQ(response.body.find(leak), std::string::npos) << probe.what << " body: " << response.body;
    }
  }
}

// Nginx logs (and the WAF judges) the client, not the load balancer that forwarded it.
TEST(RealClientAddress, NginxSeesTheClientNotTheLoadBalancer) {
  const ctl::Topology& topology = LabTopology();
  const ctl::Host* client = topology.FindHost("client");
  ASSERT_NE(client, nullptr);
  const std::string client_address = client->AddressOn("public").value_or("?");
  const std::string marker = UniqueText("realip");
  const HttpResponse response = Curl("client", {std::string(kSiteUrl) + "/api/messages?limit=1&m=" + marker});
  ASSERT_EQ(response.status, 200) << response.Describe();

  const char* state = std::getenv("FOOBAR_STATE_DIR");
  const std::string root = state && *state ? state : "/var/lib/foobar";
  bool found = false;
  for (const ctl::Host* app : topology.HostsRunning("nginx")) {
    std::ifstream log(root + "/hosts/" + app->name + "/log/nginx-access.log");
    for (std::string line; std::getline(log, line);) {
      if (line.find(marker) == std::string::npos) continue;
      found = true;
      const auto entry = json::parse(line, nullptr, false);
      EXPECT_EQ(entry.value("remote_addr", ""), client_address) << line;
    }
  }
  EXPECT_TRUE(found) << "no access log line with " << marker;
}

}  // namespace
}  // namespace foobar::lab_test
