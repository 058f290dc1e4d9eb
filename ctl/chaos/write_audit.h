// After a chaos run: is every acknowledged write on the current primary, exactly once?
// Each write carried a unique Idempotency-Key (also the unique part of its body), so the
// rows stored for a key tell lost writes (acknowledged, no row) from duplicates (two rows,
// or a row under another id than the one the 201 returned).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace foobar::ctl {
class AdminConnection;
}

namespace foobar::ctl::chaos {

struct SentWrite {
  std::string key;
  bool acked = false;  // answered 201
  int64_t id = -1;     // the id the 201 returned
};

struct StoredRow {
  std::string key;
  int64_t id = -1;
};

struct WriteAudit {
  uint64_t acked = 0;
  uint64_t lost = 0;             // acknowledged, but no row
  uint64_t duplicates = 0;       // keys with more than one row, or a row under another id
  uint64_t stored_unacked = 0;   // failed or timed out at the client, yet stored once
  std::vector<std::string> lost_keys;       // the first few, for the report
  std::vector<std::string> duplicate_keys;  // the first few
};

// Pure: what `rows` (every row found for the writes' keys) say about `writes`.
WriteAudit AuditWrites(const std::vector<SentWrite>& writes, const std::vector<StoredRow>& rows);

// The body a write with `key` stores: unique per write, and the key can be read back from it
// where the schema has no idempotency_key column yet.
std::string WriteBody(const std::string& key);

// Reads the rows for `keys` from foobar.messages over `db` (by idempotency_key when the
// column exists, else by body).
Result<std::vector<StoredRow>> FetchStoredWrites(AdminConnection& db, const std::vector<std::string>& keys);

}  // namespace foobar::ctl::chaos
