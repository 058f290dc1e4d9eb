// The JSON shapes of API responses. All serialisation goes through here so the contract's
// shapes live in one file, and every dump replaces invalid UTF-8 instead of throwing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/api_types.h"
#include "app/message.h"

namespace foobar::app {

// {"id":1,"author":"..","body":"..","created_at":".."}
std::string MessageJson(const Message& message);

// {"messages":[...]}
std::string MessageListJson(const std::vector<Message>& messages);

// {"error":"..."}
std::string ErrorJson(std::string_view message);

// {"status":"ok","host":"...","version":"..."} (the running release, see version.h)
std::string StatusJson(std::string_view host_name);

// A response with status `status` and body {"error": message}.
ApiResponse ErrorResponse(int status, std::string_view message);

}  // namespace foobar::app
