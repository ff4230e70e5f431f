#include "services/verifier/monitors/chat_registry.h"

#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/observability/log.h"
#include "services/verifier/monitors/posts.h"

namespace subguard::verifier::monitors {
namespace {

// The failures in a row so far, and whether the destination is resting now (a failure within the
// cool-down does not lengthen it). Locks the row; creates it when the chat is unknown (pruned).
constexpr char kLockChat[] = R"sql(
  INSERT INTO chats (chat_id, last_seen_at) VALUES ($1, now())
  ON CONFLICT (chat_id) DO UPDATE SET last_seen_at = now()
  RETURNING consecutive_failures, COALESCE(cooldown_until > now(), FALSE))sql";
constexpr char kSucceeded[] = R"sql(
  UPDATE chats SET successes = successes + 1, consecutive_failures = 0, cooldown_until = NULL,
                   updated_at = now()
  WHERE chat_id = $1)sql";
constexpr char kFailed[] = R"sql(
  UPDATE chats SET failures = failures + 1, consecutive_failures = $2, last_error = $3,
                   cooldown_until = CASE WHEN $4 THEN now() + make_interval(secs => $5) ELSE cooldown_until END,
                   updated_at = now()
  WHERE chat_id = $1)sql";
// A post Telegram will never send: counted and named, but the destination does not cool down.
constexpr char kUnsendable[] = R"sql(
  UPDATE chats SET failures = failures + 1, last_error = $2, updated_at = now() WHERE chat_id = $1)sql";
constexpr char kBotStatus[] = "UPDATE chats SET bot_status = $2, updated_at = now() WHERE chat_id = $1";
// Whether the monitor an action was made for still exists.
constexpr char kMonitored[] = R"sql(
  SELECT EXISTS (SELECT 1 FROM monitors WHERE source_chat_id = $1 AND dest_chat_id = $2 AND mode = $3))sql";
constexpr char kRelease[] = "DELETE FROM held_posts WHERE dest_chat_id = $1 AND action_id = $2";
constexpr char kHold[] = R"sql(
  INSERT INTO held_posts (dest_chat_id, action_id, update_id, action) VALUES ($1, $2, $3, decode($4, 'hex'))
  ON CONFLICT (dest_chat_id, action_id) DO NOTHING)sql";
// The destination's held posts beyond the bound, oldest first.
constexpr char kTrim[] = R"sql(
  DELETE FROM held_posts h USING (
    SELECT action_id FROM held_posts WHERE dest_chat_id = $1
    ORDER BY update_id DESC, action_id DESC OFFSET $2) old
  WHERE h.dest_chat_id = $1 AND h.action_id = old.action_id
  RETURNING h.action_id)sql";
constexpr char kHolding[] = R"sql(
  SELECT c.chat_id FROM chats c WHERE c.chat_id = ANY($1::BIGINT[])
    AND (c.cooldown_until > now() OR EXISTS (SELECT 1 FROM held_posts h WHERE h.dest_chat_id = c.chat_id)))sql";
constexpr char kHeld[] = R"sql(
  SELECT encode(action, 'hex') FROM held_posts WHERE dest_chat_id = $1 ORDER BY update_id, action_id)sql";
// A flush is due when the cool-down is over and no post the previous flush carried is still held
// (or that flush is older than the cool-down base: its posts failed again or got lost).
constexpr char kClaimFlushes[] = R"sql(
  UPDATE chats c SET flush_requested_at = now()
  WHERE EXISTS (SELECT 1 FROM held_posts h WHERE h.dest_chat_id = c.chat_id)
    AND (c.cooldown_until IS NULL OR c.cooldown_until <= now())
    AND (c.flush_requested_at IS NULL OR c.flush_requested_at < now() - make_interval(secs => $1)
         OR NOT EXISTS (SELECT 1 FROM held_posts h
                        WHERE h.dest_chat_id = c.chat_id AND h.held_at <= c.flush_requested_at))
  RETURNING c.chat_id)sql";
