#include "common/dispatch/dispatch_state.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace subguard::dispatch {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// An Item of chat `key` whose update_id is `tag`, so a test can tell deliveries apart.
Item MakeItem(int64_t key, int64_t tag, int partition = 0) {
  Item item;
  item.ordering_key = key;
  item.partition = partition;
  item.journal_id = std::to_string(tag);
  item.delivery.mutable_update()->set_update_id(tag);
  item.delivery.mutable_update()->set_chat_id(key);
  return item;
}

std::vector<int64_t> Tags(const Work& work) {
  std::vector<int64_t> tags;
  for (const Outbound& out : work.sends) tags.push_back(out.message.delivery().update().update_id());
  return tags;
}

v1::Ack AckOf(const Outbound& out) {
  v1::Ack ack;
  ack.set_delivery_id(out.message.delivery().delivery_id());
  return ack;
}

v1::Nack NackOf(const Outbound& out, uint32_t retry_after_ms) {
  v1::Nack nack;
  nack.set_delivery_id(out.message.delivery().delivery_id());
  nack.set_reason("busy");
  nack.set_retry_after_ms(retry_after_ms);
  return nack;
}

class DispatchStateTest : public ::testing::Test {
 protected:
  explicit DispatchStateTest(DispatchStateOptions options = {}) : state_(options, clock_) {}

  // Acks out, completes it with status, and returns the work that follows.
  Work AckAndComplete(const Outbound& out, absl::Status status = absl::OkStatus()) {
    EXPECT_TRUE(state_.Ack(out.stream_id, AckOf(out)));
    Work work = state_.TakeWork();
    EXPECT_EQ(work.completions.size(), 1u);
    state_.Complete(work.completions.at(0), status);
    Work next = state_.TakeWork();
    next.sends.insert(next.sends.begin(), work.sends.begin(), work.sends.end());
    return next;
  }

  base::FakeClock clock_;
  DispatchState state_;
};

TEST_F(DispatchStateTest, DeliversOneItemOfAKeyAtATimeInOrder) {
  state_.AddStream(1, 10);
  for (int tag : {1, 2, 3}) ASSERT_TRUE(state_.Offer(MakeItem(7, tag)));

  Work work = state_.TakeWork();
  ASSERT_THAT(Tags(work), ElementsAre(1));
  EXPECT_EQ(work.sends[0].message.delivery().attempt(), 1u);
  EXPECT_THAT(Tags(state_.TakeWork()), IsEmpty());

  work = AckAndComplete(work.sends[0]);
  ASSERT_THAT(Tags(work), ElementsAre(2));
  work = AckAndComplete(work.sends[0]);
  ASSERT_THAT(Tags(work), ElementsAre(3));
  work = AckAndComplete(work.sends[0]);
  EXPECT_THAT(Tags(work), IsEmpty());
  EXPECT_EQ(state_.size(), 0u);
}

TEST_F(DispatchStateTest, HoldsTheNextItemUntilOnAckCompletes) {
  state_.AddStream(1, 10);
  state_.Offer(MakeItem(7, 1));
  state_.Offer(MakeItem(7, 2));
  Work work = state_.TakeWork();
  ASSERT_TRUE(state_.Ack(1, AckOf(work.sends[0])));

  Work acked = state_.TakeWork();
  ASSERT_EQ(acked.completions.size(), 1u);
  EXPECT_EQ(acked.completions[0].kind, Completion::Kind::kAck);
  EXPECT_EQ(acked.completions[0].item->journal_id, "1");
  EXPECT_THAT(Tags(acked), IsEmpty());  // item 2 waits for on_ack
  EXPECT_EQ(state_.in_flight(), 1u);

  state_.Complete(acked.completions[0], absl::OkStatus());
  EXPECT_THAT(Tags(state_.TakeWork()), ElementsAre(2));
}

TEST_F(DispatchStateTest, DeliversManyKeysInParallel) {
  state_.AddStream(1, 10);
  for (int key = 1; key <= 5; ++key) state_.Offer(MakeItem(key, key * 100));
  EXPECT_THAT(Tags(state_.TakeWork()), UnorderedElementsAre(100, 200, 300, 400, 500));
  EXPECT_EQ(state_.in_flight(), 5u);
  EXPECT_EQ(state_.queued(), 0u);
}

TEST_F(DispatchStateTest, NeverExceedsAStreamsCredit) {
  state_.AddStream(1, 2);
  for (int key = 1; key <= 5; ++key) state_.Offer(MakeItem(key, key));
  Work work = state_.TakeWork();
  ASSERT_THAT(Tags(work), ElementsAre(1, 2));
  EXPECT_THAT(Tags(state_.TakeWork()), IsEmpty());

  // The Ack returns the credit at once, before on_ack completes.
  ASSERT_TRUE(state_.Ack(1, AckOf(work.sends[0])));
  EXPECT_THAT(Tags(state_.TakeWork()), ElementsAre(3));
}

