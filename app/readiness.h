// Whether the app can serve requests that need its database: the answer behind /readyz.
#pragma once

namespace foobar::app {

class ReadinessProbe {
 public:
  virtual ~ReadinessProbe() = default;

  // Cheap and non-blocking: called on the HTTP event loop.
  virtual bool IsReady() const = 0;
};

}  // namespace foobar::app
