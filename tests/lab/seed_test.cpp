// The seed lab seen from the `client` host, as a visitor of www.foobar.com sees it: name
// resolution, the page, health endpoints, posting and reading messages, both app servers.
// Needs a lab brought up with `foobar up --topology seed` (ctest fixture lab_seed).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <regex>
#include <set>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using nlohmann::json;

std::string SiteName() { return SeedTopology().site.name; }

std::string DnsServerAddress() {
  const auto servers = SeedTopology().HostsRunning("dns");
  return servers.empty() ? "" : servers.front()->AddressOn("public").value_or("");
}

// Asks the lab's DNS server directly with Node's resolver (c-ares), so the answer cannot
// come from a hosts file. Prints the addresses, or "error CODE" and exits 3.
constexpr const char* kResolveScript = R"(
const { Resolver } = require('node:dns').promises;
const resolver = new Resolver({ timeout: 2000, tries: 2 });
resolver.setServers([process.argv[1]]);
resolver.resolve4(process.argv[2]).then(
  (addresses) => { console.log(addresses.sort().join(' ')); },
  (e) => { console.log('error ' + e.code); process.exit(3); });
)";

CommandResult ResolveAtLabDns(const std::string& name) {
  return ExecOn("client", {"node", "-e", kResolveScript, DnsServerAddress(), name});
}

std::string JoinSorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

// "2026-11-26T15:13:21.123Z" -> seconds since the epoch, or -1 if not in that format.
long long ParseIsoUtcMillis(const std::string& text) {
  static const std::regex kFormat(R"(^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$)");
  std::smatch m;
  if (!std::regex_match(text, m, kFormat)) return -1;
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  return static_cast<long long>(timegm(&tm));
}

// Checks one message object of the API: exactly id, author, body, created_at, typed.
void ExpectMessageShape(const json& message) {
  ASSERT_TRUE(message.is_object()) << message.dump();
  std::set<std::string> keys;
  for (const auto& item : message.items()) keys.insert(item.key());
  EXPECT_EQ(keys, (std::set<std::string>{"id", "author", "body", "created_at"})) << message.dump();
  EXPECT_TRUE(message.value("id", json()).is_number_integer()) << message.dump();
  EXPECT_GT(message.value("id", json(0)).get<long long>(), 0) << message.dump();
  EXPECT_TRUE(message.value("author", json()).is_string()) << message.dump();
  EXPECT_TRUE(message.value("body", json()).is_string()) << message.dump();
  EXPECT_GE(ParseIsoUtcMillis(message.value("created_at", std::string())), 0) << message.dump();
}

void ExpectServedByAppServer(const HttpResponse& response) {
  EXPECT_TRUE(ServedByAppServer(response))
      << "X-Served-By is not one of " << JoinSorted(HostsRunning("app")) << ": "
      << response.Describe();
}

HttpResponse GetFromClient(const std::string& path) {
  return Curl("client", {std::string(kSiteUrl) + path});
}

// Posts a message and checks the 201; returns the stored message (null on failure).
json PostMessage(const std::string& author, const std::string& body) {
  const HttpResponse response =
      PostFromClient("/api/messages", json{{"author", author}, {"body", body}}.dump());
  EXPECT_EQ(response.status, 201) << response.Describe();
  const json message = JsonBody(response);
  if (response.status != 201 || !message.is_object()) return nullptr;
  return message;
}

// The list as the API returns it; fails the test if it is not a well-formed list.
std::vector<json> ListMessages(const std::string& query) {
  const HttpResponse response = GetFromClient("/api/messages" + query);
  EXPECT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(response.Header("content-type").rfind("application/json", 0), 0u)
      << response.Describe();
  const json list = JsonBody(response);
  if (!list.is_object() || !list.contains("messages") || !list["messages"].is_array()) {
    ADD_FAILURE() << "not {\"messages\": [...]}: " << response.Describe();
    return {};
  }
  return list["messages"].get<std::vector<json>>();
}

TEST(Dns, SiteResolvesToLoadBalancerOnClient) {
  const CommandResult result = ExecOn("client", {"getent", "hosts", SiteName()});
  ASSERT_TRUE(result.ok()) << Describe(result);
  std::vector<std::string> addresses;
  for (size_t pos = 0; pos < result.out.size();) {
    size_t end = result.out.find('\n', pos);
    if (end == std::string::npos) end = result.out.size();
    const std::string line = result.out.substr(pos, end - pos);
    if (!line.empty()) addresses.push_back(line.substr(0, line.find_first_of(" \t")));
    pos = end + 1;
  }
  EXPECT_EQ(JoinSorted(addresses), JoinSorted(SeedTopology().site.addresses)) << result.out;
}

TEST(Dns, LabDnsServerAnswersForSite) {
  const CommandResult result = ResolveAtLabDns(SiteName());
  ASSERT_TRUE(result.ok()) << Describe(result);
  EXPECT_EQ(TrimRight(result.out), JoinSorted(SeedTopology().site.addresses));
}

TEST(Dns, UnknownNameUnderDomainDoesNotResolve) {
  const std::string name = UniqueText("no-such-host") + "." + SeedTopology().domain;
  const CommandResult getent = ExecOn("client", {"getent", "hosts", name});
  EXPECT_EQ(getent.exit_code, 2) << "getent hosts " << name << ": " << Describe(getent);
  EXPECT_EQ(getent.out, "");

  const CommandResult direct = ResolveAtLabDns(name);
  EXPECT_EQ(TrimRight(direct.out), "error ENOTFOUND") << Describe(direct);
}

