// FoldStream: one pass over a Redis stream that the verifiers fold into PostgreSQL through a shared
// consumer group, so each entry is folded once, at least once (decision 0009): entries a consumer read
// and never acknowledged (it died, or the fold failed) are claimed after claim_idle, then new entries
// are read; each entry is handed to fold and, once fold succeeded, acknowledged and deleted. A fold
// keyed by an id in the entry makes a repeated entry harmless.
//
// Called by the verifiers' PermanentErrorLoop (the senders' permanent errors) and the monitors'
// RegistryLoop (the monitor outcomes). Thread-safe as the redis::Pool is.
#pragma once

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/redis/client.h"

namespace subguard::registry {

struct StreamFoldOptions {
  std::string stream;    // e.g. kMonitorOutcomesStream
  std::string group;     // the consumer group, created (with the stream) on first use
  std::string consumer;  // this process's name in the group (--worker_id's value)
  absl::Duration claim_idle = absl::Seconds(30);
  int batch = 200;  // entries per read
};

// fold gets the entry's id and its field list ([field, value, ...]). A fold error stops the pass and
// leaves the entry pending (claimed again after claim_idle).
absl::Status FoldStream(redis::Pool& redis, const StreamFoldOptions& options,
                        absl::FunctionRef<absl::Status(const std::string& id, const redis::Reply& fields)> fold);

}  // namespace subguard::registry
