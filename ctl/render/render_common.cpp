#include "ctl/render/render_common.h"

#include <fmt/format.h>

#include <stdexcept>

namespace foobar::ctl {

std::string RenderedHeader(const RenderContext& ctx, std::string_view what) {
  return fmt::format("# Rendered by foobar from topology {} — do not edit.\n# {} on {}.\n",
                     ctx.topology.name, what, ctx.host.name);
}

const std::string& RequireAddress(const Host& host, const std::string& network,
                                  std::string_view service) {
  auto it = host.addresses.find(network);
  if (it == host.addresses.end())
    throw std::invalid_argument(
        fmt::format("host '{}' runs {} but has no {} address", host.name, service, network));
  return it->second;
}

std::string ConfigPath(const std::filesystem::path& path) {
  std::string text = path.string();
  if (text.empty() || text.find_first_of(" \t\r\n\"'#;{}\\$") != std::string::npos)
    throw std::invalid_argument(
        fmt::format("path '{}' cannot be written unquoted into a config file", text));
  return text;
}

std::string QuotedString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\')
      out += {'\\', c};
    else if (byte < 0x20 || byte == 0x7F)
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(byte));
    else
      out += c;
  }
  return out + "\"";
}

}  // namespace foobar::ctl
