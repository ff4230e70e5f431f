#include "common/journal/action_stream.h"

#include <gtest/gtest.h>

namespace subguard::journal {
namespace {

TEST(ActionStreamTest, ModerationAndAnswersAreUrgentPromptsRoutine) {
  v1::Action action;
  action.set_chat_id(-1001234567890);
  action.mutable_restrict_member()->set_user_id(1);
  EXPECT_TRUE(IsUrgent(action));
  action.mutable_answer_callback()->set_callback_query_id("q");
  EXPECT_TRUE(IsUrgent(action));
  action.mutable_send_message()->set_text("join");
  EXPECT_FALSE(IsUrgent(action));
  action.mutable_delete_message()->set_message_id(3);
  EXPECT_FALSE(IsUrgent(action));
  action.set_priority(v1::ACTION_PRIORITY_URGENT);
  EXPECT_TRUE(IsUrgent(action));
  action.mutable_restrict_member()->set_user_id(1);
  action.set_priority(v1::ACTION_PRIORITY_ROUTINE);
  EXPECT_FALSE(IsUrgent(action));
  EXPECT_EQ(ActionStreamOf(action), StreamKind::kRoutineActions);
  action.set_priority(v1::ACTION_PRIORITY_URGENT);
  EXPECT_EQ(ActionStreamOf(action), StreamKind::kActions);
}

}  // namespace
}  // namespace subguard::journal
