// [security] end_to_end_tls on a database host: MariaDB's copy of its certificate, key and the
// lab CA (ctl/render/tls_paths.h MariadbTlsDir). mariadbd opens them only after it has become
// user `mysql`, which cannot enter the root-only secrets directory; so they are copied into
// the host's data tree and handed to mysql (key 0600, directory 0700).
#pragma once

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// Copies the host's certificate and key and the lab CA from the secrets store, at every start
// (a renewed certificate reaches the server). Does nothing without end-to-end TLS. Throws LabError.
void InstallMariadbTls(const LabContext& lab, const Host& host);

}  // namespace foobar::ctl