TEST_F(DispatchStateTest, DeliversUrgentKeysBeforeRoutineOnes) {
  state_.AddStream(1, 1);
  for (int key = 1; key <= 3; ++key) {
    Item routine = MakeItem(key, key);
    routine.urgent = false;
    state_.Offer(std::move(routine));
  }
  state_.Offer(MakeItem(4, 4));
  state_.Offer(MakeItem(5, 5));
  Work work = state_.TakeWork();
  ASSERT_THAT(Tags(work), ElementsAre(4));
  // A routine key nacked back waits behind urgent keys offered later, and behind the routine ones
  // ahead of it.
  work = AckAndComplete(work.sends[0]);
  ASSERT_THAT(Tags(work), ElementsAre(5));
  work = AckAndComplete(work.sends[0]);
  ASSERT_THAT(Tags(work), ElementsAre(1));
  ASSERT_TRUE(state_.Nack(1, NackOf(work.sends[0], 0)));
  state_.Offer(MakeItem(6, 6));
  work = state_.TakeWork();
  ASSERT_THAT(Tags(work), ElementsAre(6));
  work = AckAndComplete(work.sends[0]);
  EXPECT_THAT(Tags(work), ElementsAre(2));
}

TEST_F(DispatchStateTest, SpreadsWorkOverStreams) {
  state_.AddStream(1, 2);
  state_.AddStream(2, 2);
  for (int key = 1; key <= 4; ++key) state_.Offer(MakeItem(key, key));
  Work work = state_.TakeWork();
  ASSERT_EQ(work.sends.size(), 4u);
  int on_first = 0;
  for (const Outbound& out : work.sends) on_first += out.stream_id == 1;
  EXPECT_EQ(on_first, 2);
}

TEST_F(DispatchStateTest, WaitsForAStream) {
  state_.Offer(MakeItem(7, 1));
  EXPECT_THAT(Tags(state_.TakeWork()), IsEmpty());
  state_.AddStream(1, 1);
  EXPECT_THAT(Tags(state_.TakeWork()), ElementsAre(1));
}

TEST_F(DispatchStateTest, LostStreamRedeliversAtTheHeadOfItsKey) {
  state_.AddStream(1, 10);
  state_.Offer(MakeItem(7, 1));
  state_.Offer(MakeItem(7, 2));
  Work work = state_.TakeWork();
  ASSERT_THAT(Tags(work), ElementsAre(1));

  state_.RemoveStream(1);
  EXPECT_EQ(state_.streams(), 0);
  EXPECT_THAT(Tags(state_.TakeWork()), IsEmpty());
  state_.AddStream(2, 10);
  work = state_.TakeWork();
  ASSERT_THAT(Tags(work), ElementsAre(1));
  EXPECT_EQ(work.sends[0].stream_id, 2u);
  EXPECT_EQ(work.sends[0].message.delivery().attempt(), 2u);
  EXPECT_EQ(work.redeliveries, 1);
  // An answer on the old stream's delivery id counts for nothing.
  v1::Ack stale;
  stale.set_delivery_id(1);
  EXPECT_FALSE(state_.Ack(1, stale));
  EXPECT_FALSE(state_.Ack(2, stale));
}

TEST_F(DispatchStateTest, AnswerFromAnotherStreamIsIgnored) {
  state_.AddStream(1, 10);
  state_.AddStream(2, 10);
  state_.Offer(MakeItem(7, 1));
  Work work = state_.TakeWork();
  ASSERT_EQ(work.sends.size(), 1u);
  const uint64_t other = work.sends[0].stream_id == 1 ? 2 : 1;
  EXPECT_FALSE(state_.Ack(other, AckOf(work.sends[0])));
  EXPECT_TRUE(state_.TakeWork().completions.empty());
}

TEST_F(DispatchStateTest, NackDelaysTheKeyButNotOthers) {
  state_.AddStream(1, 10);
  state_.Offer(MakeItem(7, 1));
  state_.Offer(MakeItem(7, 2));
  Work work = state_.TakeWork();
  ASSERT_TRUE(state_.Nack(1, NackOf(work.sends[0], 500)));
  state_.Offer(MakeItem(8, 3));

  EXPECT_THAT(Tags(state_.TakeWork()), ElementsAre(3));
  EXPECT_EQ(state_.NextWakeup(), clock_.Now() + absl::Milliseconds(500));
  clock_.Advance(absl::Milliseconds(499));
  EXPECT_THAT(Tags(state_.TakeWork()), IsEmpty());
  clock_.Advance(absl::Milliseconds(1));
  work = state_.TakeWork();
  ASSERT_THAT(Tags(work), ElementsAre(1));
  EXPECT_EQ(work.sends[0].message.delivery().attempt(), 2u);
}

