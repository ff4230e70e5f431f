#include "services/verifier/group_store.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace subguard::verifier {
namespace {

using decide::Policy;

constexpr char kSelectGroup[] = R"sql(
  SELECT title, enabled, policy, prompt_template, prompt_delete_after_seconds, mute_seconds, check_on_join,
         restrict_bots, language, accept_join_requests, COALESCE(owner_user_id, 0), silent,
         COALESCE((SELECT c.type = 'group' FROM chats c WHERE c.chat_id = $1), FALSE)
  FROM protected_groups WHERE chat_id = $1)sql";
constexpr char kSelectChannels[] = R"sql(
  SELECT channel_id, username, title, invite_link FROM linked_channels
  WHERE group_chat_id = $1 ORDER BY position, channel_id)sql";
constexpr char kSelectExemptions[] = "SELECT user_id FROM exemptions WHERE group_chat_id = $1";

constexpr char kUpsertOwner[] = R"sql(
  INSERT INTO owners (user_id, username, first_name) VALUES ($1, $2, $3)
  ON CONFLICT (user_id) DO UPDATE
  SET username = EXCLUDED.username, first_name = EXCLUDED.first_name, updated_at = now())sql";
// An anonymous admin's /protect (owner 0) keeps the owner already recorded.
constexpr char kUpsertGroup[] = R"sql(
  INSERT INTO protected_groups (chat_id, title, owner_user_id, enabled)
  VALUES ($1, $2, NULLIF($3::BIGINT, 0), TRUE)
  ON CONFLICT (chat_id) DO UPDATE
  SET title = EXCLUDED.title, owner_user_id = COALESCE(EXCLUDED.owner_user_id, protected_groups.owner_user_id),
      enabled = TRUE, updated_at = now())sql";
constexpr char kDeleteChannels[] = "DELETE FROM linked_channels WHERE group_chat_id = $1";
constexpr char kInsertChannel[] = R"sql(
  INSERT INTO linked_channels (group_chat_id, channel_id, position, username, title, invite_link)
  VALUES ($1, $2, $3, $4, $5, $6))sql";
// /protect only links chats it resolved with the bot as their admin.
constexpr char kUpsertChat[] = R"sql(
  INSERT INTO chats (chat_id, type, title, username, bot_status, last_seen_at, successes)
  VALUES ($1, $2, $3, $4, 'administrator', now(), 1)
  ON CONFLICT (chat_id) DO UPDATE
  SET type = EXCLUDED.type, title = EXCLUDED.title, username = EXCLUDED.username, bot_status = 'administrator',
      last_seen_at = now(), successes = chats.successes + 1, updated_at = now())sql";

// my_chat_member: the bot's standing as Telegram reported it.
constexpr char kUpsertBotMember[] = R"sql(
  INSERT INTO chats (chat_id, type, title, username, bot_status, can_restrict_members, can_delete_messages,
                     can_invite_users, last_seen_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
  ON CONFLICT (chat_id) DO UPDATE
  SET type = EXCLUDED.type, title = EXCLUDED.title, username = EXCLUDED.username, bot_status = EXCLUDED.bot_status,
      can_restrict_members = EXCLUDED.can_restrict_members, can_delete_messages = EXCLUDED.can_delete_messages,
      can_invite_users = EXCLUDED.can_invite_users, last_seen_at = now(), updated_at = now())sql";

constexpr char kDisableGroup[] = "UPDATE protected_groups SET enabled = FALSE, updated_at = now() WHERE chat_id = $1";
constexpr char kUpdateSettings[] = R"sql(
  UPDATE protected_groups
  SET policy = $2, prompt_template = $3, prompt_delete_after_seconds = $4, mute_seconds = $5, check_on_join = $6,
      restrict_bots = $7, language = $8, accept_join_requests = $9, silent = $10, updated_at = now()
  WHERE chat_id = $1)sql";
constexpr char kInsertExemption[] = R"sql(
  INSERT INTO exemptions (group_chat_id, user_id, added_by) VALUES ($1, $2, $3)
  ON CONFLICT (group_chat_id, user_id) DO NOTHING)sql";
