#include "services/verifier/membership.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/observability/log.h"
#include "common/telegram/errors.h"
#include "services/verifier/decide/membership_rule.h"

namespace subguard::verifier {
namespace {

using decide::MemberStatus;

std::string Encode(MemberStatus status) {
  switch (status) {
    case MemberStatus::kAdmin:
      return "a";
    case MemberStatus::kMember:
      return "m";
    case MemberStatus::kNotMember:
      return "n";
    case MemberStatus::kUnknown:
      break;
  }
  return "u";
}

std::optional<MemberStatus> Decode(const redis::Reply& reply) {
  if (reply.type != redis::Reply::Type::kString) return std::nullopt;
  if (reply.str == "a") return MemberStatus::kAdmin;
  if (reply.str == "m") return MemberStatus::kMember;
  if (reply.str == "n") return MemberStatus::kNotMember;
  if (reply.str == "u") return MemberStatus::kUnknown;
  return std::nullopt;
}

std::string LockKey(int64_t chat_id, int64_t user_id) { return absl::StrCat("sg:memlock:{c", chat_id, "}:", user_id); }

// KEYS[1] the cached value, KEYS[2] the single-flight lock (same hash tag); ARGV[1] the lock's ttl in
// ms. {"hit", value}, or {"lead"} when this caller took the lock, or {"wait"} when another holds it.
// One script, so a caller cannot miss the value and then take a lock its leader just released.
constexpr char kGetOrLockScript[] = R"lua(
local value = redis.call('GET', KEYS[1])
if value then return {'hit', value} end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return {'lead'} end
return {'wait'}
)lua";

}  // namespace

MembershipCache::MembershipCache(MembershipOptions options, redis::Pool& redis, telegram::BotApi& bot_api,
                                 base::Random& random, const base::Clock& clock, VerifierMetrics& metrics)
    : options_(options),
      redis_(redis),
      bot_api_(bot_api),
      random_(random),
      clock_(clock),
      metrics_(metrics),
      get_or_lock_(kGetOrLockScript) {}

std::string MembershipCache::Key(int64_t chat_id, int64_t user_id) {
  return absl::StrCat("sg:mem:{c", chat_id, "}:", user_id);
}

absl::StatusOr<MemberStatus> MembershipCache::AskTelegram(int64_t chat_id, int64_t user_id) {
  metrics_.CountGetChatMember();
  auto member = bot_api_.GetChatMember(chat_id, user_id);
  if (member.ok()) return decide::StatusOf(*member);
  const absl::StatusCode code = member.status().code();
  if (code == absl::StatusCode::kInvalidArgument || code == absl::StatusCode::kPermissionDenied) {
    // The chat is gone or the bot cannot see it: decide with what is known, and /status tells.
    log::Warn("membership_lookup_failed", {{"chat_id", chat_id}, {"user_id", user_id}, {"status", member.status()}});
    return MemberStatus::kUnknown;
  }
  return member.status();
}

bool MembershipCache::Store(const std::string& key, MemberStatus status, const std::string& lock) {
  const absl::Duration base_ttl = decide::IsMember(status) ? options_.member_ttl : options_.not_member_ttl;
  const int64_t ttl_ms =
      std::max<int64_t>(1, absl::ToInt64Milliseconds(base::Jitter(base_ttl, options_.jitter, random_)));
  std::vector<std::vector<std::string>> commands{{"SET", key, Encode(status), "PX", std::to_string(ttl_ms)}};
  if (!lock.empty()) commands.push_back({"DEL", lock});
  // Followers poll the value, so it is set before the lock goes: a pipeline keeps that order.
  return redis_.Pipeline(commands).front().ok();
}

std::optional<MemberStatus> MembershipCache::AwaitLeader(const std::string& key) {
  const absl::Time until = clock_.Now() + options_.follower_wait;
  while (clock_.Now() < until) {
    absl::SleepFor(options_.follower_poll);
    auto reply = redis_.Command({"GET", key});
    if (!reply.ok()) return std::nullopt;
    if (auto status = Decode(*reply)) return status;
  }
  return std::nullopt;
}

absl::StatusOr<MemberStatus> MembershipCache::Lookup(int64_t chat_id, int64_t user_id, bool bypass_cache) {
  const std::string key = Key(chat_id, user_id);
  if (bypass_cache) {
    metrics_.CountLookup("bypass");
    auto status = AskTelegram(chat_id, user_id);
    if (status.ok()) Store(key, *status);
    return status;
  }
  const std::string lock = LockKey(chat_id, user_id);
  auto cached = get_or_lock_.Run(redis_, {key, lock}, {absl::StrCat(absl::ToInt64Milliseconds(options_.lock_ttl))});
  if (!cached.ok() || cached->elements.empty()) {
    metrics_.CountLookup("redis_error");
    return AskTelegram(chat_id, user_id);
  }
  const std::string& outcome = cached->elements[0].str;
  if (outcome == "hit" && cached->elements.size() == 2) {
    if (auto status = Decode(cached->elements[1])) {
      metrics_.CountLookup("hit");
      return *status;
    }
  }
  metrics_.CountLookup("miss");
  if (outcome == "wait") {
    // Another lookup of this user and chat is asking Telegram: wait for its answer.
    if (auto status = AwaitLeader(key)) return *status;
  }
  auto status = AskTelegram(chat_id, user_id);
  const std::string held = outcome == "lead" ? lock : "";
  if (status.ok()) {
    Store(key, *status, held);
  } else if (!held.empty()) {
    redis_.Command({"DEL", held}).IgnoreError();
  }
  return status;
}

void MembershipCache::Remember(int64_t chat_id, int64_t user_id, MemberStatus status) {
  if (status == MemberStatus::kUnknown) return Invalidate(chat_id, user_id);
  if (!Store(Key(chat_id, user_id), status)) {
    log::Warn("membership_remember_failed", {{"chat_id", chat_id}, {"user_id", user_id}});
  }
}

void MembershipCache::Invalidate(int64_t chat_id, int64_t user_id) {
  if (absl::Status status = redis_.Command({"DEL", Key(chat_id, user_id)}).status(); !status.ok()) {
    log::Warn("membership_invalidate_failed", {{"chat_id", chat_id}, {"user_id", user_id}, {"status", status}});
  }
}

}  // namespace subguard::verifier
