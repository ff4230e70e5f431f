#include "services/verifier/decide/event.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/verifier/decide/check_button.h"
#include "services/verifier/decide/test_util.h"

namespace subguard::verifier::decide {
namespace {

using namespace testing;  // NOLINT: the builders

std::string IgnoredReason(const Event& event) {
  const auto* ignored = std::get_if<Ignored>(&event);
  return ignored == nullptr ? "<not ignored>" : ignored->reason;
}

TEST(ClassifyTest, GroupTextIsAGroupMessage) {
  const Event event = Classify(MessageUpdate(GroupText("hello")), kBot);
  const auto* message = std::get_if<GroupMessage>(&event);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(message->message.text(), "hello");
  EXPECT_FALSE(message->edited);
}

TEST(ClassifyTest, EditsAreMessagesButNeverCommands) {
  v1::Update update;
  update.set_update_id(1);
  *update.mutable_edited_message() = GroupText("/protect @a");
  const Event event = Classify(update, kBot);
  const auto* message = std::get_if<GroupMessage>(&event);
  ASSERT_NE(message, nullptr);
  EXPECT_TRUE(message->edited);
}

TEST(ClassifyTest, CommandsForThisBot) {
  const Event event = Classify(MessageUpdate(GroupText("/protect@GuardBot @a")), kBot);
  const auto* command = std::get_if<GroupCommand>(&event);
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(command->command.name, CommandName::kProtect);
  EXPECT_EQ(command->message.message_id(), 10);
}

TEST(ClassifyTest, CommandsForOtherBotsAndUnknownCommandsAreMessages) {
  EXPECT_TRUE(std::holds_alternative<GroupMessage>(Classify(MessageUpdate(GroupText("/protect@Other @a")), kBot)));
  EXPECT_TRUE(std::holds_alternative<GroupMessage>(Classify(MessageUpdate(GroupText("/frobnicate")), kBot)));
}

TEST(ClassifyTest, PrivateChats) {
  v1::Message message = GroupText("/start");
  *message.mutable_chat() = Chat(kUserId, "private", "");
  const Event event = Classify(MessageUpdate(message), kBot);
  ASSERT_TRUE(std::holds_alternative<PrivateCommand>(event));
  EXPECT_EQ(std::get<PrivateCommand>(event).command.name, CommandName::kStart);

  message.set_text("hi");
  EXPECT_EQ(IgnoredReason(Classify(MessageUpdate(message), kBot)), "private_message");

  v1::Update edit;
  *edit.mutable_edited_message() = message;
  EXPECT_EQ(IgnoredReason(Classify(edit, kBot)), "private_edit");
}

TEST(ClassifyTest, BasicGroupsAreGroupsChannelsAreNot) {
  v1::Message message = GroupText("hi");
  *message.mutable_chat() = Chat(-5, "group");
  EXPECT_TRUE(std::holds_alternative<GroupMessage>(Classify(MessageUpdate(message), kBot)));
  *message.mutable_chat() = Chat(-100, "channel");
  EXPECT_EQ(IgnoredReason(Classify(MessageUpdate(message), kBot)), "not_a_group");
}

TEST(ClassifyTest, NewMembersLeaveTheBotOut) {
  v1::Message message = GroupText("");
  *message.add_new_chat_members() = User(kBot.id, "Bot");
  *message.add_new_chat_members() = User(601, "Bo");
  const Event event = Classify(MessageUpdate(message), kBot);
  const auto* joined = std::get_if<MembersJoined>(&event);
  ASSERT_NE(joined, nullptr);
  EXPECT_EQ(joined->chat_id, kGroupId);
  EXPECT_EQ(joined->date, 1'700'000'000);
  ASSERT_EQ(joined->users.size(), 1u);
  EXPECT_EQ(joined->users[0].id(), 601);

  message.clear_new_chat_members();
  *message.add_new_chat_members() = User(kBot.id, "Bot");
  EXPECT_EQ(IgnoredReason(Classify(MessageUpdate(message), kBot)), "bot_joined");
}

TEST(ClassifyTest, EitherMigrateMessageNamesTheSameMove) {
  v1::Message last = GroupText("");
  last.mutable_chat()->set_type("group");
  last.mutable_chat()->set_id(-4001);
  last.set_migrate_to_chat_id(-1004001);
  const Event from_old = Classify(MessageUpdate(last), kBot);
  ASSERT_TRUE(std::holds_alternative<GroupMigrated>(from_old));
  EXPECT_EQ(std::get<GroupMigrated>(from_old).from_chat_id, -4001);
  EXPECT_EQ(std::get<GroupMigrated>(from_old).to_chat_id, -1004001);

  v1::Message first = GroupText("");
  first.mutable_chat()->set_id(-1004001);
  first.set_migrate_from_chat_id(-4001);
  const Event from_new = Classify(MessageUpdate(first), kBot);
  ASSERT_TRUE(std::holds_alternative<GroupMigrated>(from_new));
  EXPECT_EQ(std::get<GroupMigrated>(from_new).from_chat_id, -4001);
  EXPECT_EQ(std::get<GroupMigrated>(from_new).to_chat_id, -1004001);
}

TEST(ClassifyTest, ServiceMessagesAndSenderlessMessagesAreIgnored) {
  v1::Message left = GroupText("");
  *left.mutable_left_chat_member() = User(601);
  EXPECT_EQ(IgnoredReason(Classify(MessageUpdate(left), kBot)), "service_message");
  v1::Message anonymous = GroupText("hi");
  anonymous.clear_from();
  EXPECT_EQ(IgnoredReason(Classify(MessageUpdate(anonymous), kBot)), "no_sender");
}

v1::Update Callback(std::string data, bool with_message = true) {
  v1::Update update;
  update.set_update_id(5);
  v1::CallbackQuery* query = update.mutable_callback_query();
  query->set_id("cb-1");
  *query->mutable_from() = User(kUserId);
  query->set_data(std::move(data));
  if (with_message) *query->mutable_message() = GroupText("prompt", kBot.id, 44);
  return update;
}

TEST(ClassifyTest, CheckButton) {
  const Event event = Classify(Callback("check:501"), kBot);
  const auto* press = std::get_if<CheckPressed>(&event);
  ASSERT_NE(press, nullptr);
  EXPECT_EQ(press->callback_query_id, "cb-1");
  EXPECT_EQ(press->from.id(), kUserId);
  EXPECT_EQ(press->target_user_id, 501);
  EXPECT_EQ(press->chat_id, kGroupId);
  EXPECT_EQ(press->prompt_message_id, 44);
  EXPECT_EQ(CheckCallbackData(501), "check:501");
}

TEST(ClassifyTest, SharedCheckButtonIsThePressersOwn) {
  const Event event = Classify(Callback(CheckCallbackData(kAnyNamedUser)), kBot);
  const auto* press = std::get_if<CheckPressed>(&event);
  ASSERT_NE(press, nullptr);
  EXPECT_TRUE(press->shared);
  EXPECT_EQ(press->target_user_id, kUserId);
  EXPECT_TRUE(CheckNeedsLookups(*press));
}

TEST(ClassifyTest, OtherCallbacks) {
  EXPECT_EQ(IgnoredReason(Classify(Callback("vote:1"), kBot)), "unknown_callback");
  EXPECT_EQ(IgnoredReason(Classify(Callback("check:abc"), kBot)), "unknown_callback");
  EXPECT_EQ(IgnoredReason(Classify(Callback("check:501", /*with_message=*/false), kBot)), "callback_without_message");
}

v1::Update ChatMemberUpdate(std::string old_status, std::string new_status) {
  v1::Update update;
  update.set_update_id(9);
  v1::ChatMemberUpdated* change = update.mutable_chat_member();
  *change->mutable_chat() = Chat(kChannelA, "channel", "A");
  change->set_date(1'700'000'100);
  *change->mutable_old_chat_member() = Member(kUserId, std::move(old_status));
  *change->mutable_new_chat_member() = Member(kUserId, std::move(new_status));
  return update;
}

TEST(ClassifyTest, ChatMemberChanges) {
  const Event left = Classify(ChatMemberUpdate("member", "left"), kBot);
  const auto* change = std::get_if<MemberChanged>(&left);
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->chat.id(), kChannelA);
  EXPECT_EQ(change->user.id(), kUserId);
  EXPECT_EQ(change->date, 1'700'000'100);
  EXPECT_TRUE(change->Left());
  EXPECT_FALSE(change->Joined());

  const MemberChanged joined = std::get<MemberChanged>(Classify(ChatMemberUpdate("left", "member"), kBot));
  EXPECT_TRUE(joined.Joined());
  EXPECT_FALSE(joined.Left());

  const MemberChanged promoted = std::get<MemberChanged>(Classify(ChatMemberUpdate("member", "administrator"), kBot));
  EXPECT_FALSE(promoted.Joined());
  EXPECT_FALSE(promoted.Left());
}

TEST(ClassifyTest, UpdatesSubguardDoesNotActOn) {
  v1::Update post;
  *post.mutable_channel_post() = GroupText("news");
  EXPECT_EQ(IgnoredReason(Classify(post, kBot)), "channel_post");
  v1::Update edited_post;
  *edited_post.mutable_edited_channel_post() = GroupText("news");
  EXPECT_EQ(IgnoredReason(Classify(edited_post, kBot)), "channel_post");
  v1::Update mine;
  mine.mutable_my_chat_member();
  EXPECT_EQ(IgnoredReason(Classify(mine, kBot)), "my_chat_member");
  v1::Update request;
  *request.mutable_chat_join_request()->mutable_chat() = Chat(kGroupId, "supergroup");
  EXPECT_EQ(IgnoredReason(Classify(request, kBot)), "join_request");
  EXPECT_EQ(IgnoredReason(Classify(v1::Update(), kBot)), "unknown_update");
}

TEST(ClassifyTest, BotMemberChangedInAGroupOrAChannel) {
  for (const auto& [id, type] : {std::pair<int64_t, std::string>{kGroupId, "supergroup"}, {kChannelA, "channel"}}) {
    v1::Update update;
    *update.mutable_my_chat_member()->mutable_chat() = Chat(id, type);
    *update.mutable_my_chat_member()->mutable_new_chat_member() = Member(kBot.id, "left");
    const BotMemberChanged change = std::get<BotMemberChanged>(Classify(update, kBot));
    EXPECT_EQ(change.chat.id(), id);
    EXPECT_EQ(change.new_member.status(), "left");
  }
  v1::Update blocked;
  *blocked.mutable_my_chat_member()->mutable_chat() = Chat(kUserId, "private");
  EXPECT_EQ(IgnoredReason(Classify(blocked, kBot)), "my_chat_member");
}

TEST(ClassifyTest, JoinRequestToAChannel) {
  v1::Update update;
  *update.mutable_chat_join_request()->mutable_chat() = Chat(kChannelA, "channel");
  *update.mutable_chat_join_request()->mutable_from() = User(kUserId);
  const JoinRequested request = std::get<JoinRequested>(Classify(update, kBot));
  EXPECT_EQ(request.chat.id(), kChannelA);
  EXPECT_EQ(request.user.id(), kUserId);
}

}  // namespace
}  // namespace subguard::verifier::decide
