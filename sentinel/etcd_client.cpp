#include "sentinel/etcd_client.h"

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange (Asio 1.18)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>

#include "sentinel/base64.h"

namespace foobar::sentinel {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

namespace {

struct Endpoint {
  std::string url;
  std::string host;
  uint16_t port = 0;
};

std::optional<Endpoint> ParseEndpoint(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) return std::nullopt;
  const std::string rest = url.substr(kScheme.size());
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  unsigned port = 0;
  const std::string port_text = rest.substr(colon + 1);
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
    return std::nullopt;
  return Endpoint{url, rest.substr(0, colon), static_cast<uint16_t>(port)};
}

int64_t Int64(const json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end()) return 0;  // the gateway leaves out zero values
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    int64_t out = 0;
    const std::string& text = it->get_ref<const std::string&>();
    std::from_chars(text.data(), text.data() + text.size(), out);
    return out;
  }
  return 0;
}

}  // namespace

namespace txn {
json ValueEquals(const std::string& key, const std::string& value) {
  return {{"key", Base64Encode(key)}, {"target", "VALUE"}, {"result", "EQUAL"}, {"value", Base64Encode(value)}};
}
json ModRevisionEquals(const std::string& key, int64_t revision) {
  return {{"key", Base64Encode(key)}, {"target", "MOD"}, {"result", "EQUAL"},
          {"mod_revision", std::to_string(revision)}};
}
json Absent(const std::string& key) {
  return {{"key", Base64Encode(key)}, {"target", "CREATE"}, {"result", "EQUAL"}, {"create_revision", "0"}};
}
json Put(const std::string& key, const std::string& value, int64_t lease) {
  json put = {{"key", Base64Encode(key)}, {"value", Base64Encode(value)}};
  if (lease != 0) put["lease"] = std::to_string(lease);
  return {{"request_put", put}};
}
json Delete(const std::string& key) { return {{"request_delete_range", {{"key", Base64Encode(key)}}}}; }
json Range(const std::string& key) { return {{"request_range", {{"key", Base64Encode(key)}}}}; }
}  // namespace txn

std::string PrefixRangeEnd(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last < 0xFF) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');  // every key
}

std::optional<KeyValue> ParseKeyValue(const json& kv) {
  if (!kv.is_object()) return std::nullopt;
  KeyValue out;
  auto key = Base64Decode(kv.value("key", std::string{}));
  auto value = Base64Decode(kv.value("value", std::string{}));
  if (!key || !value) return std::nullopt;
  out.key = std::move(*key);
  out.value = std::move(*value);
  out.create_revision = Int64(kv, "create_revision");
  out.mod_revision = Int64(kv, "mod_revision");
  out.lease = Int64(kv, "lease");
  return out;
}

struct EtcdClient::Impl {
  std::vector<Endpoint> endpoints;
  std::chrono::milliseconds timeout;
  size_t current = 0;
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  // Runs the operation started by `start` to completion on our private io_context.
  template <typename Start>
  beast::error_code RunOne(Start&& start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }

  void Drop() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().close(ignored);
      stream.reset();
    }
    buffer.clear();
  }

  Result<json> Exchange(const std::string& path, const std::string& body) {
    const Endpoint& ep = endpoints[current];
    if (!stream) {
      stream.emplace(io);
      stream->expires_after(timeout);
      beast::error_code ec;
      const auto address = asio::ip::make_address(ep.host, ec);
      if (ec) return Error{0, ep.url + ": not a numeric address"};
      ec = RunOne([&](auto handler) { stream->async_connect(asio::ip::tcp::endpoint(address, ep.port), handler); });
      if (ec) return Error{0, ep.url + ": connect: " + ec.message()};
    }
    http::request<http::string_body> request{http::verb::post, path, 11};
    request.set(http::field::host, ep.host + ":" + std::to_string(ep.port));
    request.set(http::field::content_type, "application/json");
    request.keep_alive(true);
    request.body() = body;
    request.prepare_payload();
    stream->expires_after(timeout);
    auto ec = RunOne([&](auto handler) { http::async_write(*stream, request, handler); });
    if (ec) return Error{0, ep.url + ": write: " + ec.message()};
    http::response<http::string_body> response;
    ec = RunOne([&](auto handler) { http::async_read(*stream, buffer, response, handler); });
    if (ec) return Error{0, ep.url + ": read: " + ec.message()};
    if (!response.keep_alive()) Drop();
    auto parsed = json::parse(response.body(), nullptr, /*allow_exceptions=*/false);
    if (response.result() != http::status::ok) {
      std::string message = parsed.is_object() ? parsed.value("message", std::string{}) : std::string{};
      if (message.empty()) message = response.body().substr(0, 200);
      return Error{static_cast<int>(response.result_int()), ep.url + path + ": " + message};
    }
    if (parsed.is_discarded()) return Error{0, ep.url + path + ": the answer is not JSON"};
    return parsed;
  }
};

