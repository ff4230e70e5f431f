#include "services/ingest/partition_owner.h"

#include <vector>

#include "common/base/status_macros.h"
#include "common/journal/keys.h"
#include "common/observability/log.h"
#include "services/ingest/action_lane.h"

namespace subguard::ingest {
namespace {}  // namespace

PartitionOwner::PartitionOwner(PartitionOwnerOptions options, redis::Pool& pool, journal::Journal& journal,
                               const LeaseKeeper& partition_leases, dispatch::Dispatcher& verifiers,
                               dispatch::Dispatcher& senders, const base::Clock& clock, base::Random& random,
                               observability::Registry& registry)
    : options_(std::move(options)),
      journal_(journal),
      reader_(pool, journal.options().owner),
      partition_leases_(partition_leases),
      verifiers_(verifiers),
      senders_(senders),
      clock_(clock),
      random_(random),
      owned_gauge_(prometheus::BuildGauge()
                       .Name("subguard_journal_partitions_owned")
                       .Help("Journal partitions this instance owns and reads")
                       .Register(registry)
                       .Add({})),
      read_(prometheus::BuildCounter()
                .Name("subguard_ingest_entries_read_total")
                .Help("Journal entries read for delivery (new, taken over or swept), by kind")
                .Register(registry)) {}

void PartitionOwner::Start() {
  next_sweep_ = clock_.Now() + options_.sweep_interval;
  thread_ = std::thread([this] { RunPartitions(); });
}

void PartitionOwner::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void PartitionOwner::RunPartitions() {
  while (!stop_.HasBeenNotified()) {
    const absl::Duration pause = Step();
    if (pause > absl::ZeroDuration()) stop_.WaitForNotificationWithTimeout(pause);
  }
}

absl::Duration PartitionOwner::Step() {
  FollowLeases();
  if (owned_.empty()) return options_.idle_pause;
  if (clock_.Now() >= next_sweep_) {
    if (absl::Status status = Sweep(); !status.ok()) return Fail("sweep", status);
    next_sweep_ = clock_.Now() + options_.sweep_interval;
  }
  Drain();
  absl::StatusOr<bool> read = ReadNew();
  if (!read.ok()) return Fail("read", read.status());
  failures_ = 0;
  return *read ? absl::ZeroDuration() : options_.idle_pause;
}

void PartitionOwner::FollowLeases() {
  const absl::flat_hash_map<std::string, uint64_t> held = partition_leases_.Held();
  std::vector<int> lost;
  for (const auto& [partition, fence] : owned_) {
    auto it = held.find(journal::PartitionLeaseName(partition));
    if (it == held.end() || it->second != fence) lost.push_back(partition);
  }
  for (const int partition : lost) Lose(partition);
  for (const auto& [name, fence] : held) {
    const int partition = journal::PartitionOfLeaseName(name);
    if (partition < 0 || owned_.contains(partition)) continue;
    if (absl::Status status = TakeOver(partition, fence); !status.ok()) {
      // Nothing of it is kept: the next round starts the takeover again.
      for (OfferQueue& queue : offers_) queue.DropPartition(partition);
      log::Warn("partition_takeover_failed", {{"partition", partition}, {"error", status}});
    }
  }
  owned_gauge_.Set(static_cast<double>(owned_.size()));
}

absl::Status PartitionOwner::TakeOver(int partition, uint64_t fence) {
  RETURN_IF_ERROR(journal_.EnsureGroups(partition));
  size_t pending = 0;
  for (const journal::StreamKind kind : journal::kStreamKinds) {
    ASSIGN_OR_RETURN(std::vector<journal::Entry> claimed, reader_.ClaimPending({kind, partition}, {}));
    pending += claimed.size();
    for (const journal::Entry& entry : claimed) Queue(entry, fence);
  }
  owned_[partition] = fence;
  log::Info("partition_taken_over",
            {{"partition", partition}, {"fence", fence}, {"pending_redelivered", static_cast<int64_t>(pending)}});
  return absl::OkStatus();
}

void PartitionOwner::Lose(int partition) {
  owned_.erase(partition);
  for (OfferQueue& queue : offers_) queue.DropPartition(partition);
  verifiers_.DropPartition(partition);
  senders_.DropPartition(partition);
  log::Warn("partition_lost", {{"partition", partition}});
}

absl::Status PartitionOwner::Sweep() {
  const journal::ClaimOptions stranded{.others_only = true, .min_idle = options_.sweep_min_idle};
  for (const auto& [partition, fence] : owned_) {
    for (const journal::StreamKind kind : journal::kStreamKinds) {
      ASSIGN_OR_RETURN(std::vector<journal::Entry> claimed, reader_.ClaimPending({kind, partition}, stranded));
      if (!claimed.empty()) {
        log::Warn("stranded_entries_claimed", {{"partition", partition},
                                               {"kind", journal::StreamKindName(kind)},
                                               {"count", static_cast<int64_t>(claimed.size())}});
      }
      for (const journal::Entry& entry : claimed) Queue(entry, fence);
      ASSIGN_OR_RETURN(const int forgotten,
                       reader_.ForgetIdleConsumers({kind, partition}, options_.stale_consumer_idle));
      if (forgotten > 0) {
        log::Info("idle_consumers_forgotten", {{"partition", partition},
                                               {"kind", journal::StreamKindName(kind)},
                                               {"count", static_cast<int64_t>(forgotten)}});
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> PartitionOwner::ReadNew() {
  // A Dispatcher that refused work gets nothing more until what it refused is accepted.
  std::vector<journal::StreamRef> streams;
  for (const auto& [partition, fence] : owned_) {
    for (const journal::StreamKind kind : journal::kStreamKinds) {
      if (offers(kind).empty()) streams.push_back({kind, partition});
    }
  }
  if (streams.empty()) return false;
  absl::StatusOr<std::vector<journal::Entry>> entries =
      reader_.ReadNew(streams, options_.read_batch, options_.read_block);
  if (!entries.ok()) return entries.status();
  for (const journal::Entry& entry : *entries) Queue(entry, owned_[entry.partition]);
  Drain();
  return true;
}

void PartitionOwner::Queue(const journal::Entry& entry, uint64_t fence) {
  read_.Add({{"kind", journal::StreamKindName(entry.kind)}}).Increment();
  dispatch::Item item{
      .journal_id = entry.id, .partition = entry.partition, .fence = fence, .ordering_key = entry.ordering_key};
  const bool parsed = !entry.payload.empty() && (entry.kind == journal::StreamKind::kUpdates
                                                     ? item.delivery.mutable_update()->ParseFromString(entry.payload)
                                                     : item.delivery.mutable_action()->ParseFromString(entry.payload));
  if (!parsed) {
    const absl::Status status =
        journal_.DeadLetter(entry.kind, entry.partition, fence, entry.id, "payload does not parse");
    log::Error("journal_entry_unreadable",
               {{"partition", entry.partition}, {"entry", entry.id}, {"dead_lettered", status}});
    return;
  }
  if (entry.kind != journal::StreamKind::kUpdates) AssignLane(entry.kind, item);
  offers(entry.kind).Push(std::move(item));
}

void PartitionOwner::Drain() {
  offers(journal::StreamKind::kUpdates).Drain([this](const dispatch::Item& item) { return verifiers_.Offer(item); });
  for (const journal::StreamKind kind : {journal::StreamKind::kActions, journal::StreamKind::kRoutineActions}) {
    offers(kind).Drain([this](const dispatch::Item& item) { return senders_.Offer(item); });
  }
}

absl::Duration PartitionOwner::Fail(std::string_view what, const absl::Status& status) {
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    // Redis lost its data, and the consumer groups with it: make them again before the next round.
    for (const auto& [partition, fence] : owned_) {
      if (absl::Status made = journal_.EnsureGroups(partition); !made.ok()) {
        log::Warn("journal_groups_not_made", {{"partition", partition}, {"error", made}});
        break;
      }
    }
  }
  const absl::Duration delay = base::FullJitterDelay(options_.backoff, failures_++, random_);
  log::Warn("journal_read_failed",
            {{"step", what}, {"error", status}, {"retry_in_ms", absl::ToInt64Milliseconds(delay)}});
  return delay;
}

}  // namespace subguard::ingest
