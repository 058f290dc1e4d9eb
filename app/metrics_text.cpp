// Text exposition formatting. Numbers go through std::to_chars: locale-independent and the
// shortest round-tripping form, which is what Prometheus's parser expects.
#include "app/metrics_text.h"

#include <charconv>
#include <cmath>

namespace foobar::app {

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  // General form like Go's 'g' (what Prometheus's own clients write): 0.0005, not 5e-04.
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general);
  return std::string(buffer, result.ptr);
}

std::string FormatSampleValue(std::uint64_t value) { return std::to_string(value); }
std::string FormatSampleValue(std::int64_t value) { return std::to_string(value); }

void AppendMetricHeader(std::string& out, std::string_view name, std::string_view type,
                        std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += EscapeHelp(help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void AppendSample(std::string& out, std::string_view name, const Labels& labels,
                  std::string_view value, const std::pair<std::string, std::string>* extra) {
  out += name;
  if (!labels.empty() || extra != nullptr) {
    out += '{';
    bool first = true;
    auto append = [&](const std::string& label, const std::string& label_value) {
      if (!first) out += ',';
      first = false;
      out += label;
      out += "=\"";
      out += EscapeLabelValue(label_value);
      out += '"';
    };
    for (const auto& [label, label_value] : labels) append(label, label_value);
    if (extra != nullptr) append(extra->first, extra->second);
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

}  // namespace foobar::app
