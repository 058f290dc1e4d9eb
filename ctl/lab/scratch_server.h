// A throwaway MariaDB server on a copy of a prepared backup: started in a lab host's namespace
// with no network, no binlog, no replication and no grant checks, asked what it holds, and
// removed. It shows that the backup starts, and what its data is exactly at its position,
// without touching the source server or the backup itself.
#pragma once

#include <filesystem>
#include <vector>

#include "ctl/lab/lab_context.h"
#include "ctl/lab/table_checksums.h"

namespace foobar::ctl {

// Copies `prepared_dir` under `host`'s data/backup-verify/, starts mariadbd there (its log in
// `log`), returns the app tables' checksums, stops it and removes the copy. Throws LabError.
std::vector<TableChecksum> ChecksumPreparedCopy(const LabContext& lab, const Host& host,
                                                const std::filesystem::path& prepared_dir,
                                                const std::filesystem::path& log);

}  // namespace foobar::ctl
