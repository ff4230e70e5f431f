#include "services/sandbox/world.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/base/strings.h"
#include "services/sandbox/bot_json.h"

namespace subguard::sandbox {
namespace {

// The official server's webhook queue ids (Client.cpp add_update_*): one queue per chat for messages, per
// user for callback queries and chat_member, per chat for my_chat_member and join requests, each in its
// own range.
int64_t CallbackQueueKey(int64_t user_id) { return user_id + (int64_t{3} << 33); }
int64_t MyChatMemberQueueKey(int64_t chat_id) { return chat_id + (int64_t{5} << 33); }
int64_t ChatMemberQueueKey(int64_t user_id) { return user_id + (int64_t{6} << 33); }
int64_t ChatJoinRequestQueueKey(int64_t chat_id) { return chat_id + (int64_t{7} << 33); }

}  // namespace

World::World(WorldOptions options, const base::Clock& clock, UpdateSink& sink)
    : options_(std::move(options)), clock_(clock), sink_(sink) {
  Reset();
}

void World::Reset() {
  std::lock_guard lock(mu_);
  state_ = WorldState();
  state_.users[options_.bot.id] = options_.bot;
}

int64_t World::Tx::Now() const { return absl::ToUnixSeconds(world_.clock_.Now()); }

Chat* World::Tx::FindChatByUsername(std::string_view username) {
  for (auto& [id, chat] : world_.state_.chats) {
    if (!chat.username.empty() && absl::EqualsIgnoreCase(chat.username, base::ToAbsl(username))) return &chat;
  }
  return nullptr;
}

Message* World::Tx::FindMessage(Chat& chat, int64_t message_id) {
  auto it = chat.messages.find(message_id);
  return it == chat.messages.end() ? nullptr : &it->second;
}

CallbackQuery* World::Tx::FindCallbackQuery(const std::string& id) {
  auto it = world_.state_.callback_queries.find(id);
  return it == world_.state_.callback_queries.end() ? nullptr : &it->second;
}

absl::Status World::Tx::PutUser(User user) {
  auto& users = world_.state_.users;
  if (!users.contains(user.id) && users.size() >= world_.options_.max_users) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the sandbox holds at most ", world_.options_.max_users, " users"));
  }
  users[user.id] = std::move(user);
  return absl::OkStatus();
}

absl::Status World::Tx::PutChat(Chat chat) {
  auto& chats = world_.state_.chats;
  auto it = chats.find(chat.id);
  if (it == chats.end()) {
    if (chats.size() >= world_.options_.max_chats) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the sandbox holds at most ", world_.options_.max_chats, " chats"));
    }
    chats.emplace(chat.id, std::move(chat));
    return absl::OkStatus();
  }
  // Describing a chat again keeps what happened in it.
  chat.members = std::move(it->second.members);
  chat.messages = std::move(it->second.messages);
  chat.next_message_id = it->second.next_message_id;
  it->second = std::move(chat);
  return absl::OkStatus();
}

Member World::Tx::MemberOf(const Chat& chat, int64_t user_id) const {
  auto it = chat.members.find(user_id);
  if (it == chat.members.end()) return Member();
  Member member = it->second;
  const bool expired = member.until_date != 0 && Now() >= member.until_date;
  if (expired && member.status == MemberStatus::kRestricted) {
    return member.is_member ? Member{.status = MemberStatus::kMember} : Member();
  }
  if (expired && member.status == MemberStatus::kKicked) return Member();
  return member;
}

bool World::Tx::IsInChat(const Chat& chat, int64_t user_id) const {
  const Member member = MemberOf(chat, user_id);
  switch (member.status) {
    case MemberStatus::kCreator:
    case MemberStatus::kAdministrator:
    case MemberStatus::kMember:
      return true;
    case MemberStatus::kRestricted:
      return member.is_member;
    case MemberStatus::kLeft:
    case MemberStatus::kKicked:
      return false;
  }
  return false;
}

