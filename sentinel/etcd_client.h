// A small etcd v3 client over etcd's JSON gateway (HTTP/1.1 POST /v3/..., keys and values in
// base64, 64-bit numbers as strings), on Boost.Beast with a keep-alive connection: one HTTP
// round trip per call, no process per call. Every call is bounded by the timeout; on a
// failure the connection is dropped and the next call tries the next endpoint.
// Not thread-safe: one client per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace foobar::sentinel {

struct KeyValue {
  std::string key;
  std::string value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  int64_t lease = 0;
};

// Builders for the JSON of a transaction (etcd's TxnRequest).
namespace txn {
nlohmann::json ValueEquals(const std::string& key, const std::string& value);
nlohmann::json ModRevisionEquals(const std::string& key, int64_t revision);  // 0: key absent
nlohmann::json Absent(const std::string& key);                               // create_revision = 0
nlohmann::json Put(const std::string& key, const std::string& value, int64_t lease = 0);
nlohmann::json Delete(const std::string& key);
nlohmann::json Range(const std::string& key);
}  // namespace txn

class EtcdClient {
 public:
  EtcdClient(std::vector<std::string> endpoints, std::chrono::milliseconds timeout);
  ~EtcdClient();
  EtcdClient(const EtcdClient&) = delete;
  EtcdClient& operator=(const EtcdClient&) = delete;

  // POST `path` with a JSON body; the JSON answer, or an error (transport, HTTP status and
  // etcd's message).
  Result<nlohmann::json> Call(const std::string& path, const nlohmann::json& body);

  Result<std::optional<KeyValue>> Get(const std::string& key);
  Result<std::vector<KeyValue>> GetPrefix(const std::string& prefix);
  Status Put(const std::string& key, const std::string& value, int64_t lease = 0);
  Status Delete(const std::string& key);
  // True if every comparison held (and `success` ran), false if `failure` ran.
  Result<bool> Txn(const nlohmann::json& compare, const nlohmann::json& success,
                   const nlohmann::json& failure = nlohmann::json::array());

  Result<int64_t> GrantLease(int ttl_s);
  // The lease's remaining TTL after the refresh; 0 when it no longer exists.
  Result<int64_t> KeepAlive(int64_t lease);
  Status Revoke(int64_t lease);

  // The endpoint the last successful call went to.
  const std::string& current_endpoint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The key range end that makes a range request cover every key starting with `prefix`.
std::string PrefixRangeEnd(const std::string& prefix);
// Reads one key-value of a range response.
std::optional<KeyValue> ParseKeyValue(const nlohmann::json& kv);

}  // namespace foobar::sentinel
