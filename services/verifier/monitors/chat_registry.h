// ChatRegistry: the delivery side of the chat registry in PostgreSQL (the chats table of
// migrations/0001 and 0005, held_posts of 0005): what the senders' outcomes of monitor deliveries
// mean for each destination (successes, failures, last error, a cool-down growing with the failures
// in a row and reset on success), the posts held for a destination in cool-down and their flush in
// order, the lazy refresh of last_seen_at, and the pruning of chats unseen for long
// (docs/monitors.md, decisions/0008 and 0009).
//
// Called by Monitors (holding posts, a flush's posts) on the dispatch Worker's threads and by the
// RegistryLoop (outcomes, flush claims, pruning) on its own. Thread-safe: every method is one
// transaction on the pool; the seen cache is guarded by a mutex. Errors are the pool's (kUnavailable
// while PostgreSQL is away: retry later).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/pg/pool.h"
#include "common/registry/outcomes.h"
#include "services/verifier/monitors/cooldown.h"
#include "services/verifier/monitors/registry_metrics.h"
#include "subguard/v1/action.pb.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::monitors {

struct ChatRegistryOptions {
  // --monitor_cooldown_base / --monitor_cooldown_max: a failing destination rests 60 s, doubling
  // with each failure in a row up to 1 h (cooldown.h).
  CooldownPolicy cooldown;
  // --monitor_max_held_per_destination: posts held per destination at most (default 1000); the
  // oldest beyond it are dropped, counted and logged.
  int64_t max_held_per_destination = 1000;
  // A chat's last_seen_at is written at most this often per chat and verifier. Not a flag: 1 min.
  absl::Duration seen_refresh = absl::Minutes(1);
  // Chats the seen cache remembers at most; it starts over when full. Not a flag: 10000.
  size_t seen_cache_max_entries = 10000;
};

class ChatRegistry {
 public:
  ChatRegistry(ChatRegistryOptions options, pg::Pool& pool, const base::Clock& clock, base::Random& random,
               RegistryMetrics& metrics)
      : options_(options), pool_(pool), clock_(clock), random_(random), metrics_(metrics) {}

  // Folds one outcome into the destination's row: a success counts, clears the cool-down and
  // releases the post if it was held; a failure counts, records the error, starts (or, within one,
  // keeps) the cool-down and holds the post; a refusal of the post itself (Unsendable, posts.h)
  // counts and records the error, and drops the post (releases it if held) without a cool-down. True when the
  // destination's standing changed (this failure started a cool-down, or this success ended failures in a row): the
  // bot's status there is worth refreshing.
  absl::StatusOr<bool> RecordOutcome(const registry::MonitorOutcome& outcome);
  // Records the bot's status in chat_id ("left", "kicked", "member", ...), as getChatMember told it
  // after a refusal.
  absl::Status SetBotStatus(int64_t chat_id, std::string_view bot_status);

  // The destinations among dest_ids whose posts must be held: in cool-down, or with posts held
  // already (so nothing overtakes them).
  absl::StatusOr<absl::flat_hash_set<int64_t>> Holding(const std::vector<int64_t>& dest_ids);
  // Holds actions (once per action id), dropping each destination's oldest beyond the bound.
  absl::Status Hold(const std::vector<v1::Action>& actions);
  // The posts held for dest_chat_id, in the order their updates came.
  absl::StatusOr<std::vector<v1::Action>> Held(int64_t dest_chat_id);
  // Deletes dest_chat_id's held posts action_ids (their monitor was removed), logged and counted.
  absl::Status Drop(int64_t dest_chat_id, const std::vector<std::string>& action_ids);
  // Destinations with held posts whose cool-down is over and whose previous flush is done (or older
  // than the cool-down base); marks them flush-requested and returns them. Across verifiers each
  // destination is claimed once.
  absl::StatusOr<std::vector<int64_t>> ClaimFlushes();

  // Refreshes the chat's row (title, username, last_seen_at; creating it if it was pruned) when this
  // verifier has not within seen_refresh.
  absl::Status Seen(const v1::Chat& chat);
  // Deletes the chats unseen for longer than unseen_for that hold no posts; returns how many.
  absl::StatusOr<int64_t> Prune(absl::Duration unseen_for);

 private:
  const ChatRegistryOptions options_;
  pg::Pool& pool_;
  const base::Clock& clock_;
  base::Random& random_;
  RegistryMetrics& metrics_;
  absl::Mutex mu_;
  absl::flat_hash_map<int64_t, absl::Time> seen_ ABSL_GUARDED_BY(mu_);  // chat -> last write
};

}  // namespace subguard::verifier::monitors
