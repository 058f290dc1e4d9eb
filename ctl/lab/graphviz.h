// Drawing a Graphviz DOT text as SVG with Debian's `dot`.
#pragma once

#include <string>

namespace foobar::ctl {

// The SVG `dot -Tsvg` draws for `dot_text`; throws LabError if dot is missing or rejects it.
std::string DotToSvg(const std::string& dot_text);

}  // namespace foobar::ctl
