#include "services/verifier/prompt_slots.h"

#include "absl/strings/str_cat.h"
#include "common/observability/log.h"

namespace subguard::verifier {
namespace {

// KEYS[1] the slot; ARGV[1] the claiming update id; ARGV[2] the ttl in ms. 1 when ARGV[1] holds it.
constexpr char kClaimScript[] = R"lua(
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then return 1 end
return 0
)lua";

}  // namespace

PromptSlots::PromptSlots(redis::Pool& redis, absl::Duration ttl) : redis_(redis), ttl_(ttl), claim_(kClaimScript) {}

std::string PromptSlots::Key(int64_t chat_id, int64_t user_id) {
  return absl::StrCat("sg:prompt:{c", chat_id, "}:", user_id);
}

bool PromptSlots::Claim(int64_t chat_id, int64_t user_id, int64_t update_id) {
  auto reply = claim_.Run(redis_, {Key(chat_id, user_id)},
                          {absl::StrCat(update_id), absl::StrCat(absl::ToInt64Milliseconds(ttl_))});
  if (!reply.ok()) {
    log::Warn("prompt_slot_unavailable", {{"chat_id", chat_id}, {"user_id", user_id}, {"status", reply.status()}});
    return true;
  }
  return reply->integer == 1;
}

void PromptSlots::Release(int64_t chat_id, int64_t user_id) {
  if (absl::Status status = redis_.Command({"DEL", Key(chat_id, user_id)}).status(); !status.ok()) {
    log::Warn("prompt_slot_release_failed", {{"chat_id", chat_id}, {"user_id", user_id}, {"status", status}});
  }
}

absl::StatusOr<bool> PromptSlots::Held(int64_t chat_id, int64_t user_id) {
  absl::StatusOr<redis::Reply> reply = redis_.Command({"EXISTS", Key(chat_id, user_id)});
  if (!reply.ok()) return reply.status();
  return reply->integer == 1;
}

}  // namespace subguard::verifier
