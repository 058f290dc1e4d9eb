// The active-active load balancers of the production topology: each VIP is held by its master
// and answers from the client through both app servers; when a balancer's HAProxy stops, its
// VIP moves to the other balancer within a second (measured from the client), and comes back
// once HAProxy runs again. Every fault is undone by a guard, whatever the assertions said.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using namespace std::chrono_literals;

// curl arguments for PATH of the site, sent to one of its addresses (a VIP).
std::vector<std::string> WithSiteAt(const std::string& address, const std::string& path) {
  std::vector<std::string> args = ResolveSiteTo(address);
  args.push_back(std::string(kSiteUrl) + path);
  return args;
}

struct VipState {
  std::string name, address, master;
  std::vector<std::string> holders;
};

// `foobar status --json`, or a failed expectation and a discarded value.
nlohmann::json Status() {
  const CommandResult result = Foobar({"status", "--json"});
  auto status = nlohmann::json::parse(result.out, nullptr, false);
  EXPECT_TRUE(result.ok() && status.is_object()) << Describe(result);
  return status;
}

std::vector<VipState> Vips() {
  std::vector<VipState> vips;
  const auto status = Status();
  if (!status.is_object() || !status.contains("vips")) return vips;
  for (const auto& v : status["vips"]) {
    VipState vip{v.value("name", ""), v.value("address", ""), v.value("master", ""), {}};
    for (const auto& h : v.value("holders", nlohmann::json::array()))
      vip.holders.push_back(h.get<std::string>());
    vips.push_back(vip);
  }
  return vips;
}

// "vip-1 198.18.0.10 master lb-01 holders [lb-01]; ...", for messages.
std::string DescribeVips(const std::vector<VipState>& vips) {
  std::string out;
  for (const auto& v : vips) {
    std::string holders;
    for (const auto& h : v.holders) holders += (holders.empty() ? "" : ",") + h;
    out += (out.empty() ? "" : "; ") + v.name + " " + v.address + " master " + v.master +
           " holders [" + holders + "]";
  }
  return out;
}

// Full strength: every VIP held by exactly one balancer, its master.
bool EveryVipHeldByItsMaster(const std::vector<VipState>& vips) {
  return !vips.empty() && std::all_of(vips.begin(), vips.end(), [](const VipState& v) {
           return v.holders == std::vector<std::string>{v.master};
         });
}

// The hosts running `service` in the lab that is up (from status, whichever topology file).
std::vector<std::string> LabHostsRunning(const std::string& service) {
  std::vector<std::string> hosts;
  const auto status = Status();
  if (!status.is_object()) return hosts;
  for (const auto& h : status["hosts"])
    for (const auto& s : h["services"])
      if (s.value("name", "") == service) hosts.push_back(h.value("name", ""));
  return hosts;
}

class ProductionLb : public ::testing::Test {
 protected:
  void SetUp() override {
    // A test before this one may have left a fault being healed: wait for full strength.
    ASSERT_TRUE(PollUntil(10s, [&] { return EveryVipHeldByItsMaster(vips_ = Vips()); }))
        << "VIPs not at full strength before the test: " << DescribeVips(vips_);
  }
  std::vector<VipState> vips_;
};

TEST_F(ProductionLb, StatusShowsEachVipHeldByItsMasterOnly) {
  ASSERT_EQ(vips_.size(), 2u) << DescribeVips(vips_);
  std::set<std::string> masters;
  for (const auto& v : vips_) {
    EXPECT_EQ(v.holders, std::vector<std::string>{v.master}) << DescribeVips(vips_);
    masters.insert(v.master);
  }
  EXPECT_EQ(masters.size(), 2u) << "each balancer is the master of one VIP: " << DescribeVips(vips_);
}

TEST_F(ProductionLb, EveryVipAnswersFromTheClientThroughEveryAppServer) {
  const auto apps = LabHostsRunning("app");
  ASSERT_EQ(apps.size(), 2u);
  const std::set<std::string> all(apps.begin(), apps.end());
  for (const auto& vip : vips_) {
    const HttpResponse health = Curl("client", WithSiteAt(vip.address, "/healthz"));
    EXPECT_EQ(health.status, 200) << vip.address << ": " << health.Describe();
    std::set<std::string> seen;
    const bool both = PollUntil(15s, [&] {
      for (const auto& r : GetMany("client", std::string(kSiteUrl) + "/api/messages?limit=1", 16, 8, ResolveSiteTo(vip.address)))
        if (r.status == 200) seen.insert(r.served_by);
      return seen == all;
    });
    EXPECT_TRUE(both) << vip.address << " reached only " << seen.size() << " app server(s)";
  }
}

// One probe of the prober below: when it started and ended (µs since the epoch), and the
// HTTP status it got (0: no answer within 200 ms).
struct Probe {
  long long start_us = 0, end_us = 0;
  int status = 0;
};

