#include "services/ingest/lease_keeper.h"

#include "common/base/strings.h"
#include "common/observability/log.h"

namespace subguard::ingest {

LeaseKeeper::LeaseKeeper(journal::Leases& leases, LeaseKeeperOptions options, const base::Clock& clock,
                         observability::Registry& registry)
    : leases_(leases),
      options_(std::move(options)),
      clock_(clock),
      held_gauge_(prometheus::BuildGauge()
                      .Name("subguard_journal_leases_held")
                      .Help("Journal leases this instance holds, by set (partitions, poller)")
                      .Register(registry)
                      .Add({{"set", options_.set_name}})),
      lost_(prometheus::BuildCounter()
                .Name("subguard_journal_leases_lost_total")
                .Help("Leases this instance held and lost to expiry or another owner, by set")
                .Register(registry)
                .Add({{"set", options_.set_name}})),
      handed_over_(prometheus::BuildCounter()
                       .Name("subguard_journal_leases_handed_over_total")
                       .Help("Leases this instance gave up so that every instance holds a fair share, by set")
                       .Register(registry)
                       .Add({{"set", options_.set_name}})) {}

void LeaseKeeper::Start() {
  // The first round runs here, so what is free is held before the callers start.
  Tick();
  thread_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(options_.renew_interval)) Tick();
  });
}

void LeaseKeeper::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
  absl::flat_hash_map<std::string, Lease> held;
  {
    absl::MutexLock lock(&mu_);
    held.swap(held_);
  }
  for (const auto& [name, lease] : held) {
    if (absl::Status status = leases_.Release(name, lease.fence); !status.ok()) {
      log::Warn("lease_release_failed", {{"set", options_.set_name}, {"lease", name}, {"error", status}});
    }
  }
  held_gauge_.Set(0);
  if (absl::Status status = leases_.Leave(options_.set_name); !status.ok()) {
    log::Warn("lease_set_leave_failed", {{"set", options_.set_name}, {"error", status}});
  }
}

void LeaseKeeper::Tick() {
  const absl::StatusOr<int> live = leases_.Heartbeat(options_.set_name);
  // Once Redis is unreachable, the rest of the round would fail the same way: don't ask again.
  absl::Status unavailable;
  if (live.status().code() == absl::StatusCode::kUnavailable) unavailable = live.status();
  const size_t share = Share(live);
  for (const std::string& name : options_.names) {
    {
      absl::MutexLock lock(&mu_);
      if (!held_.contains(name) && ActiveLocked() >= share) continue;  // a fair share is held already
    }
    const absl::Time started = clock_.Now();
    const absl::StatusOr<journal::LeaseGrant> grant =
        unavailable.ok() ? leases_.AcquireOrRenew(name) : absl::StatusOr<journal::LeaseGrant>(unavailable);
    if (grant.status().code() == absl::StatusCode::kUnavailable) unavailable = grant.status();
    Update(name, grant, started);
  }
  if (!unavailable.ok()) log::Warn("leases_unavailable", {{"set", options_.set_name}, {"error", unavailable}});
  if (unavailable.ok()) Balance(share);
  absl::MutexLock lock(&mu_);
  held_gauge_.Set(static_cast<double>(ActiveLocked()));
}

size_t LeaseKeeper::Share(const absl::StatusOr<int>& live) const {
  const size_t names = options_.names.size();
  if (!live.ok() || *live <= 0) return names;
  const size_t members = static_cast<size_t>(*live);
  return (names + members - 1) / members;
}

size_t LeaseKeeper::ActiveLocked() const {
  size_t active = 0;
  for (const auto& [name, lease] : held_) active += lease.handed_over() ? 0 : 1;
  return active;
}

void LeaseKeeper::Balance(size_t share) {
  const absl::Time now = clock_.Now();
  std::vector<std::pair<std::string, uint64_t>> due;
  {
    absl::MutexLock lock(&mu_);
    // The last names go first, so instances agree on which partitions move and none moves twice.
    size_t active = ActiveLocked();
    for (auto name = options_.names.rbegin(); name != options_.names.rend() && active > share; ++name) {
      auto it = held_.find(*name);
      if (it == held_.end() || it->second.handed_over()) continue;
      it->second.release_at = now + options_.handoff_grace;
      --active;
      handed_over_.Increment();
      log::Info("lease_handed_over", {{"set", options_.set_name}, {"lease", *name}, {"share", uint64_t{share}}});
    }
    for (auto it = held_.begin(); it != held_.end();) {
      if (it->second.release_at <= now) {
        due.emplace_back(it->first, it->second.fence);
        held_.erase(it++);
      } else {
        ++it;
      }
    }
  }
  for (const auto& [name, fence] : due) {
    if (absl::Status status = leases_.Release(name, fence); !status.ok()) {
      log::Warn("lease_release_failed", {{"set", options_.set_name}, {"lease", name}, {"error", status}});
    }
  }
}

void LeaseKeeper::Update(const std::string& name, const absl::StatusOr<journal::LeaseGrant>& grant,
                         absl::Time started) {
  absl::MutexLock lock(&mu_);
  auto it = held_.find(name);
  if (grant.ok()) {
    if (grant->acquired) {
      if (it != held_.end()) lost_.Increment();  // it lapsed in Redis meanwhile: a new fence
      log::Info("lease_acquired", {{"set", options_.set_name}, {"lease", name}, {"fence", grant->fence}});
    }
    Lease& lease = held_[name];  // a lease being handed over stays so
    lease.fence = grant->fence;
    lease.valid_until = started + leases_.options().ttl;
    return;
  }
  // Not held, and still not (another owner has it, or Redis is away): Tick logs an outage once.
  if (it == held_.end()) return;
  // Held before. Another owner has it now, or Redis is away: keep it until it would have expired.
  if (grant.status().code() == absl::StatusCode::kAborted || clock_.Now() >= it->second.valid_until) {
    lost_.Increment();
    log::Warn("lease_lost", {{"set", options_.set_name}, {"lease", name}, {"error", grant.status()}});
    held_.erase(it);
  }
}

std::optional<uint64_t> LeaseKeeper::Fence(std::string_view name) const {
  absl::MutexLock lock(&mu_);
  auto it = held_.find(base::ToAbsl(name));
  if (it == held_.end() || it->second.handed_over() || clock_.Now() >= it->second.valid_until) return std::nullopt;
  return it->second.fence;
}

absl::flat_hash_map<std::string, uint64_t> LeaseKeeper::Held() const {
  absl::flat_hash_map<std::string, uint64_t> held;
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  for (const auto& [name, lease] : held_) {
    if (!lease.handed_over() && now < lease.valid_until) held.emplace(name, lease.fence);
  }
  return held;
}

}  // namespace subguard::ingest
