// What every response of the site carries, rendered into Nginx (page, static files, API, its
// own errors, WAF refusals) and HAProxy (its own error answers): the security headers, and for
// an error the daemon answers itself, a JSON body like the app's errors.
// The page loads only its own files, with no inline script or style, so 'self' is all it needs.
#pragma once

#include <utility>

namespace foobar::ctl {

// {name, value}; the CSP value is quoted for Nginx's and HAProxy's config syntax alike.
inline constexpr const char* kSiteSecurityHeaders[][2] = {
    {"Content-Security-Policy",
     "\"default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'\""},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
};

// {status, the "error" text of its JSON body}, for every status Nginx or HAProxy may answer
// with itself (a WAF refusal, a limit, an unreachable app, a slow client).
inline constexpr std::pair<int, const char*> kSiteErrors[] = {
    {400, "bad request"},           {403, "forbidden"},
    {404, "not found"},             {405, "method not allowed"},
    {408, "request timeout"},       {413, "request body too large"},
    {414, "request URI too long"},  {431, "request header fields too large"},
    {500, "internal error"},        {502, "bad gateway"},
    {503, "service unavailable"},   {504, "gateway timeout"},
};

}  // namespace foobar::ctl
