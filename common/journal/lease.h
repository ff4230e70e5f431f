// Leases: named, expiring locks in Redis with fencing tokens. A partition ("p3") or the long-polling
// election ("poller") is held by at most one owner at a time; whoever holds it carries the lease's
// fence, and every journal write made under the lease checks that the lease still reads
// "<fence>:<owner>" in the same Lua script, so a stale holder changes nothing.
//
// Fences grow with each acquisition. The counter starts from Redis' clock in milliseconds, so even
// after Redis lost its data a new fence is larger than any handed out before.
// Instances that share a set of leases also announce themselves in the set's membership
// (Heartbeat), so each can hold a fair share instead of the first one taking all.
// Called by the ingest's LeaseKeeper. Thread-safe; each call is one script run (one round trip).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/client.h"

namespace subguard::journal {

struct LeaseOptions {
  // The owner's name (--instance_id / SUBGUARD_INSTANCE_ID; default hostname-pid).
  std::string owner;
  // How long a lease lasts without renewal (--lease_ttl / SUBGUARD_LEASE_TTL; default 10s).
  absl::Duration ttl = absl::Seconds(10);
};

struct LeaseGrant {
  uint64_t fence = 0;
  bool acquired = false;  // true: newly acquired (a new fence); false: renewed (the same fence)
};

class Leases {
 public:
  Leases(redis::Pool& pool, LeaseOptions options);

  // Acquires the lease if it is free or expired, or renews it if this owner holds it.
  // kAborted when another owner holds it; kUnavailable when Redis cannot be reached.
  absl::StatusOr<LeaseGrant> AcquireOrRenew(std::string_view name);
  // Gives the lease up if this owner holds it with fence (so another can take it at once).
  absl::Status Release(std::string_view name, uint64_t fence);

  // Marks this owner alive in the lease set called set for one ttl (Redis' clock), forgets members
  // whose mark ran out, and returns how many are alive (this owner included).
  absl::StatusOr<int> Heartbeat(std::string_view set);
  // Leaves the set at once (a clean stop), so the others' shares grow without waiting for the ttl.
  absl::Status Leave(std::string_view set);

  const LeaseOptions& options() const { return options_; }

 private:
  redis::Pool& pool_;
  const LeaseOptions options_;
  const redis::Script acquire_script_;
  const redis::Script release_script_;
  const redis::Script heartbeat_script_;
};

// The value a lease holds while owner holds it with fence; fenced scripts compare against it.
std::string LeaseValue(uint64_t fence, std::string_view owner);

}  // namespace subguard::journal