EtcdClient::EtcdClient(std::vector<std::string> endpoints, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->timeout = timeout;
  for (const auto& url : endpoints)
    if (auto ep = ParseEndpoint(url)) impl_->endpoints.push_back(*ep);
}

EtcdClient::~EtcdClient() { impl_->Drop(); }

const std::string& EtcdClient::current_endpoint() const { return impl_->endpoints[impl_->current].url; }

Result<json> EtcdClient::Call(const std::string& path, const json& body) {
  if (impl_->endpoints.empty()) return Error{0, "no usable etcd endpoint (http://ADDR:PORT)"};
  auto result = impl_->Exchange(path, body.dump());
  // A transport failure moves on to the next member; an answer from etcd (even an error one,
  // like "lease not found") says this member works.
  if (!result.ok() && result.error().code == 0) {
    impl_->Drop();
    impl_->current = (impl_->current + 1) % impl_->endpoints.size();
  }
  return result;
}

Result<std::optional<KeyValue>> EtcdClient::Get(const std::string& key) {
  auto r = Call("/v3/kv/range", {{"key", Base64Encode(key)}});
  if (!r.ok()) return r.error();
  if (!r->contains("kvs") || (*r)["kvs"].empty()) return std::optional<KeyValue>{};
  auto kv = ParseKeyValue((*r)["kvs"][0]);
  if (!kv) return Error{0, "malformed key-value from etcd"};
  return std::optional<KeyValue>{std::move(*kv)};
}

Result<std::vector<KeyValue>> EtcdClient::GetPrefix(const std::string& prefix) {
  auto r = Call("/v3/kv/range", {{"key", Base64Encode(prefix)}, {"range_end", Base64Encode(PrefixRangeEnd(prefix))}});
  if (!r.ok()) return r.error();
  std::vector<KeyValue> out;
  if (r->contains("kvs"))
    for (const auto& item : (*r)["kvs"])
      if (auto kv = ParseKeyValue(item)) out.push_back(std::move(*kv));
  return out;
}

Status EtcdClient::Put(const std::string& key, const std::string& value, int64_t lease) {
  json body = {{"key", Base64Encode(key)}, {"value", Base64Encode(value)}};
  if (lease != 0) body["lease"] = std::to_string(lease);
  auto r = Call("/v3/kv/put", body);
  if (!r.ok()) return r.error();
  return OkStatus();
}

Status EtcdClient::Delete(const std::string& key) {
  auto r = Call("/v3/kv/deleterange", {{"key", Base64Encode(key)}});
  if (!r.ok()) return r.error();
  return OkStatus();
}

Result<bool> EtcdClient::Txn(const json& compare, const json& success, const json& failure) {
  auto r = Call("/v3/kv/txn", {{"compare", compare}, {"success", success}, {"failure", failure}});
  if (!r.ok()) return r.error();
  return r->value("succeeded", false);
}

Result<int64_t> EtcdClient::GrantLease(int ttl_s) {
  auto r = Call("/v3/lease/grant", {{"TTL", std::to_string(ttl_s)}});
  if (!r.ok()) return r.error();
  const int64_t id = Int64(*r, "ID");
  if (id == 0) return Error{0, "etcd granted no lease: " + r->value("error", std::string{})};
  return id;
}

Result<int64_t> EtcdClient::KeepAlive(int64_t lease) {
  auto r = Call("/v3/lease/keepalive", {{"ID", std::to_string(lease)}});
  if (!r.ok()) return r.error();
  // The gateway streams one {"result": {...}} per request; TTL is left out once it is gone.
  const json& result = r->contains("result") ? (*r)["result"] : *r;
  return Int64(result, "TTL");
}

Status EtcdClient::Revoke(int64_t lease) {
  auto r = Call("/v3/lease/revoke", {{"ID", std::to_string(lease)}});
  if (!r.ok()) return r.error();
  return OkStatus();
}

}  // namespace foobar::sentinel
