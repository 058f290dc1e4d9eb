// A release's schema migrations, applied on the current primary (it replicates them):
//   schema/*.sql           expand steps (additive: new tables, nullable columns, indexes),
//                          applied BEFORE any app server runs the release, so the old and the
//                          new code both work while a deploy rolls;
//   schema/contract/*.sql  contract steps (drop what no running version uses any more),
//                          applied only AFTER every app server runs the release.
// Each file once, in name order, recorded in foobar.schema_migrations ("contract/NAME" for a
// contract step), like `up` does for the source tree's schema/.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// The database host with read_only = 0; throws LabError if there is not exactly one.
const Host& CurrentPrimary(const LabContext& lab);

// Applies the files not applied yet; returns their names. Throws LabError.
std::vector<std::string> ApplyExpandMigrations(const LabContext& lab, const std::filesystem::path& schema_dir);
std::vector<std::string> ApplyContractMigrations(const LabContext& lab, const std::filesystem::path& schema_dir);

}  // namespace foobar::ctl