// From the client: `curl --max-time 0.2 https://www.foobar.com/healthz` sent to ADDRESS every
// 20 ms for `seconds`.
std::vector<Probe> ProbeFromClient(const std::string& address, int seconds) {
  const std::string script =
      "end=$(( ${EPOCHREALTIME/./} + " + std::to_string(seconds) + "000000 )); "
      "while (( ${EPOCHREALTIME/./} < end )); do "
      "  t=${EPOCHREALTIME/./}; "
      "  c=$(curl -s -o /dev/null --max-time 0.2 -w '%{http_code}' --resolve " + kSiteName + ":443:" + address +
      " " + kSiteUrl + "/healthz); "
      "  echo \"$t ${EPOCHREALTIME/./} $c\"; sleep 0.02; "
      "done";
  const CommandResult result = ExecOn("client", {"bash", "-c", script}, "", seconds + 30);
  std::vector<Probe> probes;
  std::istringstream lines(result.out);
  Probe p;
  while (lines >> p.start_us >> p.end_us >> p.status) probes.push_back(p);
  EXPECT_GT(probes.size(), 10u) << lab_test::Describe(result);
  return probes;
}

long long NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What the client saw around a fault injected at `fault_us`: the first failed probe after
// it, and the end of the first good one after that (outage = their distance).
struct Outage {
  bool failed = false, recovered = false;
  int probes_after = 0, failed_probes = 0;     // probes that ended after the fault
  long long last_probe_us = 0;                 // end of the last probe
  long long first_failure_us = 0, recovered_us = 0;
  long long Ms() const { return (recovered_us - first_failure_us) / 1000; }
};

Outage MeasureOutage(const std::vector<Probe>& probes, long long fault_us) {
  Outage outage;
  for (const auto& p : probes) {
    if (p.end_us < fault_us) continue;
    ++outage.probes_after;
    outage.last_probe_us = p.end_us;
    if (p.status != 200) ++outage.failed_probes;
    if (outage.recovered) continue;
    if (!outage.failed && p.status != 200) {
      outage.failed = true;
      outage.first_failure_us = p.start_us;
    } else if (p.status == 200 && outage.failed) {
      outage.recovered = true;
      outage.recovered_us = p.end_us;
    }
  }
  if (!outage.failed && outage.probes_after > 0) {  // every probe answered: no outage at all
    outage.recovered = true;
    outage.first_failure_us = outage.recovered_us = fault_us;
  }
  return outage;
}

TEST_F(ProductionLb, StoppedHaproxyMovesItsVipWithinOneSecondAndItComesBack) {
  ASSERT_EQ(vips_.size(), 2u);
  const VipState vip = vips_.front();  // vip-1, master lb-01
  std::string other;
  for (const auto& v : vips_)
    if (v.master != vip.master) other = v.master;
  ASSERT_FALSE(other.empty()) << DescribeVips(vips_);

  ServiceRestartGuard guard(vip.master, "haproxy");
  auto prober = std::async(std::launch::async, [&] { return ProbeFromClient(vip.address, 4); });
  std::this_thread::sleep_for(1s);  // some good probes first
  const long long fault_us = NowUs();
  const CommandResult stop = Foobar({"stop", vip.master, "haproxy"});
  ASSERT_TRUE(stop.ok()) << lab_test::Describe(stop);
  const auto probes = prober.get();

  const Outage outage = MeasureOutage(probes, fault_us);
  // The probes must cover the fault and well after it, or the measurement says nothing.
  ASSERT_GT(outage.last_probe_us - fault_us, 1'000'000) << "the probes ended too early";
  ASSERT_TRUE(outage.recovered) << "no answer from " << vip.address << " after the stop";
  std::printf("[ measured ] %s unanswered for %lld ms after HAProxy on %s stopped "
              "(%d of %d probes failed after the stop)\n",
              vip.address.c_str(), outage.Ms(), vip.master.c_str(), outage.failed_probes,
              outage.probes_after);
  EXPECT_LT(outage.Ms(), 1000) << "failover took too long";
  // Later failures would mean it flapped.
  EXPECT_LE(outage.failed_probes, 25) << "about 40 ms per probe: more failed than 1 s allows";

  const auto moved = Vips();
  for (const auto& v : moved)
    EXPECT_EQ(v.holders, std::vector<std::string>{other})
        << "the balancer still serving holds every VIP: " << DescribeVips(moved);

  // HAProxy back: keepalived sees it and the master takes its VIP back (preemption, after
  // fork_delay 0.5 s and preempt_delay 2 s).
  const CommandResult start = guard.Start();
  ASSERT_TRUE(start.ok()) << lab_test::Describe(start);
  std::vector<VipState> healed;
  EXPECT_TRUE(PollUntil(10s, [&] { return EveryVipHeldByItsMaster(healed = Vips()); }))
      << "not back to one VIP per balancer: " << DescribeVips(healed);
  for (const auto& lb : LabHostsRunning("haproxy")) EXPECT_EQ(ServiceState(lb, "haproxy"), "up");
  const HttpResponse health = Curl("client", WithSiteAt(vip.address, "/healthz"));
  EXPECT_EQ(health.status, 200) << health.Describe();
}

}  // namespace
}  // namespace foobar::lab_test
