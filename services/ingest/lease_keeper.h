// LeaseKeeper: keeps this instance's leases (journal::Leases) on a set of names, on a thread of its
// own so that a long call elsewhere (the poller's getUpdates) never lets a lease lapse.
//
// Every renew_interval it announces itself in the set's membership (journal::Leases::Heartbeat),
// renews the leases it holds, and acquires free or expired ones up to its fair share,
// ceil(names / live members). Holding more than the share (another instance arrived), it hands
// the excess over: those leases stop counting as held here at once (so the partition owner stops
// offering their work), stay renewed in Redis for handoff_grace (so answers already on their way
// still commit under them), and are then released for the others to take. A lease counts as held until
// ttl after the start of its last successful renewal, so a Redis outage ends it locally no later
// than in Redis. Held() is what the partition owner and the poller act on; their writes are fenced
// in Redis anyway, so a stale view can delay work but never commit it twice. Stop() releases every
// held lease, so another instance takes over at once.
// Thread-safe. Start and Stop are called once each, from main.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/journal/lease.h"
#include "common/observability/metrics.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"

namespace subguard::ingest {

struct LeaseKeeperOptions {
  std::string set_name;            // "partitions" or "poller": a metric label and a log field
  std::vector<std::string> names;  // the leases to keep, e.g. journal::PartitionLeaseName(0..n-1)
  // How often leases are renewed and free ones sought (--lease_renew_interval /
  // SUBGUARD_LEASE_RENEW_INTERVAL; default 3s, about a third of the lease TTL).
  absl::Duration renew_interval = absl::Seconds(3);
  // How long a lease given up for balance stays renewed before it is released
  // (--lease_handoff_grace / SUBGUARD_LEASE_HANDOFF_GRACE; default 2s).
  absl::Duration handoff_grace = absl::Seconds(2);
};

class LeaseKeeper {
 public:
  LeaseKeeper(journal::Leases& leases, LeaseKeeperOptions options, const base::Clock& clock,
              observability::Registry& registry);
  ~LeaseKeeper() { Stop(); }

  // Runs a first round at once (bounded by the Redis connect timeout when Redis is away), then starts
  // the thread.
  void Start();
  // Stops the thread and releases every held lease. Idempotent.
  void Stop();
  // One round of renewals and acquisitions (the thread's body; tests call it directly).
  void Tick();

  // The fence of name while this instance holds it (and is not handing it over).
  std::optional<uint64_t> Fence(std::string_view name) const;
  // Every lease held now, by name.
  absl::flat_hash_map<std::string, uint64_t> Held() const;

 private:
  struct Lease {
    uint64_t fence = 0;
    absl::Time valid_until;
    absl::Time release_at = absl::InfiniteFuture();  // finite while handed over
    bool handed_over() const { return release_at != absl::InfiniteFuture(); }
  };
  void Update(const std::string& name, const absl::StatusOr<journal::LeaseGrant>& grant, absl::Time started);
  // The fair share of names given the live members; every name when Redis cannot say.
  size_t Share(const absl::StatusOr<int>& live) const;
  // Leases held and not handed over.
  size_t ActiveLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Hands over what exceeds share, and releases what was handed over handoff_grace ago.
  void Balance(size_t share);

  journal::Leases& leases_;
  const LeaseKeeperOptions options_;
  const base::Clock& clock_;
  prometheus::Gauge& held_gauge_;
  prometheus::Counter& lost_;
  prometheus::Counter& handed_over_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Lease> held_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace subguard::ingest