TEST_F(DispatchStateTest, OnAckErrorRedeliversAfterRetryDelay) {
  state_.AddStream(1, 10);
  state_.Offer(MakeItem(7, 1));
  state_.Offer(MakeItem(7, 2));
  Work work = state_.TakeWork();
  EXPECT_THAT(Tags(AckAndComplete(work.sends[0], absl::UnavailableError("redis down"))), IsEmpty());
  clock_.Advance(DispatchStateOptions{}.retry_delay);
  EXPECT_THAT(Tags(state_.TakeWork()), ElementsAre(1));
}

TEST_F(DispatchStateTest, CompletingTwiceIsHarmless) {
  state_.AddStream(1, 10);
  state_.Offer(MakeItem(7, 1));
  state_.Offer(MakeItem(7, 2));
  Work work = state_.TakeWork();
  state_.Ack(1, AckOf(work.sends[0]));
  Work acked = state_.TakeWork();
  state_.Complete(acked.completions[0], absl::OkStatus());
  state_.Complete(acked.completions[0], absl::OkStatus());
  EXPECT_EQ(state_.size(), 1u);
  EXPECT_THAT(Tags(state_.TakeWork()), ElementsAre(2));
}

class DispatchStateGiveUpTest : public DispatchStateTest {
 protected:
  DispatchStateGiveUpTest() : DispatchStateTest(DispatchStateOptions{.max_attempts = 2}) {}
};

TEST_F(DispatchStateGiveUpTest, GivesUpAfterMaxAttempts) {
  state_.AddStream(1, 10);
  state_.Offer(MakeItem(7, 1));
  state_.Offer(MakeItem(7, 2));
  Work work = state_.TakeWork();
  ASSERT_TRUE(state_.Nack(1, NackOf(work.sends[0], 0)));
  work = state_.TakeWork();
  ASSERT_THAT(Tags(work), ElementsAre(1));
  ASSERT_TRUE(state_.Nack(1, NackOf(work.sends[0], 0)));

  work = state_.TakeWork();
  EXPECT_THAT(Tags(work), IsEmpty());
  ASSERT_EQ(work.completions.size(), 1u);
  EXPECT_EQ(work.completions[0].kind, Completion::Kind::kGiveUp);
  EXPECT_EQ(work.completions[0].nack.reason(), "busy");
  state_.Complete(work.completions[0], absl::OkStatus());
  EXPECT_THAT(Tags(state_.TakeWork()), ElementsAre(2));
}

TEST_F(DispatchStateGiveUpTest, DeferredNacksAreNotFailures) {
  state_.AddStream(1, 10);
  state_.Offer(MakeItem(7, 1));
  Work work = state_.TakeWork();
  for (int i = 0; i < 5; ++i) {
    v1::Nack deferred = NackOf(work.sends.at(0), 0);
    deferred.set_deferred(true);
    ASSERT_TRUE(state_.Nack(1, deferred));
    work = state_.TakeWork();
    ASSERT_THAT(Tags(work), ElementsAre(1)) << i;
    EXPECT_TRUE(work.completions.empty());
  }
  ASSERT_TRUE(state_.Nack(1, NackOf(work.sends[0], 0)));
  work = state_.TakeWork();
  ASSERT_THAT(Tags(work), ElementsAre(1));  // one failure of two
}

TEST_F(DispatchStateGiveUpTest, LostStreamsCountAsFailures) {
  state_.AddStream(1, 10);
  state_.Offer(MakeItem(7, 1));
  ASSERT_EQ(state_.TakeWork().sends.size(), 1u);
  state_.RemoveStream(1);
  state_.AddStream(2, 10);
  ASSERT_EQ(state_.TakeWork().sends.size(), 1u);
  state_.RemoveStream(2);
  Work work = state_.TakeWork();
  ASSERT_EQ(work.completions.size(), 1u);
  EXPECT_EQ(work.completions[0].kind, Completion::Kind::kGiveUp);
  EXPECT_EQ(work.completions[0].nack.reason(), "stream closed");
}

