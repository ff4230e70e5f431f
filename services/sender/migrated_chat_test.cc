#include "services/sender/migrated_chat.h"

#include "gtest/gtest.h"

namespace subguard::sender {
namespace {

constexpr int64_t kOld = -4001;
constexpr int64_t kNew = -1001000004001;

v1::Action InOldGroup() {
  v1::Action action;
  action.set_id("12:restrict:-4001:7");
  action.set_chat_id(kOld);
  return action;
}

TEST(MigratedChatTest, ModerationAndMessagesMove) {
  v1::Action restrict = InOldGroup();
  restrict.mutable_restrict_member()->set_user_id(7);
  std::optional<v1::Action> moved = InMigratedChat(restrict, kNew);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->chat_id(), kNew);
  EXPECT_EQ(moved->id(), restrict.id());  // the same action: one done mark
  EXPECT_EQ(moved->restrict_member().user_id(), 7);

  v1::Action reply = InOldGroup();
  reply.mutable_send_message()->set_text("hi");
  reply.mutable_send_message()->set_reply_to_message_id(55);
  moved = InMigratedChat(reply, kNew);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->send_message().reply_to_message_id(), 0);  // 55 is another message there
  EXPECT_EQ(moved->send_message().text(), "hi");
}

TEST(MigratedChatTest, MessageIdsOfTheOldChatStay) {
  v1::Action del = InOldGroup();
  del.mutable_delete_message()->set_message_id(55);
  EXPECT_FALSE(InMigratedChat(del, kNew).has_value());
  v1::Action edit = InOldGroup();
  edit.mutable_edit_message_text()->set_message_id(55);
  EXPECT_FALSE(InMigratedChat(edit, kNew).has_value());
  v1::Action restrict = InOldGroup();
  restrict.mutable_restrict_member()->set_user_id(7);
  EXPECT_FALSE(InMigratedChat(restrict, 0).has_value());
  EXPECT_FALSE(InMigratedChat(restrict, kOld).has_value());
}

TEST(MigratedChatTest, AForwardMovesOnlyForItsDestination) {
  constexpr int64_t kChannel = -1001000002222;
  const auto forward = [](int64_t dest, int64_t source) {
    v1::Action action;
    action.set_id("13:monitor");
    action.set_chat_id(dest);
    action.mutable_forward_message()->set_from_chat_id(source);
    action.mutable_forward_message()->set_message_id(9);
    return action;
  };
  // The destination was upgraded.
  std::optional<v1::Action> moved = InMigratedChat(forward(kOld, kChannel), kNew);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->chat_id(), kNew);
  EXPECT_EQ(moved->forward_message().from_chat_id(), kChannel);
  // The source was upgraded: the destination stays; so does a basic group to basic group one.
  EXPECT_FALSE(InMigratedChat(forward(kChannel, kOld), kNew).has_value());
  EXPECT_FALSE(InMigratedChat(forward(-4002, kOld), kNew).has_value());
  v1::Action copy = InOldGroup();
  copy.set_chat_id(kChannel);
  copy.mutable_copy_message()->set_from_chat_id(kOld);
  EXPECT_FALSE(InMigratedChat(copy, kNew).has_value());
  v1::Action album = InOldGroup();
  album.set_chat_id(kChannel);
  album.mutable_forward_messages()->set_from_chat_id(kOld);
  EXPECT_FALSE(InMigratedChat(album, kNew).has_value());
}

TEST(MigratedChatTest, OnlyABasicGroupsActionsMove) {
  EXPECT_TRUE(IsBasicGroupId(kOld));
  EXPECT_FALSE(IsBasicGroupId(kNew));
  EXPECT_FALSE(IsBasicGroupId(5));
  EXPECT_FALSE(IsBasicGroupId(0));
  v1::Action restrict = InOldGroup();
  restrict.set_chat_id(-1001000009999);
  restrict.mutable_restrict_member()->set_user_id(7);
  EXPECT_FALSE(InMigratedChat(restrict, kNew).has_value());
}

}  // namespace
}  // namespace subguard::sender
