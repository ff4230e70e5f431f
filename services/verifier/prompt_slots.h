// PromptSlots: one prompt per user per group at a time.
//
// Key sg:prompt:{c<chat>}:<user> holds the id of the update whose decision sent the prompt, for ttl.
// Claim succeeds for the first update to ask and again for that same update (a redelivery must
// decide as the first attempt did); any other update finds the slot taken until the user verifies
// (Release) or the ttl passes. With Redis away, Claim succeeds: a second prompt beats none.
// Thread-safe. Cost: one Redis round trip.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/client.h"

namespace subguard::verifier {

class PromptSlots {
 public:
  // ttl: --prompt_slot_ttl / SUBGUARD_PROMPT_SLOT_TTL; default 10m.
  PromptSlots(redis::Pool& redis, absl::Duration ttl);

  bool Claim(int64_t chat_id, int64_t user_id, int64_t update_id);
  void Release(int64_t chat_id, int64_t user_id);
  // Whether the user's slot is taken: a prompt named them and they have not verified since.
  absl::StatusOr<bool> Held(int64_t chat_id, int64_t user_id);

  static std::string Key(int64_t chat_id, int64_t user_id);

  // How long a slot holds; a group's pending prompts (common/prompts) are kept as long.
  absl::Duration ttl() const { return ttl_; }

 private:
  redis::Pool& redis_;
  const absl::Duration ttl_;
  const redis::Script claim_;
};

}  // namespace subguard::verifier
