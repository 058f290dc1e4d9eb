// `foobar trace`'s search: the request's lines in the logs of every host of the lab, as hops
// in the order the request went through them (load balancer, app server's Nginx, app).
#pragma once

#include <string>
#include <vector>

#include "ctl/lab/lab_context.h"
#include "ctl/trace/trace_hop.h"

namespace foobar::ctl::trace {

// Every hop of `request_id` found in the lab's haproxy, nginx-access and app logs; empty if
// none has it. A request HAProxy retried on another server has a hop on each.
std::vector<TraceHop> FindRequestHops(const LabContext& lab, const std::string& request_id);

// Sorts hops in path order: by service (haproxy, nginx, app); stable, so hosts stay in
// topology order within a service.
void SortInPathOrder(std::vector<TraceHop>& hops);

}  // namespace foobar::ctl::trace
