// World: the sandbox's Telegram, the users, chats, memberships, messages and callback queries, and the
// one place that decides which updates the bot receives when they change.
//
// Every read and change runs inside Run(fn), which holds the world's lock: a Bot API method or a control
// call checks and changes the world in one atomic step, and the updates it causes reach the UpdateSink in
// the order the changes happened. Visibility follows Telegram: my_chat_member whenever the bot's own
// membership changes; chat_member only in chats where the bot is an administrator; messages in groups where
// the bot is a member, channel posts in channels where it is an administrator, private messages always;
// callback queries always.
// Bounded: users, chats, messages per chat and callback queries, per WorldOptions.
// Thread-safe. fn must not block: it runs under the lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "common/base/clock.h"
#include "services/sandbox/update_sink.h"
#include "services/sandbox/world_types.h"

namespace subguard::sandbox {

struct WorldOptions {
  User bot;  // the bot's own user (is_bot set)
  size_t max_users = 100000;
  size_t max_chats = 10000;
  size_t max_messages_per_chat = 1000;
  size_t max_callback_queries = 10000;
};

// Which member changes reach the bot: kEveryone for what happens in Telegram (joins, restrictions),
// kBotOnly for the control API's direct edits, which tell the bot only about itself.
enum class Notify { kEveryone, kBotOnly };

class World {
 public:
  class Tx;

  World(WorldOptions options, const base::Clock& clock, UpdateSink& sink);

  // Runs fn(Tx&) under the world's lock and returns what fn returns.
  template <typename Fn>
  decltype(auto) Run(Fn&& fn);

  // Forgets everything but the bot itself.
  void Reset();

  const User& bot() const { return options_.bot; }

 private:
  const WorldOptions options_;
  const base::Clock& clock_;
  UpdateSink& sink_;
  std::mutex mu_;
  WorldState state_ ABSL_GUARDED_BY(mu_);
  // Not reset with the state, so callback query ids never repeat.
  int64_t next_callback_query_ = 1 ABSL_GUARDED_BY(mu_);
};

// Exclusive access to the world for one Run. Valid only inside it.
class World::Tx {
 public:
  explicit Tx(World& world) : world_(world) {}

  const WorldState& state() const { return world_.state_; }
  int64_t Now() const;  // unix seconds
  const User& bot() const { return world_.options_.bot; }

  const User* FindUser(int64_t id) const { return world_.state_.FindUser(id); }
  Chat* FindChat(int64_t id) { return world_.state_.FindChat(id); }
  // A public chat by username, without '@', case-insensitive.
  Chat* FindChatByUsername(std::string_view username);
  Message* FindMessage(Chat& chat, int64_t message_id);
  CallbackQuery* FindCallbackQuery(const std::string& id);

  // Adds or replaces. kResourceExhausted when a new one would exceed the bound.
  absl::Status PutUser(User user);
  absl::Status PutChat(Chat chat);

  // A user's standing in a chat now: restrictions and bans whose until_date has passed have ended.
  Member MemberOf(const Chat& chat, int64_t user_id) const;
  bool IsInChat(const Chat& chat, int64_t user_id) const;
  bool IsAdmin(const Chat& chat, int64_t user_id) const;  // creator or administrator

  // Sets a member and queues chat_member / my_chat_member as notify and the bot's rights allow; actor_id is
  // who made the change. Returns the update_id of the chat_member update, or 0.
  int64_t ChangeMember(Chat& chat, int64_t user_id, Member member, int64_t actor_id, Notify notify);

  // A user asks to join a chat that requires approval: queues chat_join_request when the bot is an
  // administrator that may invite users (Telegram's rule). Nothing changes until an admin approves.
  // Returns the update_id, or 0.
  int64_t RequestJoin(const Chat& chat, int64_t user_id);

  // Stores a message (assigning message_id, and date when 0), dropping the chat's oldest beyond the bound,
  // and queues message / channel_post if the bot sees it. Returns the stored message and the update_id (or 0).
  std::pair<const Message*, int64_t> Post(Chat& chat, Message message);

  // Records a button press on a message and queues the callback_query. Returns the query and the update_id.
  std::pair<const CallbackQuery*, int64_t> Press(const Chat& chat, const Message& message, int64_t user_id,
                                                 std::string data);

 private:
  World& world_;
};

template <typename Fn>
decltype(auto) World::Run(Fn&& fn) {
  std::lock_guard lock(mu_);
  Tx tx(*this);
  return fn(tx);
}

}  // namespace subguard::sandbox
