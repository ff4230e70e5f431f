// UpdateQueue: the bot's pending updates, as the official server's per-bot queue (TQueue) holds them.
//
// update_id increases by one per queued update and never restarts, not even across /control/reset, so a
// client's offset stays valid. allowed_updates filters when an update is queued, as Telegram does: a change
// does not touch updates already queued. getUpdates follows Client.cpp do_get_updates: offset confirms and
// forgets every earlier update; a negative offset keeps only the last -offset; an offset past the newest
// update confirms nothing; limit is clamped to 1..100; with no update ready, a call waits up to its timeout
// and answers as soon as one is queued. A newer waiting call ends an older one with 409 "Conflict:
// terminated by other getUpdates request", and getUpdates is a 409 while a webhook is set.
// Bounded: beyond max_pending the oldest updates are dropped (and counted).
// Thread-safe; GetUpdates blocks its caller while it waits.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/sandbox/update_sink.h"

namespace subguard::sandbox {

struct UpdateQueueOptions {
  size_t max_pending = 100000;  // --max_pending_updates
  int64_t first_update_id = 1;  // the first update's update_id
};

struct QueuedUpdate {
  int64_t update_id = 0;
  std::string type;            // "message", "callback_query"...
  int64_t queue_key = 0;       // see UpdateSink::Push
  boost::json::object update;  // the whole Update: {"update_id":N,"<type>":{...}}
};

struct GetUpdatesRequest {
  int64_t offset = 0;
  int limit = 100;
  absl::Duration timeout = absl::ZeroDuration();
};

class UpdateQueue final : public UpdateSink {
 public:
  explicit UpdateQueue(const UpdateQueueOptions& options);

  int64_t Push(std::string_view type, boost::json::value payload, int64_t queue_key) override;

  // getUpdates. Errors: Conflict (webhook set, or ended by a newer call or by setWebhook),
  // InternalServerError when the queue shuts down while the call waits.
  absl::StatusOr<std::vector<QueuedUpdate>> GetUpdates(const GetUpdatesRequest& request);

  // allowed_updates as the official server reads it: a JSON array of type names. Text that is empty, not
  // JSON, or not an array of strings leaves the setting alone; an array naming no known type restores the
  // default (every type but chat_member, message_reaction and message_reaction_count).
  void UpdateAllowed(std::string_view allowed_updates_json);
  bool AllowedIsDefault() const;
  std::vector<std::string> AllowedNames() const;

  // While a webhook is set getUpdates is refused, and a waiting call ends with "terminated by setWebhook
  // request".
  void SetWebhookActive(bool active);

  // For webhook delivery: the oldest pending updates' ids and queue keys, one update by id (if still
  // pending), and forgetting one that was delivered.
  struct PendingKey {
    int64_t update_id = 0;
    int64_t queue_key = 0;
  };
  std::vector<PendingKey> PendingKeys(size_t limit) const;
  std::optional<QueuedUpdate> Find(int64_t update_id) const;
  void Forget(int64_t update_id);

  // Drops every pending update (drop_pending_updates).
  void Clear();
  size_t pending_count() const;
  uint64_t dropped_count() const;
  // getUpdates calls waiting for an update now.
  int waiting_polls() const;

  // Called after each queued update, outside the queue's lock (the webhook pusher wakes on it). Set once,
  // before updates flow.
  void SetListener(std::function<void()> listener);

  // Ends waiting calls and refuses new ones. Idempotent.
  void Shutdown();

 private:
  // Waits until an update from `from` is queued, the call is ended (newer call, webhook, shutdown) or the
  // timeout passes.
  absl::StatusOr<std::vector<QueuedUpdate>> Wait(std::unique_lock<std::mutex>& lock, int64_t generation,
                                                 int64_t webhook_generation, int64_t from, int limit,
                                                 std::chrono::nanoseconds timeout) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The updates a getUpdates from `from` answers.
  std::vector<QueuedUpdate> Collect(int64_t from, int limit) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const UpdateQueueOptions options_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<int64_t, QueuedUpdate> pending_ ABSL_GUARDED_BY(mu_);
  int64_t next_update_id_ ABSL_GUARDED_BY(mu_);
  uint32_t allowed_mask_ ABSL_GUARDED_BY(mu_);
  uint64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t poll_generation_ ABSL_GUARDED_BY(mu_) = 0;     // increases with each call that waits
  int64_t webhook_generation_ ABSL_GUARDED_BY(mu_) = 0;  // increases when a webhook is set
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
  bool webhook_active_ ABSL_GUARDED_BY(mu_) = false;
  bool shutdown_ ABSL_GUARDED_BY(mu_) = false;
  std::function<void()> listener_;
};

}  // namespace subguard::sandbox
