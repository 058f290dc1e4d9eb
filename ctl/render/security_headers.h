// The security headers every response of the site carries: rendered into Nginx (page, static
// files, API, its own errors, WAF refusals) and into HAProxy's own error answers.
// The page loads only its own files, with no inline script or style, so 'self' is all it needs.
#pragma once

namespace foobar::ctl {

// {name, value}; the CSP value is quoted for Nginx's and HAProxy's config syntax alike.
inline constexpr const char* kSiteSecurityHeaders[][2] = {
    {"Content-Security-Policy",
     "\"default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'\""},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
};

}  // namespace foobar::ctl
