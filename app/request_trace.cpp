#include "app/request_trace.h"

namespace foobar::app {
namespace {

thread_local RequestTrace* current_trace = nullptr;

}  // namespace

RequestTrace* CurrentRequestTrace() { return current_trace; }

RequestTraceScope::RequestTraceScope(RequestTrace* trace) : trace_(trace) {
  current_trace = trace;
}

RequestTraceScope::~RequestTraceScope() {
  if (current_trace == trace_) current_trace = nullptr;
}

}  // namespace foobar::app
