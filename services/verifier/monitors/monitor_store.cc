#include "services/verifier/monitors/monitor_store.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"

namespace subguard::verifier::monitors {
namespace {

constexpr char kColumns[] =
    "id, owner_user_id, source_chat_id, dest_chat_id, mode, send_edits, text_contains, media FROM monitors";
constexpr char kBySource[] = " WHERE source_chat_id = $1 ORDER BY id";
constexpr char kByDest[] = " WHERE dest_chat_id = $1 ORDER BY id";
constexpr char kIsSource[] = "SELECT EXISTS (SELECT 1 FROM monitors WHERE source_chat_id = $1)";
constexpr char kByOwner[] = " WHERE owner_user_id = $1 ORDER BY id";
constexpr char kAfterId[] = " WHERE id > $1 ORDER BY id";
constexpr char kUpsert[] = R"sql(
  INSERT INTO monitors (owner_user_id, source_chat_id, dest_chat_id, mode, send_edits, text_contains, media)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (source_chat_id, dest_chat_id, mode) DO UPDATE
  SET owner_user_id = EXCLUDED.owner_user_id, send_edits = EXCLUDED.send_edits,
      text_contains = EXCLUDED.text_contains, media = EXCLUDED.media
  RETURNING id)sql";
constexpr char kDelete[] = "DELETE FROM monitors WHERE id = $1 AND owner_user_id = $2";
constexpr char kRecord[] = R"sql(
  INSERT INTO recorded_posts (source_chat_id, message_id, media_group_id, text, has_media, posted_at)
  VALUES ($1, $2, $3, $4, $5, to_timestamp($6))
  ON CONFLICT (source_chat_id, message_id) DO NOTHING)sql";
constexpr char kRecordEdit[] = R"sql(
  INSERT INTO recorded_posts (source_chat_id, message_id, media_group_id, text, has_media, posted_at, edited_at)
  VALUES ($1, $2, $3, $4, $5, to_timestamp($6), now())
  ON CONFLICT (source_chat_id, message_id) DO UPDATE
  SET text = EXCLUDED.text, has_media = EXCLUDED.has_media, edited_at = now())sql";
constexpr char kRememberChat[] = R"sql(
  INSERT INTO chats (chat_id, type, title, username, bot_status, last_seen_at)
  VALUES ($1, $2, $3, $4, $5, now())
  ON CONFLICT (chat_id) DO UPDATE
  SET type = EXCLUDED.type, title = EXCLUDED.title, username = EXCLUDED.username,
      bot_status = EXCLUDED.bot_status, last_seen_at = now(), updated_at = now())sql";
// ChatState's columns, from chats c; followed by one of the WHERE clauses below.
constexpr char kChatState[] = R"sql(
  SELECT c.chat_id, c.title, c.bot_status, c.successes, c.failures, c.last_error,
         GREATEST(0, CEIL(EXTRACT(EPOCH FROM c.cooldown_until - now())))::BIGINT,
         (SELECT count(*) FROM held_posts h WHERE h.dest_chat_id = c.chat_id), c.reliability
  FROM chats c)sql";
constexpr char kChats[] = " WHERE c.chat_id = ANY($1::BIGINT[]) ORDER BY c.chat_id";
constexpr char kNotReady[] = R"sql(
  WHERE (c.bot_status NOT IN ('creator', 'administrator', 'member') OR c.cooldown_until > now()
         OR EXISTS (SELECT 1 FROM held_posts h WHERE h.dest_chat_id = c.chat_id))
    AND EXISTS (SELECT 1 FROM monitors m WHERE m.source_chat_id = c.chat_id OR m.dest_chat_id = c.chat_id)
  ORDER BY c.chat_id)sql";

Monitor MonitorFrom(const pqxx::row& row) {
  return Monitor{.id = row[0].as<int64_t>(),
                 .owner_user_id = row[1].as<int64_t>(),
                 .source_chat_id = row[2].as<int64_t>(),
                 .dest_chat_id = row[3].as<int64_t>(),
                 .mode = ParseMode(row[4].as<std::string>()).value_or(Mode::kRecord),
                 .send_edits = row[5].as<bool>(),
                 .text_contains = row[6].as<std::string>(),
                 .media = ParseMediaFilter(row[7].as<std::string>()).value_or(MediaFilter::kAny)};
}

// "{1,2,3}": a BIGINT[] literal.
std::string ArrayLiteral(const std::vector<int64_t>& ids) {
  std::string text = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(ids[i]);
  }
  return text + "}";
}

