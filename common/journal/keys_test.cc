#include "common/journal/keys.h"

#include <set>

#include "gtest/gtest.h"

namespace subguard::journal {
namespace {

TEST(PartitionOfTest, IsStableAcrossBuilds) {
  // Pinned values (SplitMix64 finalizer, checked independently): every ingest instance, old or new,
  // must put a chat in the same partition.
  EXPECT_EQ(PartitionOf(0, 16), 0);
  EXPECT_EQ(PartitionOf(-1001234567890, 1), 0);
  EXPECT_EQ(PartitionOf(42, 16), 2);
  EXPECT_EQ(PartitionOf(-1001234567890, 16), 11);
}

TEST(PartitionOfTest, StaysInRangeAndSpreadsNeighbouringChats) {
  std::set<int> seen;
  for (int64_t chat = -1001000000000; chat < -1001000000000 + 200; ++chat) {
    const int partition = PartitionOf(chat, 16);
    ASSERT_GE(partition, 0);
    ASSERT_LT(partition, 16);
    seen.insert(partition);
  }
  EXPECT_EQ(seen.size(), 16u);
}

TEST(OrderingKeyOfTest, ChatThenSenderThenUpdateId) {
  v1::Update update;
  update.set_update_id(7);
  EXPECT_EQ(OrderingKeyOf(update), 7);
  update.mutable_callback_query()->mutable_from()->set_id(99);
  EXPECT_EQ(OrderingKeyOf(update), 99);
  update.set_chat_id(-100123);
  EXPECT_EQ(OrderingKeyOf(update), -100123);
}

TEST(KeysTest, CarryTheirHashTag) {
  EXPECT_EQ(StreamKey(StreamKind::kUpdates, 3), "sg:upd:{p3}");
  EXPECT_EQ(StreamKey(StreamKind::kActions, 3), "sg:act:{p3}");
  EXPECT_EQ(StreamKey(StreamKind::kRoutineActions, 3), "sg:rtn:{p3}");
  EXPECT_EQ(DeadLetterKey(3), "sg:dead:{p3}");
  EXPECT_EQ(SeenKey(3, 12345), "sg:seen:{p3}:12345");
  EXPECT_EQ(LeaseKey(PartitionLeaseName(3)), "sg:lease:{p3}");
  EXPECT_EQ(FenceKey(PartitionLeaseName(3)), "sg:fence:{p3}");
  EXPECT_EQ(LeaseKey(kPollerLease), "sg:lease:{poller}");
  EXPECT_EQ(PollOffsetKey(), "sg:poll_offset:{poller}");
}

TEST(KeysTest, LeaseNamesRoundTrip) {
  EXPECT_EQ(PartitionOfLeaseName(PartitionLeaseName(0)), 0);
  EXPECT_EQ(PartitionOfLeaseName(PartitionLeaseName(15)), 15);
  EXPECT_EQ(PartitionOfLeaseName("poller"), -1);
  EXPECT_EQ(PartitionOfLeaseName("p"), -1);
  EXPECT_EQ(PartitionOfLeaseName("p+3"), -1);
  EXPECT_EQ(PartitionOfLeaseName("p3x"), -1);
}

}  // namespace
}  // namespace subguard::journal
