#include "common/prompts/pending_prompts.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace subguard::prompts {
namespace {

// KEYS[1] pending hash, KEYS[2] the action's batch. ARGV[1] user. 1 when the prompt still has to go.
constexpr char kStillNeededScript[] = R"lua(
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
return redis.call('HEXISTS', KEYS[1], ARGV[1])
)lua";

// KEYS[1] pending hash, KEYS[2] the action's batch. ARGV[1] user, ARGV[2] max users, ARGV[3] ttl ms.
// The batch's mentions, the action's own user first; {} when the user is no longer pending.
constexpr char kGatherScript[] = R"lua(
local batch = redis.call('LRANGE', KEYS[2], 0, -1)
if #batch > 0 then return batch end
local own = redis.call('HGET', KEYS[1], ARGV[1])
if not own then return {} end
batch = {own}
redis.call('HDEL', KEYS[1], ARGV[1])
local max = tonumber(ARGV[2])
if max > 1 then
  local pending = redis.call('HGETALL', KEYS[1])
  for i = 1, #pending, 2 do
    if #batch >= max then break end
    table.insert(batch, pending[i + 1])
    redis.call('HDEL', KEYS[1], pending[i])
  end
end
redis.call('RPUSH', KEYS[2], unpack(batch))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return batch
)lua";

std::string PendingKey(int64_t chat_id) { return absl::StrCat("sg:pp:{c", chat_id, "}:pending"); }

std::string BatchKey(const v1::Action& prompt) {
  return absl::StrCat("sg:pp:{c", prompt.chat_id(), "}:batch:", prompt.id());
}

std::string Millis(absl::Duration d) { return absl::StrCat(absl::ToInt64Milliseconds(d)); }

}  // namespace

bool IsBatched(const v1::Action& action) { return action.has_send_message() && action.send_message().has_batch(); }

absl::Status AddPending(redis::Pool& redis, const v1::Action& prompt, absl::Duration ttl) {
  const v1::PromptBatch& batch = prompt.send_message().batch();
  const std::string key = PendingKey(prompt.chat_id());
  if (absl::Status added = redis.Command({"HSET", key, absl::StrCat(batch.user_id()), batch.mention()}).status();
      !added.ok()) {
    return added;
  }
  return redis.Command({"PEXPIRE", key, Millis(ttl)}).status();
}

absl::StatusOr<bool> StillNeeded(redis::Pool& redis, const v1::Action& prompt) {
  static const redis::Script* const kScript = new redis::Script(kStillNeededScript);
  absl::StatusOr<redis::Reply> reply = kScript->Run(redis, {PendingKey(prompt.chat_id()), BatchKey(prompt)},
                                                    {absl::StrCat(prompt.send_message().batch().user_id())});
  if (!reply.ok()) return reply.status();
  return reply->integer == 1;
}

absl::StatusOr<std::vector<std::string>> Gather(redis::Pool& redis, const v1::Action& prompt, int max_users,
                                                absl::Duration ttl) {
  static const redis::Script* const kScript = new redis::Script(kGatherScript);
  absl::StatusOr<redis::Reply> reply =
      kScript->Run(redis, {PendingKey(prompt.chat_id()), BatchKey(prompt)},
                   {absl::StrCat(prompt.send_message().batch().user_id()), absl::StrCat(max_users), Millis(ttl)});
  if (!reply.ok()) return reply.status();
  std::vector<std::string> mentions;
  mentions.reserve(reply->elements.size());
  for (const redis::Reply& element : reply->elements) mentions.push_back(element.str);
  return mentions;
}

v1::SendMessage Named(const v1::SendMessage& message, const std::vector<std::string>& mentions) {
  v1::SendMessage named = message;
  named.clear_batch();
  if (mentions.size() <= 1) return named;
  const v1::PromptBatch& batch = message.batch();
  named.set_text(absl::StrReplaceAll(batch.text(), {{kUsersMarker, absl::StrJoin(mentions, ", ")}}));
  for (v1::ButtonRow& row : *named.mutable_keyboard()) {
    for (v1::InlineButton& button : *row.mutable_buttons()) {
      if (button.callback_data() == batch.callback_data()) button.set_callback_data(batch.shared_callback_data());
    }
  }
  return named;
}

}  // namespace subguard::prompts