// A chat seen again (a source's post) comes back if it was pruned, with its current title.
constexpr char kSeen[] = R"sql(
  INSERT INTO chats (chat_id, type, title, username, last_seen_at) VALUES ($1, $2, $3, $4, now())
  ON CONFLICT (chat_id) DO UPDATE
  SET title = EXCLUDED.title, username = EXCLUDED.username, last_seen_at = now(), updated_at = now())sql";
constexpr char kPrune[] = R"sql(
  DELETE FROM chats c WHERE c.last_seen_at < now() - make_interval(secs => $1)
    AND NOT EXISTS (SELECT 1 FROM held_posts h WHERE h.dest_chat_id = c.chat_id))sql";

// "{1,2,3}": a BIGINT[] literal.
std::string ArrayLiteral(const std::vector<int64_t>& ids) {
  std::string text = "{";
  for (size_t i = 0; i < ids.size(); ++i) absl::StrAppend(&text, i > 0 ? "," : "", ids[i]);
  return text + "}";
}

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

}  // namespace

absl::StatusOr<bool> ChatRegistry::RecordOutcome(const registry::MonitorOutcome& outcome) {
  const v1::Action& action = outcome.action;
  const int64_t dest = action.chat_id();
  metrics_.CountOutcome(outcome.ok);
  std::optional<absl::Duration> started;  // the cool-down this failure started
  const std::string error = absl::StrCat(outcome.error_code, " ", outcome.description);
  // A post Telegram will never accept is dropped (and released if it was held), not retried forever.
  const bool unsendable = !outcome.ok && Unsendable(outcome.error_code, outcome.description);
  bool recovered = false;  // this success ended failures in a row
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    started.reset();
    recovered = false;
    const pqxx::row chat = tx.exec_params1(kLockChat, dest);
    if (outcome.ok) {
      recovered = chat[0].as<int>() > 0;
      tx.exec_params(kSucceeded, dest);
      tx.exec_params(kRelease, dest, action.id());
      return absl::OkStatus();
    }
    if (unsendable) {
      tx.exec_params(kUnsendable, dest, error);
      tx.exec_params(kRelease, dest, action.id());
      return absl::OkStatus();
    }
    int failures = chat[0].as<int>();
    const bool resting = chat[1].as<bool>();
    if (!resting) {
      ++failures;
      started = Cooldown(options_.cooldown, failures, random_);
    }
    tx.exec_params(kFailed, dest, failures, error, started.has_value(),
                   Seconds(started.value_or(absl::ZeroDuration())));
    // A refusal that comes back after its monitor was removed (and its held posts dropped) holds nothing.
    const std::optional<ActionSource> source = SourceOf(action);
    if (source.has_value() &&
        tx.exec_params1(kMonitored, source->source_chat_id, dest, std::string(ModeName(source->mode)))[0].as<bool>()) {
      tx.exec_params(kHold, dest, action.id(), action.update_id(), absl::BytesToHexString(action.SerializeAsString()));
    }
    return absl::OkStatus();
  }));
  if (started.has_value()) {
    log::Warn("monitor_destination_cooling_down", {{"chat_id", dest},
                                                   {"error_code", outcome.error_code},
                                                   {"error", outcome.description},
                                                   {"cooldown_s", Seconds(*started)}});
  }
  if (unsendable) {
    metrics_.CountUnsendable();
    log::Warn("monitor_post_unsendable", {{"chat_id", dest}, {"action_id", action.id()}, {"error", error}});
  } else if (!outcome.ok) {
    metrics_.CountHeld(1);
  }
  return started.has_value() || recovered;
}

absl::Status ChatRegistry::SetBotStatus(int64_t chat_id, std::string_view bot_status) {
  return pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kBotStatus, chat_id, std::string(bot_status));
    return absl::OkStatus();
  });
}

absl::StatusOr<absl::flat_hash_set<int64_t>> ChatRegistry::Holding(const std::vector<int64_t>& dest_ids) {
  absl::flat_hash_set<int64_t> holding;
  if (dest_ids.empty()) return holding;
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    holding.clear();
    for (const pqxx::row& row : tx.exec_params(kHolding, ArrayLiteral(dest_ids))) holding.insert(row[0].as<int64_t>());
    return absl::OkStatus();
  }));
  return holding;
}

