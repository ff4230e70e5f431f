#include "services/ingest/action_lane.h"

#include <gtest/gtest.h>

namespace subguard::ingest {
namespace {

constexpr int64_t kGroup = -1001234567890;

dispatch::Item ItemFor(int64_t chat_id, journal::StreamKind stream) {
  dispatch::Item item;
  item.delivery.mutable_action()->set_chat_id(chat_id);
  AssignLane(stream, item);
  return item;
}

TEST(ActionLaneTest, AChatsTwoLanesAreTwoKeys) {
  const dispatch::Item urgent = ItemFor(kGroup, journal::StreamKind::kActions);
  const dispatch::Item routine = ItemFor(kGroup, journal::StreamKind::kRoutineActions);
  EXPECT_TRUE(urgent.urgent);
  EXPECT_FALSE(routine.urgent);
  EXPECT_EQ(urgent.ordering_key, kGroup);
  EXPECT_NE(routine.ordering_key, kGroup);
  const dispatch::Item other = ItemFor(-kGroup, journal::StreamKind::kRoutineActions);
  EXPECT_NE(other.ordering_key, routine.ordering_key);
  EXPECT_NE(other.ordering_key, -kGroup);
}

}  // namespace
}  // namespace subguard::ingest