constexpr char kDeleteExemption[] = "DELETE FROM exemptions WHERE group_chat_id = $1 AND user_id = $2";
constexpr char kSelectLinkedGroups[] = R"sql(
  SELECT l.group_chat_id FROM linked_channels l JOIN protected_groups g ON g.chat_id = l.group_chat_id
  WHERE l.channel_id = $1 AND g.enabled ORDER BY l.group_chat_id)sql";

constexpr char kSelectGroupIds[] = R"sql(
  SELECT chat_id FROM protected_groups WHERE $1::BIGINT = 0 OR owner_user_id = $1 ORDER BY chat_id)sql";

constexpr char kInsertAudit[] = R"sql(
  INSERT INTO audit_log (action_id, group_chat_id, user_id, kind, reason) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (action_id, kind) DO NOTHING)sql";
constexpr char kAddRestriction[] = R"sql(
  INSERT INTO active_restrictions (group_chat_id, user_id, action_id) VALUES ($1, $2, $3)
  ON CONFLICT (group_chat_id, user_id) DO UPDATE SET action_id = EXCLUDED.action_id, restricted_at = now())sql";
constexpr char kSelectRestriction[] = R"sql(
  SELECT EXISTS (SELECT 1 FROM active_restrictions WHERE group_chat_id = $1 AND user_id = $2)
      OR EXISTS (SELECT 1 FROM audit_log WHERE action_id = $3 AND kind = 'release'))sql";
constexpr char kCountRestrictions[] = "SELECT count(*) FROM active_restrictions WHERE group_chat_id = $1";
constexpr char kRemoveRestriction[] = "DELETE FROM active_restrictions WHERE group_chat_id = $1 AND user_id = $2";
constexpr char kInsertError[] = R"sql(
  INSERT INTO audit_log (action_id, group_chat_id, user_id, kind, reason, method, error_code, description, created_at)
  VALUES ($1, $2, $3, 'error', $4, $5, $6, $7, to_timestamp($8::DOUBLE PRECISION / 1e6))
  ON CONFLICT (action_id, kind) DO NOTHING)sql";
constexpr char kForgetRefusedRestriction[] =
    "DELETE FROM active_restrictions WHERE group_chat_id = $1 AND user_id = $2 AND action_id = $3";
constexpr char kSelectErrors[] = R"sql(
  SELECT (extract(epoch FROM created_at) * 1e6)::BIGINT, method, description FROM audit_log
  WHERE group_chat_id = $1 AND kind = 'error' ORDER BY created_at DESC, id DESC LIMIT $2)sql";
// In batches, so one prune never holds a long lock.
constexpr int kPruneBatch = 10000;
constexpr char kPruneAudit[] = R"sql(
  DELETE FROM audit_log WHERE id IN (
    SELECT id FROM audit_log WHERE created_at < now() - make_interval(secs => $1) LIMIT $2))sql";

// MoveGroup: a basic group's rows to the supergroup it became; every statement takes ($1 old, $2 new). The first
// statement also serializes two verifiers moving the same group (the second waits on the key, then finds the move
// recorded). Where the supergroup already has a row of its own (protected with /protect before the move was seen), that
// row wins and the old one only adds what the new lacks.
constexpr char kRecordMigration[] = R"sql(
  INSERT INTO group_migrations (from_chat_id, to_chat_id) VALUES ($1, $2)
  ON CONFLICT (from_chat_id) DO NOTHING RETURNING from_chat_id)sql";
