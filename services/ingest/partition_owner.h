// PartitionOwner: moves the journal's work to the workers for the partitions this instance holds.
//
// One thread (RunPartitions) follows the partition LeaseKeeper: on acquiring a partition (or
// re-acquiring it with a new fence) it prepares the streams' consumer group and takes over every
// pending entry, so the previous owner's unfinished work is delivered again before anything new;
// on losing one it tells both Dispatchers to drop that partition's queued work. Meanwhile it reads
// new entries of the owned partitions (blocking briefly on Redis, so new work is picked up at once),
// offers updates to the verifier Dispatcher and actions to the sender Dispatcher, and stops reading
// for a Dispatcher that refuses more (backpressure) until its OfferQueue drains. Every
// sweep_interval it also claims entries stranded with other consumers (read by an old owner just
// before it noticed its lease was gone). An entry whose payload does not parse is dead-lettered.
// Completions are commit.h's. Start and Stop are called once each, from main.
#pragma once

#include <array>
#include <cstdint>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/base/backoff.h"
#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/dispatch/dispatcher.h"
#include "common/journal/journal.h"
#include "common/journal/reader.h"
#include "common/observability/metrics.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "services/ingest/lease_keeper.h"
#include "services/ingest/offer_queue.h"

namespace subguard::ingest {

struct PartitionOwnerOptions {
  // Entries read per stream per round (--read_batch / SUBGUARD_READ_BATCH; default 100).
  int read_batch = 100;
  // How long one read waits for new entries (default 100ms; well under the Redis command timeout).
  absl::Duration read_block = absl::Milliseconds(100);
  // The pause when nothing can be read: no partition owned, or every Dispatcher full (default 20ms).
  absl::Duration idle_pause = absl::Milliseconds(20);
  // How often entries stranded with other consumers are claimed, and how long they must have been
  // idle (default 10s each: a lease's lifetime).
  absl::Duration sweep_interval = absl::Seconds(10);
  absl::Duration sweep_min_idle = absl::Seconds(10);
  // The sweep also forgets consumers idle this long with nothing pending: dead instances' names
  // (--stale_consumer_idle / SUBGUARD_STALE_CONSUMER_IDLE; default 1h).
  absl::Duration stale_consumer_idle = absl::Hours(1);
  // Backoff after a Redis error (full jitter).
  base::BackoffPolicy backoff = {.base = absl::Milliseconds(100), .cap = absl::Seconds(5)};
};

class PartitionOwner {
 public:
  PartitionOwner(PartitionOwnerOptions options, redis::Pool& pool, journal::Journal& journal,
                 const LeaseKeeper& partition_leases, dispatch::Dispatcher& verifiers, dispatch::Dispatcher& senders,
                 const base::Clock& clock, base::Random& random, observability::Registry& registry);
  ~PartitionOwner() { Stop(); }

  void Start();
  // Stops reading; work already offered stays with the Dispatchers. Idempotent.
  void Stop();

 private:
  // The thread's body.
  void RunPartitions();
  // One round; returns how long to pause before the next.
  absl::Duration Step();
  void FollowLeases();
  absl::Status TakeOver(int partition, uint64_t fence);
  void Lose(int partition);
  absl::Status Sweep();
  // Reads and queues new entries; false when no stream could be read (nothing owned, or every
  // Dispatcher backed up).
  absl::StatusOr<bool> ReadNew();
  void Queue(const journal::Entry& entry, uint64_t fence);
  void Drain();
  // Logs a failed step, mends missing consumer groups, and returns the backoff before the next round.
  absl::Duration Fail(std::string_view what, const absl::Status& status);

  const PartitionOwnerOptions options_;
  journal::Journal& journal_;
  journal::JournalReader reader_;
  const LeaseKeeper& partition_leases_;
  dispatch::Dispatcher& verifiers_;
  dispatch::Dispatcher& senders_;
  const base::Clock& clock_;
  base::Random& random_;
  prometheus::Gauge& owned_gauge_;
  prometheus::Family<prometheus::Counter>& read_;

  // Owned by the thread.
  absl::flat_hash_map<int, uint64_t> owned_;  // partition -> fence, once taken over
  // Read but not yet accepted, one queue per stream kind (journal::StreamKind's order): a stream is
  // read again only once its queue is empty, so a routine backlog never holds urgent actions back.
  std::array<OfferQueue, std::size(journal::kStreamKinds)> offers_;
  OfferQueue& offers(journal::StreamKind kind) { return offers_[static_cast<size_t>(kind)]; }
  absl::Time next_sweep_;
  int failures_ = 0;

  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace subguard::ingest
