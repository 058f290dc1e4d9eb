// The Prometheus text exposition format 0.0.4, the parts a metric writer needs: HELP/TYPE
// headers, label escaping, sample values. Pure functions, used at scrape time only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace foobar::app {

// What /metrics answers with as Content-Type.
inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// Label names and values of one series, in order.
using Labels = std::vector<std::pair<std::string, std::string>>;

// A label value inside double quotes: backslash, double quote and line feed escaped.
std::string EscapeLabelValue(std::string_view value);

// HELP text: backslash and line feed escaped (quotes are fine there).
std::string EscapeHelp(std::string_view help);

// A sample value: integers without a fraction, "+Inf", "-Inf", "NaN", else the shortest
// decimal that reads back as the same double.
std::string FormatSampleValue(double value);
std::string FormatSampleValue(std::uint64_t value);
std::string FormatSampleValue(std::int64_t value);

// "# HELP name help\n# TYPE name type\n".
void AppendMetricHeader(std::string& out, std::string_view name, std::string_view type,
                        std::string_view help);

// `name{l1="v1",l2="v2"} value\n`; no braces without labels. `extra` (le="0.5") is appended
// after `labels`.
void AppendSample(std::string& out, std::string_view name, const Labels& labels,
                  std::string_view value, const std::pair<std::string, std::string>* extra = nullptr);

}  // namespace foobar::app
