#include "ctl/chaos/timeline_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace foobar::ctl::chaos {
namespace {

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Chart geometry: plot area inside fixed margins (room for both y axes and the legend).
constexpr double kWidth = 960, kHeight = 480;
constexpr double kLeft = 70, kRight = 80, kTop = 78, kBottom = 56;
constexpr double kPlotW = kWidth - kLeft - kRight, kPlotH = kHeight - kTop - kBottom;

}  // namespace

double NiceCeiling(double value) {
  if (!(value > 0)) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
  for (double step : {1.0, 2.0, 5.0, 10.0})
    if (step * magnitude >= value * (1 - 1e-12)) return step * magnitude;
  return 10 * magnitude;
}

Axis NiceAxis(double value) {
  const double top = std::max(0.0, value) * 1.05;  // headroom above the highest point
  Axis axis;
  axis.step = NiceCeiling(top / 5);
  axis.max = std::max(axis.step, std::ceil(top / axis.step - 1e-9) * axis.step);
  return axis;
}

std::string TimelineCsv(const std::vector<TimelineRow>& rows) {
  std::string out = "second,sent,ok,failed,p99_ms\n";
  for (const auto& r : rows) out += fmt::format("{},{},{},{},{:.1f}\n", r.second, r.sent, r.ok, r.failed, r.p99_ms);
  return out;
}

std::string RequestsCsv(const std::vector<RequestRecord>& records, const std::vector<std::string>& addresses) {
  std::string out = "seq,scheduled_s,kind,address,status,ok,error,latency_ms,served_by,retried,key,id\n";
  for (const auto& r : records) {
    const char* kind = r.kind == RequestKind::kWrite ? "write" : r.kind == RequestKind::kReadById ? "read_id" : "read_list";
    const auto index = static_cast<size_t>(r.address_index);
    // Error texts are ours or Asio's messages: no commas or quotes, but be safe.
    std::string error = r.error;
    for (char& c : error)
      if (c == ',' || c == '"' || c == '\n') c = ' ';
    out += fmt::format("{},{:.3f},{},{},{},{},{},{:.1f},{},{},{},{}\n", r.seq, r.scheduled_s, kind,
                       index < addresses.size() ? addresses[index] : "?", r.status, r.ok ? 1 : 0, error, r.latency_ms,
                       r.served_by, r.retried ? 1 : 0, r.idempotency_key, r.message_id);
  }
  return out;
}

