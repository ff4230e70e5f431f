// PermanentErrorLoop: folds the senders' permanent errors (common/registry/permanent_errors.h) into
// audit_log (GroupStore::RecordError), every tick, through the consumer group every verifier shares,
// so each error is recorded once (at least once, and the insert is keyed by the action id). Each
// verifier runs one; owns one thread. Start and Stop are called once each, from main.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/base/periodic_thread.h"
#include "common/redis/client.h"
#include "services/verifier/group_store.h"

namespace subguard::verifier {

struct PermanentErrorLoopOptions {
  // This verifier's consumer name in the consumer group (--worker_id's value).
  std::string consumer;
  // How often the loop runs. Not a flag: 500 ms.
  absl::Duration tick = absl::Milliseconds(500);
  // An error read by a verifier that died unacknowledged is taken over after this. Not a flag: 30 s.
  absl::Duration claim_idle = absl::Seconds(30);
};

class PermanentErrorLoop {
 public:
  PermanentErrorLoop(PermanentErrorLoopOptions options, redis::Pool& redis, GroupStore& store)
      : options_(std::move(options)), redis_(redis), store_(store) {}
  ~PermanentErrorLoop() { Stop(); }

  void Start();
  void Stop() { loop_.Stop(); }

  // One pass; public for tests.
  absl::Status Fold();

 private:
  const PermanentErrorLoopOptions options_;
  redis::Pool& redis_;
  GroupStore& store_;
  base::PeriodicThread loop_;
};

}  // namespace subguard::verifier