bool World::Tx::IsAdmin(const Chat& chat, int64_t user_id) const {
  const MemberStatus status = MemberOf(chat, user_id).status;
  return status == MemberStatus::kCreator || status == MemberStatus::kAdministrator;
}

int64_t World::Tx::ChangeMember(Chat& chat, int64_t user_id, Member member, int64_t actor_id, Notify notify) {
  const Member old_member = MemberOf(chat, user_id);
  if (member.status == MemberStatus::kLeft) {
    chat.members.erase(user_id);
  } else {
    chat.members[user_id] = member;
  }
  if (old_member == member) return 0;
  const WorldState& world = world_.state_;
  const int64_t bot_id = bot().id;
  if (user_id == bot_id) {
    return world_.sink_.Push("my_chat_member",
                             ChatMemberUpdatedJson(world, chat, actor_id, Now(), user_id, old_member, member),
                             MyChatMemberQueueKey(chat.id));
  }
  if (notify != Notify::kEveryone || !IsAdmin(chat, bot_id)) return 0;
  return world_.sink_.Push("chat_member",
                           ChatMemberUpdatedJson(world, chat, actor_id, Now(), user_id, old_member, member),
                           ChatMemberQueueKey(user_id));
}

int64_t World::Tx::RequestJoin(const Chat& chat, int64_t user_id) {
  const Member bot_member = MemberOf(chat, bot().id);
  const bool can_invite = bot_member.status == MemberStatus::kCreator ||
                          (bot_member.status == MemberStatus::kAdministrator && bot_member.rights.can_invite_users);
  if (!can_invite) return 0;
  const WorldState& world = world_.state_;
  boost::json::object request{
      {"chat", ChatJson(world, chat)}, {"from", UserJson(world, user_id)}, {"user_chat_id", user_id}, {"date", Now()}};
  return world_.sink_.Push("chat_join_request", std::move(request), ChatJoinRequestQueueKey(chat.id));
}

std::pair<const Message*, int64_t> World::Tx::Post(Chat& chat, Message message) {
  message.chat_id = chat.id;
  message.message_id = chat.next_message_id++;
  if (message.date == 0) message.date = Now();
  const int64_t message_id = message.message_id;
  chat.messages.emplace(message_id, std::move(message));
  while (chat.messages.size() > std::max<size_t>(world_.options_.max_messages_per_chat, 1)) {
    chat.messages.erase(chat.messages.begin());
  }
  const Message& stored = chat.messages.at(message_id);

  const int64_t bot_id = bot().id;
  std::string_view type;
  if (stored.outgoing) {
    type = "";  // the bot does not receive its own messages
  } else if (chat.type == ChatType::kPrivate) {
    type = "message";
  } else if (chat.type == ChatType::kChannel) {
    type = IsAdmin(chat, bot_id) ? "channel_post" : "";
  } else {
    type = IsInChat(chat, bot_id) ? "message" : "";
  }
  const int64_t update_id = type.empty() ? 0 : world_.sink_.Push(type, MessageJson(world_.state_, stored), chat.id);
  return {&stored, update_id};
}

std::pair<const CallbackQuery*, int64_t> World::Tx::Press(const Chat& chat, const Message& message, int64_t user_id,
                                                          std::string data) {
  WorldState& state = world_.state_;
  CallbackQuery query{.id = absl::StrCat(bot().id, world_.next_callback_query_++),
                      .user_id = user_id,
                      .chat_id = chat.id,
                      .message_id = message.message_id,
                      .data = std::move(data)};
  const std::string id = query.id;
  state.callback_queries.emplace(id, std::move(query));
  state.callback_query_order.push_back(id);
  while (state.callback_query_order.size() > std::max<size_t>(world_.options_.max_callback_queries, 1)) {
    state.callback_queries.erase(state.callback_query_order.front());
    state.callback_query_order.pop_front();
  }
  const CallbackQuery& stored = state.callback_queries.at(id);
  const int64_t update_id =
      world_.sink_.Push("callback_query", CallbackQueryJson(state, stored, &message), CallbackQueueKey(user_id));
  return {&stored, update_id};
}

}  // namespace subguard::sandbox
