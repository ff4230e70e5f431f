#include "services/verifier/decide/actions.h"

#include "gtest/gtest.h"

namespace subguard::verifier::decide {
namespace {

TEST(ActionsTest, IdsNameUpdatePurposeChatAndTarget) {
  EXPECT_EQ(Restrict(77, -100, 5, 0).id(), "77:restrict:-100:5");
  EXPECT_EQ(Lift(77, -100, 5, {}).id(), "77:lift:-100:5");
  EXPECT_EQ(Delete(77, -100, 12).id(), "77:delete:-100:12");
  EXPECT_EQ(AnswerCallback(77, -100, "cb", "hi", false).id(), "77:answer:-100:0");
  EXPECT_EQ(Reply(77, -100, 12, "hi").id(), "77:reply:-100:12");
  EXPECT_EQ(Send(77, -100, "prompt", 5, {}).id(), "77:prompt:-100:5");
}

TEST(ActionsTest, DifferentDecisionsForOneUpdateNeverCollide) {
  // A redelivery that restricts a user where the first attempt only deleted a message.
  EXPECT_NE(Restrict(77, -100, 5, 0).id(), Delete(77, -100, 5).id());
  // The same purpose in two groups (a channel leave acts in every linked group).
  EXPECT_NE(Restrict(77, -100, 5, 0).id(), Restrict(77, -200, 5, 0).id());
}

TEST(ActionsTest, CarryChatUpdateAndPayload) {
  const v1::Action restrict = Restrict(77, -100, 5, 1234);
  EXPECT_EQ(restrict.chat_id(), -100);
  EXPECT_EQ(restrict.update_id(), 77);
  EXPECT_EQ(restrict.restrict_member().user_id(), 5);
  EXPECT_EQ(restrict.restrict_member().until_date(), 1234);

  v1::ChatPermissions permissions;
  permissions.set_can_send_messages(true);
  EXPECT_TRUE(Lift(77, -100, 5, permissions).lift_restriction().permissions().can_send_messages());

  const v1::Action reply = Reply(77, -100, 12, "hello");
  EXPECT_EQ(reply.send_message().text(), "hello");
  EXPECT_EQ(reply.send_message().reply_to_message_id(), 12);
  EXPECT_EQ(reply.send_message().parse_mode(), "");

  const v1::Action answer = AnswerCallback(77, -100, "cb1", "text", true);
  EXPECT_EQ(answer.answer_callback().callback_query_id(), "cb1");
  EXPECT_TRUE(answer.answer_callback().show_alert());
}

TEST(ActionsTest, DefaultPermissionsLetMembersWriteButNotAdministrate) {
  const v1::ChatPermissions permissions = DefaultMemberPermissions();
  EXPECT_TRUE(permissions.can_send_messages());
  EXPECT_TRUE(permissions.can_send_photos());
  EXPECT_FALSE(permissions.can_change_info());
  EXPECT_FALSE(permissions.can_pin_messages());
}

}  // namespace
}  // namespace subguard::verifier::decide
