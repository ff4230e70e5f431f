// RegistryLoop: the chat registry's background work in each verifier, one thread, every tick:
//   1. folds the senders' monitor outcomes (common/registry/outcomes.h, read through a consumer group
//      shared by every verifier, so each entry is folded once) into ChatRegistry: counts, cool-downs
//      and held posts;
//   2. for each destination whose cool-down is over and that holds posts (ChatRegistry::ClaimFlushes,
//      once across verifiers), appends a MonitorFlush update to the journal: a verifier takes it like
//      any update and answers it with the held posts' actions, under their original ids;
//   3. every prune interval, prunes the chats unseen for --monitor_registry_prune_after.
// Start and Stop are called once each, from main.
#pragma once

#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/journal/journal.h"
#include "common/redis/client.h"
#include "services/verifier/monitors/chat_registry.h"

namespace subguard::verifier::monitors {

struct RegistryLoopOptions {
  // This verifier's consumer name in the outcomes' consumer group (--worker_id's value).
  std::string consumer;
  // --monitor_registry_prune_after: chats unseen this long are pruned (default 720h, 30 days); they
  // are pruned every hour, or every prune_after when that is shorter.
  absl::Duration prune_after = absl::Hours(24 * 30);
  // How often the loop runs. Not a flag: 500 ms.
  absl::Duration tick = absl::Milliseconds(500);
  // An outcome read by a verifier that died unacknowledged is taken over after this. Not a flag: 30 s.
  absl::Duration claim_idle = absl::Seconds(30);
};

class RegistryLoop {
 public:
  RegistryLoop(RegistryLoopOptions options, redis::Pool& redis, journal::Journal& journal, ChatRegistry& registry)
      : options_(std::move(options)), redis_(redis), journal_(journal), registry_(registry) {}
  ~RegistryLoop() { Stop(); }

  void Start();
  void Stop();

  // One pass of each step; public for tests.
  absl::Status FoldOutcomes();
  absl::Status RequestFlushes();

 private:
  absl::Status EnsureGroup();
  // Folds the entries of an XREADGROUP/XAUTOCLAIM entry list ([[id, [field, value, ...]], ...]).
  absl::Status Fold(const redis::Reply& entries);

  const RegistryLoopOptions options_;
  redis::Pool& redis_;
  journal::Journal& journal_;
  ChatRegistry& registry_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace subguard::verifier::monitors
