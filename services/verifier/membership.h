// MembershipCache: who is a member of which chat, by getChatMember, cached in Redis.
//
// Key sg:mem:{c<chat>}:<user> holds "a" (admin or creator), "m" (member), "n" (not a member) or "u"
// (the lookup failed for good: the bot cannot see the chat). Members and admins are kept
// member_ttl, the rest not_member_ttl, each with +-jitter so a burst's entries do not expire
// together. A miss takes a single-flight lock (sg:memlock:{c<chat>}:<user>, SET NX) so that a burst
// of messages from one user makes one getChatMember per channel: the lock holder asks Telegram and
// stores the answer, the others wait for it (at most follower_wait, then ask themselves).
// With Redis away every lookup goes straight to Telegram: slower, still correct.
//
// Used by the Verifier on its worker threads. Thread-safe. Cost: one Redis round trip (a Lua script:
// read, or take the lock) on a hit; a getChatMember call and one more round trip (store the answer and
// release the lock, pipelined) on a miss.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api.h"
#include "services/verifier/decide/types.h"
#include "services/verifier/metrics.h"

namespace subguard::verifier {

struct MembershipOptions {
  // --membership_member_ttl / SUBGUARD_MEMBERSHIP_MEMBER_TTL; default 10m.
  absl::Duration member_ttl = absl::Minutes(10);
  // --membership_not_member_ttl / SUBGUARD_MEMBERSHIP_NOT_MEMBER_TTL; default 1m.
  absl::Duration not_member_ttl = absl::Minutes(1);
  // Fraction of +-jitter on both TTLs. Fixed: 0.15.
  double jitter = 0.15;
  // Lifetime of the single-flight lock: longer than a getChatMember call takes. Fixed: 5s.
  absl::Duration lock_ttl = absl::Seconds(5);
  // How long a lookup waits for another's result before asking Telegram itself. Fixed: 3s.
  absl::Duration follower_wait = absl::Seconds(3);
  // How often a waiting lookup checks for the result. Fixed: 20ms.
  absl::Duration follower_poll = absl::Milliseconds(20);
};

class MembershipCache {
 public:
  MembershipCache(MembershipOptions options, redis::Pool& redis, telegram::BotApi& bot_api, base::Random& random,
                  const base::Clock& clock, VerifierMetrics& metrics);

  // The user's standing in chat. bypass_cache skips the cached value (the answer is still stored);
  // the "I have joined" button and privilege checks use it. A permanent Bot API error is kUnknown; a
  // transient one (429, 5xx, timeout) is returned as the error: retry the update later.
  absl::StatusOr<decide::MemberStatus> Lookup(int64_t chat_id, int64_t user_id, bool bypass_cache = false);

  // Forgets the cached standing (a chat_member update said it changed). Best effort.
  void Invalidate(int64_t chat_id, int64_t user_id);
  // Caches the standing a chat_member update reported, as a lookup would (same TTLs), so the next lookup
  // needs no getChatMember: Telegram sends an update for every change, and a chat's updates are decided in
  // order, so the last one decided is the current standing. kUnknown forgets instead. Best effort.
  void Remember(int64_t chat_id, int64_t user_id, decide::MemberStatus status);

  static std::string Key(int64_t chat_id, int64_t user_id);

 private:
  // getChatMember, with permanent failures turned into kUnknown.
  absl::StatusOr<decide::MemberStatus> AskTelegram(int64_t chat_id, int64_t user_id);
  // Stores status under key with its TTL and, when lock is not empty, releases that single-flight lock in
  // the same round trip (a pipeline); false when Redis is away.
  bool Store(const std::string& key, decide::MemberStatus status, const std::string& lock = "");
  // Polls key until a value shows up or follower_wait passes.
  std::optional<decide::MemberStatus> AwaitLeader(const std::string& key);

  const MembershipOptions options_;
  redis::Pool& redis_;
  telegram::BotApi& bot_api_;
  base::Random& random_;
  const base::Clock& clock_;
  VerifierMetrics& metrics_;
  const redis::Script get_or_lock_;
};

}  // namespace subguard::verifier
