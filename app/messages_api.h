// Handlers of /api/messages: turn a validated request into MessageStore calls and the
// store's answers into responses. Storage errors become 503 without detail (the text says
// only what the client can act on: no writable database, or "may or may not have been
// stored").
#pragma once

#include <string>
#include <vector>

#include "app/api_types.h"
#include "app/asio_fwd.h"
#include "app/message_store.h"

namespace foobar::app {

class MessagesApi {
 public:
  // `store` must outlive this object.
  explicit MessagesApi(MessageStore& store) : store_(store) {}

  // Parameters by value: these are coroutines and must own what they read after a
  // suspension. `cookie` is the request's Cookie header (for fb_rw, see rw_cookie.h).
  asio::awaitable<ApiResponse> List(std::string query, std::string cookie);  // GET /api/messages
  asio::awaitable<ApiResponse> Get(std::string id_segment,
                                   std::string cookie);          // GET /api/messages/ID
  asio::awaitable<ApiResponse> Create(std::string content_type,  // POST /api/messages
                                      std::string body, std::vector<std::string> idempotency_keys);

 private:
  MessageStore& store_;
};

}  // namespace foobar::app
