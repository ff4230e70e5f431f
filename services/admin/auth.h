// Authenticator: who is calling the admin API, from the call's "authorization: Bearer <credential>"
// metadata. The operator token (SUBGUARD_ADMIN_TOKEN) makes the caller the operator; an owner's API
// key (api_keys.h) makes them that owner. Anything else is kUnauthenticated. The credential is never
// logged. Called by AdminService on gRPC's threads. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/admin/api_keys.h"

namespace subguard::admin {

struct Caller {
  bool is_operator = false;
  int64_t owner_user_id = 0;  // the owner's Telegram user id; 0 for the operator

  // The operator sees everything; an owner sees what they own.
  bool Owns(int64_t owner) const { return is_operator || owner == owner_user_id; }
};

class Authenticator {
 public:
  // operator_token: "" disables operator access (only owners' keys work).
  Authenticator(std::string operator_token, ApiKeys& keys);

  // authorization: the metadata value, "" when the call carried none.
  absl::StatusOr<Caller> Authenticate(std::string_view authorization);

 private:
  const std::string operator_token_sha256_;  // "" when operator access is off
  ApiKeys& keys_;
};

}  // namespace subguard::admin