std::string TimelineSvg(const std::vector<TimelineRow>& rows, const PlotLabels& labels) {
  const double seconds = static_cast<double>(std::max<size_t>(1, rows.size()));
  double max_sent = 0, max_p99 = 0;
  for (const auto& r : rows) {
    max_sent = std::max(max_sent, static_cast<double>(r.sent));
    max_p99 = std::max(max_p99, r.p99_ms);
  }
  const Axis count_axis = NiceAxis(max_sent);
  const Axis ms_axis = NiceAxis(max_p99);
  const double y_max = count_axis.max;
  const double ms_max = ms_axis.max;
  auto x_of = [&](double s) { return kLeft + s / seconds * kPlotW; };
  auto y_of = [&](double count) { return kTop + kPlotH - count / y_max * kPlotH; };
  auto y_ms = [&](double ms) { return kTop + kPlotH - ms / ms_max * kPlotH; };

  fmt::memory_buffer svg;
  auto out = std::back_inserter(svg);
  fmt::format_to(out,
                 R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
                 R"(font-family="sans-serif" font-size="12">)"
                 "\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
                 kWidth, kHeight);
  fmt::format_to(out, R"(<text x="{}" y="22" font-size="16" font-weight="bold">{}</text>)" "\n", kLeft,
                 XmlEscape(labels.title));
  fmt::format_to(out, R"(<text x="{}" y="40" fill="#444">{}</text>)" "\n", kLeft, XmlEscape(labels.subtitle));

  // The fault window, shaded, behind everything else.
  if (labels.fault_s >= 0) {
    const double end = labels.heal_s >= labels.fault_s ? labels.heal_s : seconds;
    fmt::format_to(out, R"(<rect x="{:.1f}" y="{}" width="{:.1f}" height="{}" fill="#fde2e2"/>)" "\n",
                   x_of(labels.fault_s), kTop, x_of(end) - x_of(labels.fault_s), kPlotH);
  }

  // Grid and both y axes.
  for (double count = 0; count <= y_max + 1e-9; count += count_axis.step) {
    const double y = y_of(count);
    fmt::format_to(out, R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="#ddd"/>)" "\n", kLeft, y,
                   kLeft + kPlotW, y);
    fmt::format_to(out, R"(<text x="{}" y="{:.1f}" text-anchor="end">{:g}</text>)" "\n", kLeft - 6, y + 4, count);
  }
  for (double ms = 0; ms <= ms_max + 1e-9; ms += ms_axis.step)
    fmt::format_to(out, R"(<text x="{}" y="{:.1f}" fill="#1f5fbf">{:g}</text>)" "\n", kLeft + kPlotW + 6, y_ms(ms) + 4, ms);
  // Bars: ok (green) with failed (red) stacked on top, one per second.
  const double bar_w = std::max(1.0, kPlotW / seconds * 0.8);
  for (const auto& r : rows) {
    const double x = x_of(r.second) + (kPlotW / seconds - bar_w) / 2;
    const double ok_top = y_of(static_cast<double>(r.ok));
    const double sent_top = y_of(static_cast<double>(r.sent));
    if (r.ok > 0)
      fmt::format_to(out, R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#4caf50"/>)" "\n", x,
                     ok_top, bar_w, kTop + kPlotH - ok_top);
    if (r.failed > 0)
      fmt::format_to(out, R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#e53935"/>)" "\n", x,
                     sent_top, bar_w, ok_top - sent_top);
  }
  // p99 latency: a line through the middle of each second.
  std::string points;
  for (const auto& r : rows)
    points += fmt::format("{:.1f},{:.1f} ", x_of(r.second + 0.5), y_ms(r.p99_ms));
  fmt::format_to(out, R"(<polyline points="{}" fill="none" stroke="#1f5fbf" stroke-width="2"/>)" "\n", points);

  // Fault and heal markers.
  auto marker = [&](double s, const char* color, const std::string& text) {
    if (s < 0) return;
    fmt::format_to(out, R"(<line x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2}" stroke="{3}" stroke-width="2" stroke-dasharray="6,4"/>)" "\n",
                   x_of(s), kTop - 6, kTop + kPlotH, color);
    fmt::format_to(out, R"(<text x="{:.1f}" y="{}" fill="{}" font-weight="bold">{}</text>)" "\n", x_of(s) + 4,
                   kTop - 8, color, XmlEscape(text));
  };
  marker(labels.fault_s, "#c62828", "fault");
  marker(labels.heal_s, "#2e7d32", "heal");

  // Axes, x ticks and titles.
  fmt::format_to(out, R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#333"/>)" "\n", kLeft, kTop,
                 kPlotW, kPlotH);
  const int x_step = static_cast<int>(NiceCeiling(seconds / 10));
  for (int s = 0; s <= static_cast<int>(seconds); s += std::max(1, x_step))
    fmt::format_to(out, R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>)" "\n", x_of(s),
                   kTop + kPlotH + 16, s);
  fmt::format_to(out, R"(<text x="{}" y="{}" text-anchor="middle">seconds since the load started</text>)" "\n",
                 kLeft + kPlotW / 2, kHeight - 14);
  fmt::format_to(out,
                 R"svg(<text transform="translate(18,{0}) rotate(-90)" text-anchor="middle">requests per second</text>)svg" "\n",
                 kTop + kPlotH / 2);
  fmt::format_to(out,
                 R"svg(<text transform="translate({0},{1}) rotate(90)" text-anchor="middle" fill="#1f5fbf">p99 latency (ms)</text>)svg" "\n",
                 kWidth - 18, kTop + kPlotH / 2);
  // Legend, top right, beside the title (clear of the fault and heal labels).
  const double lx = kLeft + kPlotW - 270, ly = 10;
  fmt::format_to(out,
                 R"(<rect x="{0}" y="{1}" width="12" height="12" fill="#4caf50"/><text x="{2}" y="{3}">ok</text>)"
                 R"(<rect x="{4}" y="{1}" width="12" height="12" fill="#e53935"/><text x="{5}" y="{3}">failed</text>)"
                 R"(<line x1="{6}" y1="{7}" x2="{8}" y2="{7}" stroke="#1f5fbf" stroke-width="2"/><text x="{9}" y="{3}">p99 ms</text>)"
                 R"(<rect x="{10}" y="{1}" width="12" height="12" fill="#fde2e2"/><text x="{11}" y="{3}">fault active</text>)"
                 "\n",
                 lx, ly, lx + 16, ly + 11, lx + 50, lx + 66, lx + 120, ly + 6, lx + 140, lx + 144, lx + 200, lx + 216);
  fmt::format_to(out, "</svg>\n");
  return fmt::to_string(svg);
}

}  // namespace foobar::ctl::chaos
