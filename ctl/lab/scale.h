// `foobar scale app +1|-1`: an app server more or less in the lab that is up, with no failed
// request. The new host is written into the lab's record (STATE/topology.toml, between marker
// comments, so `down` removes it like any other host and `-1` knows which ones it added),
// gets its network, firewall, certificate, database account and services (Nginx, the app of the
// fleet's release, exporters), and only then do the load balancers learn of it by a hitless
// HAProxy reload; Prometheus reloads its targets. `-1` removes the last added one: drained in
// every balancer first, out of their configs (reload), then stopped and deleted.
#pragma once

#include <functional>
#include <string>

namespace foobar::ctl {

using ScaleSay = std::function<void(const std::string&)>;

// The host added; throws LabError.
std::string ScaleAppUp(const ScaleSay& say);
// The host removed; throws LabError if `scale` added none.
std::string ScaleAppDown(const ScaleSay& say);

}  // namespace foobar::ctl