absl::Status ChatRegistry::Hold(const std::vector<v1::Action>& actions) {
  if (actions.empty()) return absl::OkStatus();
  std::vector<std::pair<int64_t, std::string>> dropped;  // dest, action id
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    dropped.clear();
    absl::flat_hash_set<int64_t> dests;
    for (const v1::Action& action : actions) {
      tx.exec_params(kHold, action.chat_id(), action.id(), action.update_id(),
                     absl::BytesToHexString(action.SerializeAsString()));
      dests.insert(action.chat_id());
    }
    for (const int64_t dest : dests) {
      for (const pqxx::row& row : tx.exec_params(kTrim, dest, options_.max_held_per_destination)) {
        dropped.emplace_back(dest, row[0].as<std::string>());
      }
    }
    return absl::OkStatus();
  }));
  metrics_.CountHeld(static_cast<double>(actions.size()));
  metrics_.CountDropped(static_cast<double>(dropped.size()));
  for (const auto& [dest, action_id] : dropped) {
    log::Warn("monitor_held_post_dropped",
              {{"chat_id", dest}, {"action_id", action_id}, {"max_held", options_.max_held_per_destination}});
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Action>> ChatRegistry::Held(int64_t dest_chat_id) {
  std::vector<v1::Action> actions;
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    actions.clear();
    for (const pqxx::row& row : tx.exec_params(kHeld, dest_chat_id)) {
      v1::Action action;
      if (action.ParseFromString(absl::HexStringToBytes(row[0].as<std::string>())))
        actions.push_back(std::move(action));
    }
    return absl::OkStatus();
  }));
  return actions;
}

absl::Status ChatRegistry::Drop(int64_t dest_chat_id, const std::vector<std::string>& action_ids) {
  if (action_ids.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    for (const std::string& id : action_ids) tx.exec_params(kRelease, dest_chat_id, id);
    return absl::OkStatus();
  }));
  metrics_.CountDropped(static_cast<double>(action_ids.size()));
  for (const std::string& id : action_ids) {
    log::Info("monitor_held_post_dropped",
              {{"chat_id", dest_chat_id}, {"action_id", id}, {"reason", "monitor removed"}});
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int64_t>> ChatRegistry::ClaimFlushes() {
  std::vector<int64_t> dests;
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    dests.clear();
    for (const pqxx::row& row : tx.exec_params(kClaimFlushes, Seconds(options_.cooldown.base))) {
      dests.push_back(row[0].as<int64_t>());
    }
    return absl::OkStatus();
  }));
  for (size_t i = 0; i < dests.size(); ++i) metrics_.CountFlush();
  return dests;
}

absl::Status ChatRegistry::Seen(const v1::Chat& chat) {
  const int64_t chat_id = chat.id();
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    const auto it = seen_.find(chat_id);
    if (it != seen_.end() && now - it->second < options_.seen_refresh) return absl::OkStatus();
    if (seen_.size() >= options_.seen_cache_max_entries) seen_.clear();
    seen_[chat_id] = now;
    metrics_.SetSeenCacheEntries(static_cast<double>(seen_.size()));
  }
  absl::Status written = pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kSeen, chat_id, chat.type(), chat.title(), chat.username());
    return absl::OkStatus();
  });
  if (!written.ok()) {
    absl::MutexLock lock(&mu_);
    seen_.erase(chat_id);
  }
  return written;
}

absl::StatusOr<int64_t> ChatRegistry::Prune(absl::Duration unseen_for) {
  int64_t pruned = 0;
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    pruned = tx.exec_params(kPrune, Seconds(unseen_for)).affected_rows();
    return absl::OkStatus();
  }));
  if (pruned > 0) {
    absl::MutexLock lock(&mu_);
    seen_.clear();  // a pruned chat seen again must be written again
    metrics_.SetSeenCacheEntries(0);
  }
  return pruned;
}

}  // namespace subguard::verifier::monitors
