// The application's request handling behind the HTTP layer: routing, /healthz, /readyz and
// dispatch to MessagesApi. The HTTP session only sees the RequestHandler interface.
#pragma once

#include <string>

#include "app/api_types.h"
#include "app/asio_fwd.h"
#include "app/message_json.h"
#include "app/messages_api.h"
#include "app/readiness.h"
#include "app/release_info.h"

namespace foobar::app {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;

  // Never fails: every outcome, errors included, is a response.
  virtual asio::awaitable<ApiResponse> Handle(ApiRequest request) = 0;
};

class ApiService : public RequestHandler {
 public:
  // `messages` and `readiness` must outlive this object.
  ApiService(MessagesApi& messages, const ReadinessProbe& readiness, std::string host_name)
      : messages_(messages),
        readiness_(readiness),
        host_name_(std::move(host_name)),
        status_json_(StatusJson(host_name_)) {}

  asio::awaitable<ApiResponse> Handle(ApiRequest request) override;

  // A release built broken on purpose (release.toml's fault): GET/HEAD of the fault's path
  // answer its status. Call before serving starts.
  void InjectFault(InjectedFault fault) { fault_ = std::move(fault); }

 private:
  MessagesApi& messages_;
  const ReadinessProbe& readiness_;
  const std::string host_name_;
  // /healthz and /readyz answer the same constant body: made once, not per request.
  const std::string status_json_;
  std::optional<InjectedFault> fault_;
};

}  // namespace foobar::app