TEST_F(DispatchStateTest, TimedOutDeliveryGoesToAnotherStream) {
  state_.AddStream(1, 1);
  state_.Offer(MakeItem(7, 1));
  Work first = state_.TakeWork();
  ASSERT_THAT(Tags(first), ElementsAre(1));
  EXPECT_EQ(state_.NextWakeup(), clock_.Now() + DispatchStateOptions{}.delivery_timeout);

  clock_.Advance(DispatchStateOptions{}.delivery_timeout);
  // Stream 1's only credit is still held by the unanswered delivery.
  EXPECT_THAT(Tags(state_.TakeWork()), IsEmpty());
  state_.AddStream(2, 1);
  Work second = state_.TakeWork();
  ASSERT_THAT(Tags(second), ElementsAre(1));
  EXPECT_EQ(second.sends[0].stream_id, 2u);

  // The late answer only returns the credit.
  EXPECT_FALSE(state_.Ack(1, AckOf(first.sends[0])));
  EXPECT_TRUE(state_.TakeWork().completions.empty());
  AckAndComplete(second.sends[0]);
  EXPECT_EQ(state_.size(), 0u);
}

TEST_F(DispatchStateTest, DropPartitionForgetsQueuedItems) {
  state_.AddStream(1, 10);
  state_.Offer(MakeItem(7, 1, /*partition=*/1));
  state_.Offer(MakeItem(7, 2, /*partition=*/1));
  state_.Offer(MakeItem(7, 3, /*partition=*/2));
  state_.Offer(MakeItem(8, 4, /*partition=*/1));
  Work work = state_.TakeWork();
  ASSERT_THAT(Tags(work), UnorderedElementsAre(1, 4));
  state_.Offer(MakeItem(9, 5, /*partition=*/1));

  EXPECT_EQ(state_.DropPartition(1), 2u);  // items 2 and 5; 1 and 4 are in flight
  EXPECT_EQ(state_.size(), 3u);
  EXPECT_THAT(Tags(state_.TakeWork()), IsEmpty());

  // In-flight Items of the partition are still answered, and then forgotten whatever on_ack says.
  const Outbound& item1 = work.sends[0].message.delivery().update().update_id() == 1 ? work.sends[0] : work.sends[1];
  const Outbound& item4 = work.sends[0].message.delivery().update().update_id() == 1 ? work.sends[1] : work.sends[0];
  EXPECT_THAT(Tags(AckAndComplete(item1, absl::AbortedError("stale fence"))), ElementsAre(3));
  ASSERT_TRUE(state_.Nack(1, NackOf(item4, 0)));
  EXPECT_THAT(Tags(state_.TakeWork()), IsEmpty());
  EXPECT_EQ(state_.size(), 1u);
}

TEST_F(DispatchStateTest, DropPartitionCancelsARetryDelay) {
  state_.AddStream(1, 10);
  state_.Offer(MakeItem(7, 1, /*partition=*/1));
  state_.Offer(MakeItem(7, 2, /*partition=*/2));
  Work work = state_.TakeWork();
  ASSERT_TRUE(state_.Nack(1, NackOf(work.sends[0], 60'000)));
  EXPECT_EQ(state_.DropPartition(1), 1u);
  EXPECT_EQ(state_.NextWakeup(), std::nullopt);
  EXPECT_THAT(Tags(state_.TakeWork()), ElementsAre(2));
}

class DispatchStateBoundTest : public DispatchStateTest {
 protected:
  DispatchStateBoundTest() : DispatchStateTest(DispatchStateOptions{.max_queued = 2}) {}
};

TEST_F(DispatchStateBoundTest, OfferRefusesWhenFull) {
  state_.AddStream(1, 10);
  EXPECT_TRUE(state_.Offer(MakeItem(7, 1)));
  EXPECT_TRUE(state_.Offer(MakeItem(8, 2)));
  EXPECT_FALSE(state_.Offer(MakeItem(9, 3)));
  Work work = state_.TakeWork();
  ASSERT_EQ(work.sends.size(), 2u);
  EXPECT_FALSE(state_.Offer(MakeItem(9, 3)));  // in flight still counts
  AckAndComplete(work.sends[0]);
  EXPECT_TRUE(state_.Offer(MakeItem(9, 3)));
}

TEST_F(DispatchStateBoundTest, RoutineWorkHeldBackNeverKeepsUrgentWorkOut) {
  state_.AddStream(1, 10);
  Item routine = MakeItem(7, 1);
  routine.urgent = false;
  ASSERT_TRUE(state_.Offer(routine));
  routine.journal_id = "2";
  ASSERT_TRUE(state_.Offer(routine));
  EXPECT_FALSE(state_.Offer(routine));        // routine is full ...
  EXPECT_TRUE(state_.Offer(MakeItem(8, 3)));  // ... urgent is not
  EXPECT_TRUE(state_.Offer(MakeItem(9, 4)));
  EXPECT_FALSE(state_.Offer(MakeItem(9, 5)));
  EXPECT_EQ(state_.DropPartition(0), 4u);  // both routine ones, both urgent ones
  EXPECT_TRUE(state_.Offer(routine));
  routine.journal_id = "6";
  EXPECT_TRUE(state_.Offer(routine));
}

}  // namespace
}  // namespace subguard::dispatch
