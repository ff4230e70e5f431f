#include "services/verifier/decide/event.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/verifier/decide/membership_rule.h"

namespace subguard::verifier::decide {
namespace {

constexpr char kCheckPrefix[] = "check:";

bool IsGroup(const v1::Chat& chat) { return chat.type() == "group" || chat.type() == "supergroup"; }

Event ClassifyMessage(const v1::Message& message, bool edited, const BotIdentity& bot) {
  const v1::Chat& chat = message.chat();
  if (chat.type() == "private") {
    if (edited) return Ignored{"private_edit"};
    if (auto command = ParseCommand(message.text(), bot.username)) return PrivateCommand{message, *command};
    return Ignored{"private_message"};
  }
  if (!IsGroup(chat)) return Ignored{"not_a_group"};
  if (message.new_chat_members_size() > 0) {
    MembersJoined joined{.chat_id = chat.id(), .date = message.date()};
    for (const v1::User& user : message.new_chat_members()) {
      if (user.id() != bot.id) joined.users.push_back(user);
    }
    if (joined.users.empty()) return Ignored{"bot_joined"};
    return joined;
  }
  if (message.migrate_to_chat_id() != 0) return GroupMigrated{chat.id(), message.migrate_to_chat_id()};
  if (message.migrate_from_chat_id() != 0) return GroupMigrated{message.migrate_from_chat_id(), chat.id()};
  if (message.has_left_chat_member()) return Ignored{"service_message"};
  if (!message.has_from()) return Ignored{"no_sender"};
  if (!edited) {
    if (auto command = ParseCommand(message.text(), bot.username)) return GroupCommand{message, *command};
  }
  return GroupMessage{message, edited};
}

Event ClassifyCallback(const v1::CallbackQuery& query) {
  absl::string_view data = query.data();
  int64_t target = 0;
  if (!absl::ConsumePrefix(&data, kCheckPrefix) || !absl::SimpleAtoi(data, &target)) return Ignored{"unknown_callback"};
  // Telegram leaves the message out when it is too old; the prompt's group is then unknown.
  if (!query.has_message()) return Ignored{"callback_without_message"};
  const bool shared = target == kAnyNamedUser;
  return CheckPressed{.callback_query_id = query.id(),
                      .from = query.from(),
                      .target_user_id = shared ? query.from().id() : target,
                      .shared = shared,
                      .chat_id = query.message().chat().id(),
                      .prompt_message_id = query.message().message_id()};
}

}  // namespace

std::string CheckCallbackData(int64_t user_id) { return absl::StrCat(kCheckPrefix, user_id); }

Event Classify(const v1::Update& update, const BotIdentity& bot) {
  switch (update.payload_case()) {
    case v1::Update::kMessage:
      return ClassifyMessage(update.message(), /*edited=*/false, bot);
    case v1::Update::kEditedMessage:
      return ClassifyMessage(update.edited_message(), /*edited=*/true, bot);
    case v1::Update::kCallbackQuery:
      return ClassifyCallback(update.callback_query());
    case v1::Update::kChatMember: {
      const v1::ChatMemberUpdated& change = update.chat_member();
      return MemberChanged{.chat = change.chat(),
                           .user = change.new_chat_member().user(),
                           .date = change.date(),
                           .old_status = StatusOf(change.old_chat_member()),
                           .new_status = StatusOf(change.new_chat_member())};
    }
    case v1::Update::kChannelPost:
    case v1::Update::kEditedChannelPost:
      return Ignored{"channel_post"};
    case v1::Update::kMyChatMember: {
      // In a private chat it says the user blocked or unblocked the bot: nothing to protect there.
      const v1::ChatMemberUpdated& change = update.my_chat_member();
      if (!IsGroup(change.chat()) && change.chat().type() != "channel") return Ignored{"my_chat_member"};
      return BotMemberChanged{
          .chat = change.chat(), .old_member = change.old_chat_member(), .new_member = change.new_chat_member()};
    }
    case v1::Update::kChatJoinRequest: {
      // A group's approved request arrives as a join; only a channel's pending one matters.
      const v1::ChatJoinRequest& request = update.chat_join_request();
      if (request.chat().type() != "channel") return Ignored{"join_request"};
      return JoinRequested{.chat = request.chat(), .user = request.from()};
    }
    case v1::Update::kMonitorFlush:
      return Ignored{"monitor_flush"};  // the monitors' own (services/verifier/monitors/)
    case v1::Update::kMonitorAlbum:
      return Ignored{"monitor_album"};  // the monitors' own (services/verifier/monitors/)
    case v1::Update::kVerifyMember:
      return Ignored{"verify_member"};  // a verify-all job's (services/verifier/verifier_verify_all.cc)
    case v1::Update::PAYLOAD_NOT_SET:
      break;
  }
  return Ignored{"unknown_update"};
}

}  // namespace subguard::verifier::decide
