// SeenMembers: records who wrote or joined in a protected group (seen_members), the list batch
// verification (/verifyall, the admin API) will walk.
//
// Off the update's path: Saw() only queues a first sighting, and a writer thread upserts everything
// queued in one statement every flush_interval. So a raid's newcomers, each a first sighting on its
// group's one-at-a-time path, cost no PostgreSQL round trip there, and one statement per batch in all.
// A bounded in-process LRU remembers the (group, user) pairs queued within its ttl, so a chatty user
// costs one write per ttl and verifier, not one per message. The queue holds at most max_pending
// sightings (beyond, they are dropped); a failed write is logged and its sightings forgotten, so the
// next sighting of each tries again. Nothing here ever holds up an update.
// Used by the Verifier on its worker threads. Thread-safe (a mutex around the LRU and the queue). Cost:
// a hash lookup per sighting; one PostgreSQL statement per flush with sightings queued. The destructor
// writes what is still queued.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/bounded_lru.h"
#include "common/base/clock.h"
#include "common/base/periodic_thread.h"
#include "common/pg/pool.h"

namespace subguard::verifier {

struct SeenMembersOptions {
  // --seen_members_cache_entries / SUBGUARD_SEEN_MEMBERS_CACHE_ENTRIES: sightings remembered; default 100000.
  size_t max_entries = 100000;
  // --seen_members_refresh / SUBGUARD_SEEN_MEMBERS_REFRESH: a remembered sighting is written again
  // (last_seen_at) after this long; default 1h.
  absl::Duration refresh = absl::Hours(1);
  // How often queued sightings are written. Fixed: 200ms.
  absl::Duration flush_interval = absl::Milliseconds(200);
  // Sightings queued at most; more are dropped until the next write. Fixed: 10000.
  size_t max_pending = 10000;
};

class SeenMembers {
 public:
  SeenMembers(SeenMembersOptions options, pg::Pool& pool, const base::Clock& clock);
  ~SeenMembers();

  // user_id wrote or joined in group_chat_id.
  void Saw(int64_t group_chat_id, int64_t user_id);
  // Writes the sightings queued now (the writer thread's step; tests call it to see them in the table).
  // Returns once every sighting queued before the call is written (or failed).
  void Flush();

 private:
  using Key = std::pair<int64_t, int64_t>;
  const SeenMembersOptions options_;
  pg::Pool& pool_;
  absl::Mutex flush_mu_;  // one Flush at a time, so a Flush waits for a write already under way
  absl::Mutex mu_;
  base::BoundedLru<Key, bool, absl::Hash<Key>> written_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<Key> pending_ ABSL_GUARDED_BY(mu_);
  base::PeriodicThread writer_;  // last: stopped (by the destructor) before what it uses goes
};

}  // namespace subguard::verifier
