#include "common/journal/lease.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/journal/keys.h"

namespace subguard::journal {
namespace {

// KEYS: lease, fence counter. ARGV: owner, ttl in ms.
// Returns {1, fence} renewed, {2, fence} acquired, {0, fence} held by another.
constexpr char kAcquireOrRenew[] = R"lua(
local current = redis.call('GET', KEYS[1])
if current then
  local sep = string.find(current, ':', 1, true)
  local fence = string.sub(current, 1, sep - 1)
  if string.sub(current, sep + 1) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return {1, fence}
  end
  return {0, fence}
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  local now = redis.call('TIME')
  redis.call('SET', KEYS[2], string.format('%d', now[1] * 1000 + math.floor(now[2] / 1000)))
end
local fence = redis.call('INCR', KEYS[2])
fence = string.format('%d', fence)
redis.call('SET', KEYS[1], fence .. ':' .. ARGV[1], 'PX', ARGV[2])
return {2, fence}
)lua";

// KEYS: lease. ARGV: the value it must hold.
constexpr char kRelease[] = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

// KEYS: members. ARGV: owner, ttl in ms. Returns the number of live members.
constexpr char kHeartbeat[] = R"lua(
local now = redis.call('TIME')
local ms = now[1] * 1000 + math.floor(now[2] / 1000)
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
return redis.call('ZCARD', KEYS[1])
)lua";

}  // namespace

Leases::Leases(redis::Pool& pool, LeaseOptions options)
    : pool_(pool),
      options_(std::move(options)),
      acquire_script_(kAcquireOrRenew),
      release_script_(kRelease),
      heartbeat_script_(kHeartbeat) {}

std::string LeaseValue(uint64_t fence, std::string_view owner) { return absl::StrCat(fence, ":", base::ToAbsl(owner)); }

absl::StatusOr<LeaseGrant> Leases::AcquireOrRenew(std::string_view name) {
  auto reply = acquire_script_.Run(pool_, {LeaseKey(name), FenceKey(name)},
                                   {options_.owner, absl::StrCat(absl::ToInt64Milliseconds(options_.ttl))});
  if (!reply.ok()) return reply.status();
  uint64_t fence = 0;
  if (reply->elements.size() != 2 || !absl::SimpleAtoi(reply->elements[1].str, &fence)) {
    return absl::InternalError(absl::StrCat("lease ", base::ToAbsl(name), ": unexpected script reply"));
  }
  switch (reply->elements[0].integer) {
    case 1:
      return LeaseGrant{.fence = fence, .acquired = false};
    case 2:
      return LeaseGrant{.fence = fence, .acquired = true};
    default:
      return absl::AbortedError(absl::StrCat("lease ", base::ToAbsl(name), " is held by another owner"));
  }
}

absl::Status Leases::Release(std::string_view name, uint64_t fence) {
  return release_script_.Run(pool_, {LeaseKey(name)}, {LeaseValue(fence, options_.owner)}).status();
}

absl::StatusOr<int> Leases::Heartbeat(std::string_view set) {
  auto reply = heartbeat_script_.Run(pool_, {MembersKey(set)},
                                     {options_.owner, absl::StrCat(absl::ToInt64Milliseconds(options_.ttl))});
  if (!reply.ok()) return reply.status();
  return static_cast<int>(reply->integer);
}

absl::Status Leases::Leave(std::string_view set) {
  return pool_.Command({"ZREM", MembersKey(set), options_.owner}).status();
}

}  // namespace subguard::journal
