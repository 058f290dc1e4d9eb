// One request of a chaos run's load as it was planned and what became of it. The load
// generator fills these in; everything measured afterwards (stats, timeline, the audit of
// acknowledged writes) is computed from them alone.
#pragma once

#include <cstdint>
#include <string>

namespace foobar::ctl::chaos {

enum class RequestKind {
  kWrite,     // POST /api/messages with a unique body and Idempotency-Key: ok iff 201
  kReadById,  // GET /api/messages/ID of a write acknowledged earlier: ok iff 200
  kReadList,  // GET /api/messages?limit=5: ok iff 200
};

inline bool IsWrite(RequestKind kind) { return kind == RequestKind::kWrite; }

struct RequestRecord {
  uint64_t seq = 0;
  double scheduled_s = 0;  // when it was due, from the start of the load (open loop)
  // From the scheduled time to the outcome (response or error): a request the generator
  // sent late still pays for the wait, so a stall shows (no coordinated omission).
  double latency_ms = 0;
  RequestKind kind = RequestKind::kReadList;
  int address_index = 0;   // into the addresses the load was spread over
  int status = 0;          // HTTP status, 0 if no response
  bool ok = false;
  std::string error;       // why it failed: "timeout", "refused", "HTTP 503", ...
  std::string idempotency_key;  // writes only
  int64_t message_id = -1;      // the id a 201 returned, or the id a read asked for
  std::string served_by;        // X-Served-By, when a response carried it
  bool retried = false;  // resent once on a fresh connection after a stale keep-alive one
};

}  // namespace foobar::ctl::chaos
