// `foobar scale app +1|-1`: one app server more or less in the running lab, with hitless
// HAProxy reloads (ctl/lab/scale.h).
#include <chrono>
#include <cstdio>
#include <memory>

#include "ctl/commands/commands.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/scale.h"

namespace foobar::ctl {

Subcommand AddScaleCommand(CLI::App& cli) {
  auto tier = std::make_shared<std::string>();
  auto delta = std::make_shared<std::string>();
  auto* sub = cli.add_subcommand("scale", "Add (+1) or remove (-1) an app server in the running lab, with no failed request");
  sub->add_option("tier", *tier, "app")->required();
  sub->add_option("delta", *delta, "+1 or -1")->required();
  return {sub, [tier, delta] {
            if (*tier != "app") throw LabError("only the app tier scales (`foobar scale app +1`), not '" + *tier + "'");
            if (*delta != "+1" && *delta != "-1") throw LabError("scale by +1 or -1, not '" + *delta + "'");
            const auto start = std::chrono::steady_clock::now();
            auto say = [start](const std::string& line) {
              std::printf("[%5.1f s] %s\n",
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), line.c_str());
              std::fflush(stdout);
            };
            const std::string host = *delta == "+1" ? ScaleAppUp(say) : ScaleAppDown(say);
            std::printf("%s %s in %.1f s\n", *delta == "+1" ? "added" : "removed", host.c_str(),
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            return 0;
          }};
}

}  // namespace foobar::ctl