absl::StatusOr<std::vector<Monitor>> Select(pg::Pool& pool, const char* where, int64_t key) {
  std::vector<Monitor> monitors;
  RETURN_IF_ERROR(pool.Transact([&](pqxx::work& tx) {
    for (const pqxx::row& row : tx.exec_params(std::string("SELECT ") + kColumns + where, key)) {
      monitors.push_back(MonitorFrom(row));
    }
    return absl::OkStatus();
  }));
  return monitors;
}

template <typename... Params>
absl::StatusOr<std::vector<ChatState>> SelectChats(pg::Pool& pool, const char* where, const Params&... params) {
  std::vector<ChatState> chats;
  RETURN_IF_ERROR(pool.Transact([&](pqxx::work& tx) {
    chats.clear();
    for (const pqxx::row& row : tx.exec_params(absl::StrCat(kChatState, where), params...)) {
      chats.push_back(ChatState{.chat_id = row[0].as<int64_t>(),
                                .title = row[1].as<std::string>(),
                                .bot_status = row[2].as<std::string>(),
                                .successes = row[3].as<int64_t>(),
                                .failures = row[4].as<int64_t>(),
                                .last_error = row[5].as<std::string>(),
                                .cooldown_s = row[6].as<int64_t>(),
                                .held_posts = row[7].as<int64_t>(),
                                .reliability = row[8].as<double>()});
    }
    return absl::OkStatus();
  }));
  return chats;
}

}  // namespace

std::string NotReadyReason(const ChatState& chat) {
  const std::string& bot = chat.bot_status;
  if (bot != "creator" && bot != "administrator" && bot != "member") {
    return absl::StrCat("the bot is ", bot.empty() ? "unknown there" : bot);
  }
  if (chat.cooldown_s > 0) return absl::StrCat("cooling down ", chat.cooldown_s, "s after: ", chat.last_error);
  if (chat.held_posts > 0) return absl::StrCat(chat.held_posts, " post(s) held, being flushed");
  return "";
}

absl::StatusOr<std::vector<Monitor>> MonitorStore::ForSource(int64_t source_chat_id) {
  return Select(pool_, kBySource, source_chat_id);
}

absl::StatusOr<std::vector<Monitor>> MonitorStore::ForOwner(int64_t owner_user_id) {
  return Select(pool_, kByOwner, owner_user_id);
}

absl::StatusOr<std::vector<Monitor>> MonitorStore::ForDestination(int64_t dest_chat_id) {
  return Select(pool_, kByDest, dest_chat_id);
}

absl::StatusOr<bool> MonitorStore::IsSource(int64_t chat_id) {
  bool source = false;
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    source = tx.exec_params1(kIsSource, chat_id)[0].as<bool>();
    return absl::OkStatus();
  }));
  return source;
}

absl::StatusOr<std::vector<Monitor>> MonitorStore::All() { return Select(pool_, kAfterId, 0); }

absl::StatusOr<Monitor> MonitorStore::Add(Monitor monitor) {
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    monitor.id = tx.exec_params1(kUpsert, monitor.owner_user_id, monitor.source_chat_id, monitor.dest_chat_id,
                                 std::string(ModeName(monitor.mode)), monitor.send_edits, monitor.text_contains,
                                 std::string(MediaFilterName(monitor.media)))[0]
                     .as<int64_t>();
    return absl::OkStatus();
  }));
  return monitor;
}

absl::StatusOr<bool> MonitorStore::Remove(int64_t owner_user_id, int64_t monitor_id) {
  bool removed = false;
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    removed = tx.exec_params(kDelete, monitor_id, owner_user_id).affected_rows() > 0;
    return absl::OkStatus();
  }));
  return removed;
}

absl::Status MonitorStore::RecordPost(const v1::Message& post, bool edited) {
  return pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(edited ? kRecordEdit : kRecord, post.chat().id(), post.message_id(), post.media_group_id(),
                   post.text(), post.has_media(), post.date());
    return absl::OkStatus();
  });
}

absl::Status MonitorStore::RememberChat(const v1::Chat& chat, std::string_view bot_status) {
  return pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kRememberChat, chat.id(), chat.type(), chat.title(), chat.username(), std::string(bot_status));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ChatState>> MonitorStore::Chats(const std::vector<int64_t>& chat_ids) {
  return SelectChats(pool_, kChats, ArrayLiteral(chat_ids));
}

absl::StatusOr<std::vector<ChatState>> MonitorStore::NotReady() { return SelectChats(pool_, kNotReady); }

}  // namespace subguard::verifier::monitors