constexpr const char* kMoveGroup[] = {
    R"sql(INSERT INTO exemptions (group_chat_id, user_id, added_by, created_at)
          SELECT $2, user_id, added_by, created_at FROM exemptions
          WHERE group_chat_id = $1 AND EXISTS (SELECT 1 FROM protected_groups WHERE chat_id = $2)
          ON CONFLICT (group_chat_id, user_id) DO NOTHING)sql",
    R"sql(DELETE FROM protected_groups WHERE chat_id = $1
          AND EXISTS (SELECT 1 FROM protected_groups WHERE chat_id = $2))sql",
    // linked_channels and exemptions follow (ON UPDATE CASCADE, migration 0008).
    "UPDATE protected_groups SET chat_id = $2, updated_at = now() WHERE chat_id = $1",
    R"sql(UPDATE seen_members o SET group_chat_id = $2 WHERE o.group_chat_id = $1
          AND NOT EXISTS (SELECT 1 FROM seen_members n WHERE n.group_chat_id = $2 AND n.user_id = o.user_id))sql",
    R"sql(DELETE FROM seen_members o WHERE o.group_chat_id = $1
          AND EXISTS (SELECT 1 FROM seen_members n WHERE n.group_chat_id = $2 AND n.user_id = o.user_id))sql",
    R"sql(UPDATE active_restrictions o SET group_chat_id = $2 WHERE o.group_chat_id = $1
          AND NOT EXISTS (SELECT 1 FROM active_restrictions n WHERE n.group_chat_id = $2 AND n.user_id = o.user_id))sql",
    R"sql(DELETE FROM active_restrictions o WHERE o.group_chat_id = $1
          AND EXISTS (SELECT 1 FROM active_restrictions n WHERE n.group_chat_id = $2 AND n.user_id = o.user_id))sql",
    // The history goes with the group: /status, the admin API and the retention prune see one group.
    "UPDATE audit_log SET group_chat_id = $2 WHERE group_chat_id = $1",
    R"sql(UPDATE verify_jobs SET group_chat_id = $2, updated_at = now() WHERE group_chat_id = $1
          AND (state = 'done' OR NOT EXISTS (SELECT 1 FROM verify_jobs n WHERE n.group_chat_id = $2 AND n.state <> 'done')))sql",
    R"sql(UPDATE verify_jobs SET group_chat_id = $2, state = 'done', finished_at = COALESCE(finished_at, now()),
          updated_at = now() WHERE group_chat_id = $1)sql",
    R"sql(INSERT INTO chats (chat_id, type, title, username, bot_status, can_restrict_members, can_delete_messages,
                             can_invite_users, last_seen_at, successes, failures)
          SELECT $2, 'supergroup', title, username, bot_status, can_restrict_members, can_delete_messages,
                 can_invite_users, last_seen_at, successes, failures
          FROM chats WHERE chat_id = $1
          ON CONFLICT (chat_id) DO UPDATE SET type = 'supergroup', updated_at = now())sql",
    "DELETE FROM chats WHERE chat_id = $1 AND EXISTS (SELECT 1 FROM chats WHERE chat_id = $2)",
    // Monitors with the group as source or destination follow it; one the supergroup already has wins.
    R"sql(DELETE FROM monitors o WHERE o.source_chat_id = $1 AND EXISTS (SELECT 1 FROM monitors n
          WHERE n.source_chat_id = $2 AND n.dest_chat_id = o.dest_chat_id AND n.mode = o.mode))sql",
    "UPDATE monitors SET source_chat_id = $2 WHERE source_chat_id = $1",
    R"sql(DELETE FROM monitors o WHERE o.dest_chat_id = $1 AND EXISTS (SELECT 1 FROM monitors n
          WHERE n.dest_chat_id = $2 AND n.source_chat_id = o.source_chat_id AND n.mode = o.mode))sql",
    "UPDATE monitors SET dest_chat_id = $2 WHERE dest_chat_id = $1",
    // Held posts keep their actions (the sender moves a call Telegram answers "upgraded" to the new chat).
    "UPDATE held_posts SET dest_chat_id = $2 WHERE dest_chat_id = $1",
};

const char* PolicyText(Policy policy) {
  switch (policy) {
    case Policy::kMute:
      return "mute";
    case Policy::kDelete:
      return "delete";
    case Policy::kMuteAndDelete:
      return "mute_and_delete";
    case Policy::kKick:
      return "kick";
  }
  return "mute";
}

