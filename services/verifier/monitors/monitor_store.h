// MonitorStore: the monitors table, recorded posts and the monitors' side of the chat registry in
// PostgreSQL (migrations/0003_monitors.sql, chats in 0001). Every method is one transaction on the
// pool; errors are the pool's (kUnavailable while PostgreSQL is away: retry later).
// Thread-safe. Cost: one transaction, one or two statements.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/pg/pool.h"
#include "services/verifier/monitors/types.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::monitors {

// A chat's row in the registry, as /monitor status shows it.
struct ChatState {
  int64_t chat_id = 0;
  std::string title;
  std::string bot_status;  // "" unknown
  int64_t successes = 0;
  int64_t failures = 0;
  std::string last_error;
  int64_t cooldown_s = 0;    // seconds of cool-down left; 0 when none
  int64_t held_posts = 0;    // monitor posts held for it
  double reliability = 0.5;  // (successes + 1) / (successes + failures + 2)
};

// Why the chat cannot be used now ("" when it can): the bot's status there, a cool-down, held posts.
std::string NotReadyReason(const ChatState& chat);

class MonitorStore {
 public:
  explicit MonitorStore(pg::Pool& pool) : pool_(pool) {}

  // The monitors whose source is source_chat_id, by id.
  absl::StatusOr<std::vector<Monitor>> ForSource(int64_t source_chat_id);
  // The monitors owner_user_id added, by id.
  absl::StatusOr<std::vector<Monitor>> ForOwner(int64_t owner_user_id);
  // The monitors whose destination is dest_chat_id, by id.
  absl::StatusOr<std::vector<Monitor>> ForDestination(int64_t dest_chat_id);
  // Whether chat_id is the source of any monitor (SourceCache's loader).
  absl::StatusOr<bool> IsSource(int64_t chat_id);
  // Every monitor, by id (the admin API's operator view).
  absl::StatusOr<std::vector<Monitor>> All();

  // Adds the monitor, or replaces the options and owner of the one with the same source,
  // destination and mode; returns it with its id.
  absl::StatusOr<Monitor> Add(Monitor monitor);
  // Removes the owner's monitor id; false when the owner has no such monitor.
  absl::StatusOr<bool> Remove(int64_t owner_user_id, int64_t monitor_id);

  // Stores a post of a recorded source once; an edit (edited) updates its text.
  absl::Status RecordPost(const v1::Message& post, bool edited);

  // Records a chat the bot resolved, with the bot's status there ("administrator", "member", ...).
  absl::Status RememberChat(const v1::Chat& chat, std::string_view bot_status);
  // The monitors' chats (sources and destinations) that are not ready (NotReadyReason): the bot's
  // last known status lets it neither read nor post (unknown, left, kicked, restricted), or a
  // destination is cooling down or holding posts. For the startup summary.
  absl::StatusOr<std::vector<ChatState>> NotReady();
  // The registry rows of chat_ids that have one.
  absl::StatusOr<std::vector<ChatState>> Chats(const std::vector<int64_t>& chat_ids);

 private:
  pg::Pool& pool_;
};

}  // namespace subguard::verifier::monitors
