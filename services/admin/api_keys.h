// ApiKeys: owners' admin API keys (api_keys and api_key_secret, migrations/0007_api_keys.sql).
//
// The verifier issues a key when an owner sends /apikey in a private chat with the bot; the admin API
// resolves the key on every call. A key is "sgk_" and 64 hex digits: HMAC-SHA256 of the owner and the
// issuing update under a random secret kept in PostgreSQL, so a redelivered /apikey answers the key
// that was stored. Only the key's SHA-256 is stored; issuing replaces the owner's previous key.
// Errors are the pool's (kUnavailable while PostgreSQL is away). Thread-safe; the secret is cached
// after the first use. Cost: one or two statements per call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/pg/pool.h"

namespace subguard::admin {

// Lowercase hex SHA-256 of key.
std::string KeySha256(std::string_view key);
// The key of owner_user_id issued by update_id under secret. Pure.
std::string DeriveKey(std::string_view secret, int64_t owner_user_id, int64_t update_id);

class ApiKeys {
 public:
  explicit ApiKeys(pg::Pool& pool) : pool_(pool) {}

  // The owner's key for the /apikey command of update_id, stored (as a hash) unless a later command
  // already replaced it.
  absl::StatusOr<std::string> Issue(int64_t owner_user_id, int64_t update_id);

  // The owner whose current key this is; nullopt for any other string.
  absl::StatusOr<std::optional<int64_t>> OwnerOf(std::string_view key);

 private:
  // The secret, created on first use by whichever process gets there first.
  absl::StatusOr<std::string> Secret();

  pg::Pool& pool_;
  absl::Mutex mu_;
  std::string secret_ ABSL_GUARDED_BY(mu_);  // "" until loaded
};

}  // namespace subguard::admin