TEST(Page, HomePageIsHtmlFromNginx) {
  const HttpResponse response = GetFromClient("/");
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_EQ(response.Header("content-type").rfind("text/html", 0), 0u) << response.Describe();
  EXPECT_NE(response.body.find("<title>foobar"), std::string::npos) << response.Describe();
}

TEST(Page, StaticScriptIsServed) {
  const HttpResponse response = GetFromClient("/static/app.js");
  ASSERT_EQ(response.status, 200) << response.Describe();
  EXPECT_NE(response.Header("content-type").find("javascript"), std::string::npos)
      << response.Describe();
  EXPECT_FALSE(response.body.empty());
}

TEST(Health, HealthAndReadinessAnswer200ThroughSite) {
  for (const std::string path : {"/healthz", "/readyz"}) {
    const HttpResponse response = GetFromClient(path);
    EXPECT_EQ(response.status, 200) << path << ": " << response.Describe();
    ExpectServedByAppServer(response);
  }
}

TEST(Messages, PostedMessageIsStoredAndReadBack) {
  const std::string author = UniqueText("lab");
  const std::string body = "héllo wörld ✓ 😀 " + UniqueText("seed-test");
  const auto before = std::chrono::system_clock::now();

  const HttpResponse posted =
      PostFromClient("/api/messages", json{{"author", author}, {"body", body}}.dump());
  ASSERT_EQ(posted.status, 201) << posted.Describe();
  EXPECT_EQ(posted.Header("content-type").rfind("application/json", 0), 0u) << posted.Describe();
  ExpectServedByAppServer(posted);
  const json message = JsonBody(posted);
  ASSERT_NO_FATAL_FAILURE(ExpectMessageShape(message));
  EXPECT_EQ(message["author"], author);
  EXPECT_EQ(message["body"], body);
  const long long id = message["id"].get<long long>();

  // created_at is the server's clock, which is this machine's: within a minute of now.
  const long long created = ParseIsoUtcMillis(message["created_at"].get<std::string>());
  const long long now_s =
      std::chrono::duration_cast<std::chrono::seconds>(before.time_since_epoch()).count();
  EXPECT_LE(std::llabs(created - now_s), 60) << message.dump();

  const std::string location = posted.Header("location");
  const std::string expected_path = "/api/messages/" + std::to_string(id);
  EXPECT_TRUE(location.size() >= expected_path.size() &&
              location.compare(location.size() - expected_path.size(), std::string::npos,
                               expected_path) == 0)
      << "Location should end with " << expected_path << ": " << posted.Describe();

  const HttpResponse read = GetFromClient(expected_path);
  ASSERT_EQ(read.status, 200) << read.Describe();
  ExpectServedByAppServer(read);
  EXPECT_EQ(JsonBody(read), message) << read.Describe();

  const std::vector<json> list = ListMessages("?limit=100");
  EXPECT_TRUE(std::find(list.begin(), list.end(), message) != list.end())
      << "message " << id << " not in the newest 100";
}

TEST(Messages, ListIsNewestFirst) {
  const json first = PostMessage(UniqueText("lab"), UniqueText("first"));
  const json second = PostMessage(UniqueText("lab"), UniqueText("second"));
  ASSERT_FALSE(first.is_null());
  ASSERT_FALSE(second.is_null());

  const std::vector<json> list = ListMessages("?limit=100");
  ASSERT_GE(list.size(), 2u);
  EXPECT_EQ(list[0], second) << "the newest message should come first";
  EXPECT_EQ(list[1], first);
  for (size_t i = 0; i < list.size(); ++i) {
    ASSERT_NO_FATAL_FAILURE(ExpectMessageShape(list[i]));
    if (i == 0) continue;
    EXPECT_GT(list[i - 1]["id"].get<long long>(), list[i]["id"].get<long long>())
        << "ids not descending at position " << i;
    EXPECT_GE(list[i - 1]["created_at"].get<std::string>(),
              list[i]["created_at"].get<std::string>())
        << "created_at not descending at position " << i;
  }
}

TEST(Messages, LimitBoundsTheList) {
  // More messages than the default page size, so the default is visible.
  for (long long count = MessageCount(); count >= 0 && count < 21; ++count) {
    ASSERT_FALSE(PostMessage(UniqueText("lab"), UniqueText("filler")).is_null());
  }
  EXPECT_EQ(ListMessages("").size(), 20u) << "default limit";
  EXPECT_EQ(ListMessages("?limit=1").size(), 1u);
  EXPECT_EQ(ListMessages("?limit=21").size(), 21u);
  const long long count = MessageCount();
  EXPECT_EQ(ListMessages("?limit=100").size(), static_cast<size_t>(std::min(count, 100LL)));
}

TEST(Balancing, BothAppServersServeTheSite) {
  // Concurrent requests: with leastconn, one request at a time could legitimately keep
  // going to the same idle server.
  const auto responses = GetMany("client", std::string(kSiteUrl) + "/api/messages?limit=1", 40, 8);
  std::set<std::string> served_by;
  for (const auto& response : responses) {
    EXPECT_EQ(response.status, 200);
    served_by.insert(response.served_by);
  }
  const auto servers = HostsRunning("app");
  EXPECT_EQ(served_by, std::set<std::string>(servers.begin(), servers.end()));
}

}  // namespace
}  // namespace foobar::lab_test
