// SeenMembers: records who wrote or joined in a protected group (seen_members), the list batch
// verification (/verifyall, the admin API) will walk.
//
// One upsert per first sighting: a bounded in-process LRU remembers the (group, user) pairs written
// within its ttl, so a chatty user costs one write per ttl and verifier, not one per message. A failed
// write is logged and forgotten (the next sighting tries again); it never holds up an update.
// Used by the Verifier on its worker threads. Thread-safe (a mutex around the LRU). Cost: a hash lookup;
// on a first sighting, one PostgreSQL statement.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/bounded_lru.h"
#include "common/base/clock.h"
#include "common/pg/pool.h"

namespace subguard::verifier {

struct SeenMembersOptions {
  // --seen_members_cache_entries / SUBGUARD_SEEN_MEMBERS_CACHE_ENTRIES: sightings remembered; default 100000.
  size_t max_entries = 100000;
  // --seen_members_refresh / SUBGUARD_SEEN_MEMBERS_REFRESH: a remembered sighting is written again
  // (last_seen_at) after this long; default 1h.
  absl::Duration refresh = absl::Hours(1);
};

class SeenMembers {
 public:
  SeenMembers(SeenMembersOptions options, pg::Pool& pool, const base::Clock& clock)
      : pool_(pool), written_(options.max_entries, options.refresh, clock) {}

  // user_id wrote or joined in group_chat_id.
  void Saw(int64_t group_chat_id, int64_t user_id);

 private:
  using Key = std::pair<int64_t, int64_t>;
  pg::Pool& pool_;
  absl::Mutex mu_;
  base::BoundedLru<Key, bool, absl::Hash<Key>> written_ ABSL_GUARDED_BY(mu_);
};

}  // namespace subguard::verifier
