// ChatRegistry: read-only access to the chat registry (the chats table, migrations/0001_initial.sql)
// as the admin API shows it. The verifier writes the table; nothing here changes it.
// Errors are the pool's (kUnavailable while PostgreSQL is away). Thread-safe. Cost: one statement.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/pg/pool.h"
#include "subguard/v1/admin.pb.h"

namespace subguard::admin {

class ChatRegistry {
 public:
  explicit ChatRegistry(pg::Pool& pool) : pool_(pool) {}

  // Up to limit chats by chat id, after after_chat_id (nullopt: from the first).
  absl::StatusOr<std::vector<v1::RegistryChat>> List(std::optional<int64_t> after_chat_id, int limit);
  // The rows of chat_ids that have one, by chat id.
  absl::StatusOr<std::vector<v1::RegistryChat>> Get(const std::vector<int64_t>& chat_ids);

 private:
  pg::Pool& pool_;
};

}  // namespace subguard::admin