Policy ParsePolicy(const std::string& text) {
  if (text == "delete") return Policy::kDelete;
  if (text == "mute_and_delete") return Policy::kMuteAndDelete;
  if (text == "kick") return Policy::kKick;
  return Policy::kMute;
}

}  // namespace

absl::StatusOr<std::optional<decide::GroupConfig>> GroupStore::Load(int64_t chat_id) {
  std::optional<decide::GroupConfig> config;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    const pqxx::result group = tx.exec_params(kSelectGroup, chat_id);
    if (group.empty()) return absl::OkStatus();
    const pqxx::row row = group[0];
    config = decide::GroupConfig{.chat_id = chat_id,
                                 .title = row[0].as<std::string>(),
                                 .owner_user_id = row[10].as<int64_t>(),
                                 .enabled = row[1].as<bool>(),
                                 .policy = ParsePolicy(row[2].as<std::string>()),
                                 .prompt_template = row[3].as<std::string>(),
                                 .prompt_delete_after = absl::Seconds(row[4].as<int64_t>()),
                                 .mute_duration = absl::Seconds(row[5].as<int64_t>()),
                                 .check_on_join = row[6].as<bool>(),
                                 .accept_join_requests = row[9].as<bool>(),
                                 .restrict_bots = row[7].as<bool>(),
                                 .language = row[8].as<std::string>(),
                                 .silent = row[11].as<bool>(),
                                 .basic_group = row[12].as<bool>()};
    for (const pqxx::row& channel : tx.exec_params(kSelectChannels, chat_id)) {
      config->channels.push_back(decide::LinkedChannel{.id = channel[0].as<int64_t>(),
                                                       .username = channel[1].as<std::string>(),
                                                       .title = channel[2].as<std::string>(),
                                                       .invite_link = channel[3].as<std::string>()});
    }
    for (const pqxx::row& exempt : tx.exec_params(kSelectExemptions, chat_id)) {
      config->exempt_users.insert(exempt[0].as<int64_t>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return config;
}

absl::Status GroupStore::Protect(const decide::Protection& protection) {
  return pool_.Transact([&](pqxx::work& tx) {
    const v1::User& owner = protection.owner;
    if (owner.id() != 0) tx.exec_params(kUpsertOwner, owner.id(), owner.username(), owner.first_name());
    tx.exec_params(kUpsertGroup, protection.chat_id, protection.title, owner.id());
    tx.exec_params(kUpsertChat, protection.chat_id, protection.basic_group ? "group" : "supergroup", protection.title,
                   "");
    tx.exec_params(kDeleteChannels, protection.chat_id);
    int position = 0;
    for (const decide::LinkedChannel& channel : protection.channels) {
      tx.exec_params(kInsertChannel, protection.chat_id, channel.id, position++, channel.username, channel.title,
                     channel.invite_link);
      tx.exec_params(kUpsertChat, channel.id, "channel", channel.title, channel.username);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> GroupStore::MoveGroup(int64_t from_chat_id, int64_t to_chat_id) {
  bool first = false;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    first = !tx.exec_params(kRecordMigration, from_chat_id, to_chat_id).empty();
    // Also when recorded already: rows written under the old id since (a late update) move too.
    for (const char* statement : kMoveGroup) tx.exec_params(statement, from_chat_id, to_chat_id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return first;
}

absl::StatusOr<std::vector<int64_t>> GroupStore::GroupIds(int64_t owner_user_id) {
  std::vector<int64_t> ids;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    for (const pqxx::row& row : tx.exec_params(kSelectGroupIds, owner_user_id)) ids.push_back(row[0].as<int64_t>());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return ids;
}

absl::Status GroupStore::Unprotect(int64_t chat_id) {
  return pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kDisableGroup, chat_id);
    return absl::OkStatus();
  });
}

absl::Status GroupStore::SaveSettings(const decide::GroupConfig& config) {
  return pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kUpdateSettings, config.chat_id, PolicyText(config.policy), config.prompt_template,
                   absl::ToInt64Seconds(config.prompt_delete_after), absl::ToInt64Seconds(config.mute_duration),
                   config.check_on_join, config.restrict_bots, config.language, config.accept_join_requests,
                   config.silent);
    return absl::OkStatus();
  });
}

absl::Status GroupStore::RecordBotMember(const v1::Chat& chat, const v1::ChatMember& bot) {
  return pool_.Transact([&](pqxx::work& tx) {
    // A creator holds every right; other statuses carry their rights' flags.
    const bool creator = bot.status() == "creator";
    tx.exec_params(kUpsertBotMember, chat.id(), chat.type(), chat.title(), chat.username(), bot.status(),
                   creator || bot.can_restrict_members(), creator || bot.can_delete_messages(),
                   creator || bot.can_invite_users());
    return absl::OkStatus();
  });
}

absl::Status GroupStore::SetExemption(const decide::ExemptionChange& change) {
  return pool_.Transact([&](pqxx::work& tx) {
    if (change.exempt) {
      tx.exec_params(kInsertExemption, change.chat_id, change.user_id, change.added_by);
    } else {
      tx.exec_params(kDeleteExemption, change.chat_id, change.user_id);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<int64_t>> GroupStore::GroupsLinkedTo(int64_t channel_id) {
  std::vector<int64_t> groups;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    for (const pqxx::row& row : tx.exec_params(kSelectLinkedGroups, channel_id)) groups.push_back(row[0].as<int64_t>());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return groups;
}

absl::Status GroupStore::RecordAudit(const std::vector<decide::AuditEntry>& entries) {
  if (entries.empty()) return absl::OkStatus();
  return pool_.Transact([&](pqxx::work& tx) {
    for (const decide::AuditEntry& entry : entries) {
      tx.exec_params(kInsertAudit, entry.action_id, entry.group_chat_id, entry.user_id, entry.kind, entry.reason);
      if (entry.kind == "restrict") {
        tx.exec_params(kAddRestriction, entry.group_chat_id, entry.user_id, entry.action_id);
      } else if (entry.kind == "release") {
        tx.exec_params(kRemoveRestriction, entry.group_chat_id, entry.user_id);
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> GroupStore::CountRestricted(int64_t chat_id) {
  int64_t count = 0;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    count = tx.exec_params1(kCountRestrictions, chat_id)[0].as<int64_t>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return count;
}

absl::StatusOr<bool> GroupStore::RestrictedBySubguard(int64_t chat_id, int64_t user_id,
                                                      std::string_view lift_action_id) {
  bool restricted = false;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    restricted = tx.exec_params1(kSelectRestriction, chat_id, user_id, std::string(lift_action_id))[0].as<bool>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return restricted;
}

absl::Status GroupStore::RecordError(const registry::PermanentError& error) {
  return pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kInsertError, error.action_id, error.chat_id, error.user_id, error.reason, error.method,
                   error.error_code, error.description, absl::ToUnixMicros(error.at));
    if (error.method == "restrictChatMember" && error.user_id != 0) {
      tx.exec_params(kForgetRefusedRestriction, error.chat_id, error.user_id, error.action_id);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<decide::RecordedError>> GroupStore::RecentErrors(int64_t chat_id, int limit) {
  std::vector<decide::RecordedError> errors;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    for (const pqxx::row& row : tx.exec_params(kSelectErrors, chat_id, limit)) {
      errors.push_back({.at = absl::FromUnixMicros(row[0].as<int64_t>()),
                        .method = row[1].as<std::string>(),
                        .description = row[2].as<std::string>()});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return errors;
}

absl::StatusOr<int64_t> GroupStore::PruneAudit(absl::Duration retention) {
  int64_t total = 0;
  while (true) {
    int64_t deleted = 0;
    absl::Status status = pool_.Transact([&](pqxx::work& tx) {
      deleted = tx.exec_params(kPruneAudit, absl::ToDoubleSeconds(retention), kPruneBatch).affected_rows();
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    total += deleted;
    if (deleted < kPruneBatch) return total;
  }
}

}  // namespace subguard::verifier
