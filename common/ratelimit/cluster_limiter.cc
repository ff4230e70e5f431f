#include "common/ratelimit/cluster_limiter.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/observability/log.h"

namespace subguard::ratelimit {
namespace {

// KEYS: pause keys (2), the ticket key ("" for none), then bucket keys; ARGV: horizon ms, grace ms, then
// rate (per second) and burst of each bucket, in order. Returns {wait in ms, 1 if the ticket's reservation
// came too late and was voided}: wait 0 when the call may go now (a token taken from each bucket, or its
// reservation come due). bucket.cc's Refill/Take in Lua, plus reservations (cluster_limiter.h).
const redis::Script kAcquire(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local horizon = tonumber(ARGV[1])
local grace = tonumber(ARGV[2])
local wait = 0
for i = 1, 2 do
  local p = tonumber(redis.call('PTTL', KEYS[i]))
  if p > wait then wait = p end
end
if wait > 0 then return {wait, 0} end
local ticket = KEYS[3]
local voided = 0
if ticket ~= '' then
  local slot = tonumber(redis.call('GET', ticket))
  if slot ~= nil then
    if now < slot then return {slot - now, 0} end
    redis.call('DEL', ticket)
    if now <= slot + grace then return {0, 0} end
    voided = 1
  end
end
local levels = {}
for i = 4, #KEYS do
  local rate = tonumber(ARGV[2 * (i - 3) + 1])
  local burst = tonumber(ARGV[2 * (i - 3) + 2])
  local s = redis.call('HMGET', KEYS[i], 't', 'ts')
  local level = tonumber(s[1])
  local ts = tonumber(s[2])
  if level == nil or ts == nil then
    level = burst
  elseif now > ts then
    level = math.min(burst, level + (now - ts) * rate / 1000)
  end
  levels[i] = level
  if level < 1 then
    local w = math.ceil((1 - level) * 1000 / rate)
    if w > wait then wait = w end
  end
end
if wait > 0 and (ticket == '' or wait > horizon) then return {wait, voided} end
for i = 4, #KEYS do
  local rate = tonumber(ARGV[2 * (i - 3) + 1])
  local burst = tonumber(ARGV[2 * (i - 3) + 2])
  local level = levels[i] - 1
  redis.call('HSET', KEYS[i], 't', tostring(level), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil((burst - level) * 1000 / rate) + 1000)
end
if wait > 0 then redis.call('SET', ticket, tostring(now + wait), 'PX', wait + grace + 60000) end
return {wait, voided}
)lua");

// KEYS[1]: the pause key; ARGV[1]: ms. Never shortens a longer pause.
const redis::Script kPause(R"lua(
local ms = tonumber(ARGV[1])
if tonumber(redis.call('PTTL', KEYS[1])) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 0
)lua");

std::string ChatTag(int64_t chat_id) { return absl::StrCat("sg:rl:{c", chat_id, "}"); }

std::string PauseKey(const Scope& scope) {
  if (scope.call_class == CallClass::kMessage) return ChatTag(scope.chat_id) + ":pause";
  return absl::StrCat("sg:rl:{bot}:pause:", base::ToAbsl(CallClassName(scope.call_class)));
}

void AddBucket(const std::string& key, const BucketSpec& spec, std::vector<std::string>& keys,
               std::vector<std::string>& args) {
  if (spec.rate <= 0) return;  // unlimited
  keys.push_back(key);
  args.push_back(absl::StrCat(spec.rate));
  args.push_back(absl::StrCat(spec.burst));
}

}  // namespace

ClusterLimiter::ClusterLimiter(ClusterLimiterOptions options, redis::Pool& redis, const base::Clock& clock,
                               observability::Registry& registry)
    : options_(std::move(options)),
      redis_(redis),
      clock_(clock),
      fallback_(options_.limits, options_.fallback_share, clock),
      fallback_gauge_(prometheus::BuildGauge()
                          .Name("subguard_ratelimit_fallback")
                          .Help("1 while this process holds the Bot API limits alone (Redis unreachable)")
                          .Register(registry)
                          .Add({})),
      voided_(prometheus::BuildCounter()
                  .Name("subguard_ratelimit_reservations_voided_total")
                  .Help("Reserved slots lost because their call came back too late (tokens wasted)")
                  .Register(registry)
                  .Add({})) {}

absl::Duration ClusterLimiter::Acquire(const Scope& scope) {
  if (!ShouldTryRedis()) return fallback_.Acquire(scope);
  const std::string class_name(CallClassName(scope.call_class));
  std::vector<std::string> keys{absl::StrCat("sg:rl:{bot}:pause:", class_name)};
  keys.push_back(scope.call_class == CallClass::kMessage ? PauseKey(scope) : keys.front());
  keys.push_back(scope.ticket.empty() ? "" : absl::StrCat(ChatTag(scope.chat_id), ":t:", base::ToAbsl(scope.ticket)));
  const bool group_message = scope.call_class == CallClass::kMessage && IsGroup(scope.chat_id);
  const absl::Duration horizon = group_message ? options_.group_reserve_horizon : options_.reserve_horizon;
  std::vector<std::string> args{absl::StrCat(absl::ToInt64Milliseconds(horizon)),
                                absl::StrCat(absl::ToInt64Milliseconds(options_.reserve_grace))};
  AddBucket(absl::StrCat("sg:rl:{bot}:", class_name), BotBucket(options_.limits, scope.call_class), keys, args);
  if (scope.call_class == CallClass::kMessage) {
    AddBucket(ChatTag(scope.chat_id) + ":msg", options_.limits.chat_messages, keys, args);
    if (IsGroup(scope.chat_id)) AddBucket(ChatTag(scope.chat_id) + ":grp", options_.limits.group_messages, keys, args);
  }
  absl::StatusOr<redis::Reply> reply = kAcquire.Run(redis_, keys, args);
  NoteRedis(reply.status());
  if (!reply.ok() || reply->elements.size() != 2) return fallback_.Acquire(scope);
  if (reply->elements[1].integer != 0) voided_.Increment();
  return absl::Milliseconds(reply->elements[0].integer);
}

void ClusterLimiter::Pause(const Scope& scope, absl::Duration retry_after) {
  fallback_.Pause(scope, retry_after);
  if (!ShouldTryRedis()) return;
  const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(retry_after));
  NoteRedis(kPause.Run(redis_, {PauseKey(scope)}, {absl::StrCat(ms)}).status());
}

absl::Status ClusterLimiter::Health() const {
  if (!falling_back_.load()) return absl::OkStatus();
  return absl::UnavailableError("Bot API limits held locally (a share of them): Redis unreachable");
}

bool ClusterLimiter::ShouldTryRedis() {
  if (!falling_back_.load()) return true;
  std::lock_guard lock(mu_);
  const absl::Time now = clock_.Now();
  if (now - last_probe_ < options_.probe_interval) return false;
  last_probe_ = now;
  return true;
}

void ClusterLimiter::NoteRedis(const absl::Status& status) {
  const bool failing = !status.ok();
  if (falling_back_.exchange(failing) == failing) return;
  fallback_gauge_.Set(failing ? 1 : 0);
  if (failing) {
    {
      std::lock_guard lock(mu_);
      last_probe_ = clock_.Now();
    }
    log::Warn("ratelimit_fallback", {{"share", options_.fallback_share}, {"error", status}});
  } else {
    log::Info("ratelimit_redis_back");
  }
}

}  // namespace subguard::ratelimit
