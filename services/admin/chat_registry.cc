#include "services/admin/chat_registry.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace subguard::admin {
namespace {

#define SUBGUARD_CHAT_COLUMNS                                                                                 \
  "chat_id, type, title, username, bot_status, can_restrict_members, can_delete_messages, can_invite_users, " \
  "COALESCE(EXTRACT(EPOCH FROM last_seen_at)::BIGINT, 0), successes, failures, last_error, "                  \
  "COALESCE(EXTRACT(EPOCH FROM cooldown_until)::BIGINT, 0) "

constexpr char kList[] = "SELECT " SUBGUARD_CHAT_COLUMNS "FROM chats WHERE chat_id > $1 ORDER BY chat_id LIMIT $2";
constexpr char kListFirst[] = "SELECT " SUBGUARD_CHAT_COLUMNS "FROM chats ORDER BY chat_id LIMIT $1";
// $1 is an array literal of ids, "{1,2,3}".
constexpr char kGet[] = "SELECT " SUBGUARD_CHAT_COLUMNS "FROM chats WHERE chat_id = ANY($1::BIGINT[]) ORDER BY chat_id";

#undef SUBGUARD_CHAT_COLUMNS

v1::RegistryChat FromRow(const pqxx::row& row) {
  v1::RegistryChat chat;
  chat.set_chat_id(row[0].as<int64_t>());
  chat.set_type(row[1].as<std::string>());
  chat.set_title(row[2].as<std::string>());
  chat.set_username(row[3].as<std::string>());
  chat.set_bot_status(row[4].as<std::string>());
  chat.set_can_restrict_members(row[5].as<bool>());
  chat.set_can_delete_messages(row[6].as<bool>());
  chat.set_can_invite_users(row[7].as<bool>());
  chat.set_last_seen_unix(row[8].as<int64_t>());
  chat.set_successes(row[9].as<int64_t>());
  chat.set_failures(row[10].as<int64_t>());
  chat.set_last_error(row[11].as<std::string>());
  chat.set_cooldown_until_unix(row[12].as<int64_t>());
  return chat;
}

}  // namespace

absl::StatusOr<std::vector<v1::RegistryChat>> ChatRegistry::List(std::optional<int64_t> after_chat_id, int limit) {
  std::vector<v1::RegistryChat> chats;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    const pqxx::result rows =
        after_chat_id.has_value() ? tx.exec_params(kList, *after_chat_id, limit) : tx.exec_params(kListFirst, limit);
    for (const pqxx::row& row : rows) chats.push_back(FromRow(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return chats;
}

absl::StatusOr<std::vector<v1::RegistryChat>> ChatRegistry::Get(const std::vector<int64_t>& chat_ids) {
  std::vector<v1::RegistryChat> chats;
  if (chat_ids.empty()) return chats;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    for (const pqxx::row& row : tx.exec_params(kGet, absl::StrCat("{", absl::StrJoin(chat_ids, ","), "}"))) {
      chats.push_back(FromRow(row));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return chats;
}

}  // namespace subguard::admin
