#include "services/ingest/action_lane.h"

#include <gtest/gtest.h>

namespace subguard::ingest {
namespace {

constexpr int64_t kGroup = -1001234567890;

TEST(ActionLaneTest, AChatsTwoLanesAreTwoKeys) {
  v1::Action restrict;
  restrict.set_chat_id(kGroup);
  restrict.mutable_restrict_member()->set_user_id(1);
  v1::Action prompt;
  prompt.set_chat_id(kGroup);
  prompt.mutable_send_message()->set_text("join");
  dispatch::Item urgent;
  dispatch::Item routine;
  AssignLane(restrict, urgent);
  AssignLane(prompt, routine);
  EXPECT_TRUE(urgent.urgent);
  EXPECT_FALSE(routine.urgent);
  EXPECT_EQ(urgent.ordering_key, kGroup);
  EXPECT_NE(routine.ordering_key, kGroup);
  v1::Action other_prompt = prompt;
  other_prompt.set_chat_id(-kGroup);
  dispatch::Item other;
  AssignLane(other_prompt, other);
  EXPECT_NE(other.ordering_key, routine.ordering_key);
  EXPECT_NE(other.ordering_key, -kGroup);
}

}  // namespace
}  // namespace subguard::ingest
