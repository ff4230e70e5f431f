// GroupPermissions: each group's default member permissions (getChat), which lifting a restriction
// restores. Kept in a small in-process LRU: they rarely change and are needed only on verification.
// Used by the Verifier's worker threads. Thread-safe. Cost: a map lookup; getChat on a miss.
#pragma once

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/bounded_lru.h"
#include "common/base/clock.h"
#include "common/telegram/bot_api.h"
#include "subguard/v1/action.pb.h"

namespace subguard::verifier {

class GroupPermissions {
 public:
  GroupPermissions(telegram::BotApi& bot_api, const base::Clock& clock, size_t max_entries = 10000,
                   absl::Duration ttl = absl::Minutes(10));

  // A transient getChat failure is returned (retry later); a permanent one falls back to what a
  // member may do by default (decide::DefaultMemberPermissions).
  absl::StatusOr<v1::ChatPermissions> Get(int64_t chat_id);

 private:
  telegram::BotApi& bot_api_;
  absl::Mutex mu_;
  base::BoundedLru<int64_t, v1::ChatPermissions> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace subguard::verifier
