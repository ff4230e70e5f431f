// The journal against a real Redis: dedupe, order, fencing, takeover, dead letters, Redis restarts.
#include <memory>

#include "common/journal/journal.h"
#include "common/journal/lease.h"
#include "common/journal/reader.h"
#include "gtest/gtest.h"
#include "tests/harness/servers.h"

namespace subguard::journal {
namespace {

constexpr int kPartitions = 4;
constexpr int64_t kChat = -1001234;

v1::Update MakeUpdate(int64_t update_id, int64_t chat_id = kChat) {
  v1::Update update;
  update.set_update_id(update_id);
  update.set_chat_id(chat_id);
  update.mutable_message()->set_text("hello " + std::to_string(update_id));
  return update;
}

v1::Action MakeAction(const std::string& id) {
  v1::Action action;
  action.set_id(id);
  action.set_chat_id(kChat);
  action.mutable_delete_message()->set_message_id(5);
  return action;
}

// "appended", "duplicate", or the error: readable in a failed expectation.
std::string Append(Journal& journal, const v1::Update& update) {
  absl::StatusOr<bool> appended = journal.AppendUpdate(update);
  if (!appended.ok()) return appended.status().ToString();
  return *appended ? "appended" : "duplicate";
}

// One ingest instance's view of the journal.
struct Instance {
  Instance(redis::Pool& pool, const std::string& name)
      : leases(pool, {.owner = name}), journal(pool, {.owner = name, .partitions = kPartitions}), reader(pool, name) {}
  Leases leases;
  Journal journal;
  JournalReader reader;
};

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = harness::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    pool_ = std::make_unique<redis::Pool>(redis::RedisOptions{.host = server_->host(), .port = server_->port()});
    a_ = std::make_unique<Instance>(*pool_, "ingest-a");
    b_ = std::make_unique<Instance>(*pool_, "ingest-b");
    partition_ = PartitionOf(kChat, kPartitions);
  }

  int64_t Length(const std::string& key) {
    auto reply = pool_->Command({"XLEN", key});
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? reply->integer : -1;
  }

  // Acquires the chat's partition for instance and prepares its groups; returns the fence.
  uint64_t Acquire(Instance& instance) {
    auto grant = instance.leases.AcquireOrRenew(PartitionLeaseName(partition_));
    EXPECT_TRUE(grant.ok()) << grant.status();
    EXPECT_TRUE(instance.journal.EnsureGroups(partition_).ok());
    return grant.ok() ? grant->fence : 0;
  }

  std::vector<Entry> ReadUpdates(Instance& instance) {
    auto entries = instance.reader.ReadNew({{StreamKind::kUpdates, partition_}}, 100, absl::Milliseconds(10));
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.ok() ? *entries : std::vector<Entry>{};
  }

  std::unique_ptr<harness::RedisServer> server_;
  std::unique_ptr<redis::Pool> pool_;
  std::unique_ptr<Instance> a_;
  std::unique_ptr<Instance> b_;
  int partition_ = 0;
};

TEST_F(JournalTest, DropsDuplicateUpdateIds) {
  EXPECT_EQ(Append(a_->journal, MakeUpdate(1)), "appended");
  EXPECT_EQ(Append(a_->journal, MakeUpdate(1)), "duplicate");
  EXPECT_EQ(Append(b_->journal, MakeUpdate(1)), "duplicate");  // cluster-wide
  EXPECT_EQ(Append(a_->journal, MakeUpdate(2)), "appended");
  EXPECT_EQ(Length(StreamKey(StreamKind::kUpdates, partition_)), 2);
}

TEST_F(JournalTest, KeepsOneChatsOrderAndItsPayload) {
  // Appended before the group exists: the group starts at the beginning, so nothing is skipped.
  for (int64_t id = 10; id < 20; ++id) ASSERT_EQ(Append(a_->journal, MakeUpdate(id)), "appended");
  Acquire(*a_);
  const std::vector<Entry> entries = ReadUpdates(*a_);
  ASSERT_EQ(entries.size(), 10u);
  for (size_t i = 0; i < entries.size(); ++i) {
    v1::Update update;
    ASSERT_TRUE(update.ParseFromString(entries[i].payload));
    EXPECT_EQ(update.update_id(), static_cast<int64_t>(10 + i));
    EXPECT_EQ(update.message().text(), "hello " + std::to_string(10 + i));
    EXPECT_EQ(entries[i].ordering_key, kChat);
    EXPECT_EQ(entries[i].partition, partition_);
  }
  EXPECT_TRUE(ReadUpdates(*a_).empty());
}

TEST_F(JournalTest, LeaseRenewsForItsOwnerOnly) {
  const std::string name = PartitionLeaseName(partition_);
  auto first = a_->leases.AcquireOrRenew(name);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->acquired);
  auto renewed = a_->leases.AcquireOrRenew(name);
  ASSERT_TRUE(renewed.ok());
  EXPECT_FALSE(renewed->acquired);
  EXPECT_EQ(renewed->fence, first->fence);
  EXPECT_EQ(b_->leases.AcquireOrRenew(name).status().code(), absl::StatusCode::kAborted);

  ASSERT_TRUE(a_->leases.Release(name, first->fence).ok());
  auto taken = b_->leases.AcquireOrRenew(name);
  ASSERT_TRUE(taken.ok());
  EXPECT_TRUE(taken->acquired);
  EXPECT_GT(taken->fence, first->fence);
  // A release with someone else's lease changes nothing.
  ASSERT_TRUE(a_->leases.Release(name, taken->fence).ok());
  EXPECT_EQ(a_->leases.AcquireOrRenew(name).status().code(), absl::StatusCode::kAborted);
}

TEST_F(JournalTest, StaleFenceCommitsNothingAndNewOwnerTakesOverPendingWork) {
  ASSERT_EQ(Append(a_->journal, MakeUpdate(1)), "appended");
  ASSERT_EQ(Append(a_->journal, MakeUpdate(2)), "appended");
  const uint64_t fence_a = Acquire(*a_);
  const std::vector<Entry> read_by_a = ReadUpdates(*a_);
  ASSERT_EQ(read_by_a.size(), 2u);

  // a's lease runs out (as if a stalled); b takes the partition over.
  ASSERT_TRUE(pool_->Command({"DEL", LeaseKey(PartitionLeaseName(partition_))}).ok());
  const uint64_t fence_b = Acquire(*b_);
  ASSERT_GT(fence_b, fence_a);

  google::protobuf::RepeatedPtrField<v1::Action> actions;
  *actions.Add() = MakeAction("1:0");  // routine: a deletion
  v1::Action& restrict = *actions.Add();
  restrict.set_id("1:1");
  restrict.set_chat_id(kChat);
  restrict.mutable_restrict_member()->set_user_id(7);  // urgent
  EXPECT_EQ(a_->journal.CommitUpdate(partition_, fence_a, read_by_a[0].id, actions).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Length(StreamKey(StreamKind::kActions, partition_)), 0);
  EXPECT_EQ(Length(StreamKey(StreamKind::kRoutineActions, partition_)), 0);
  EXPECT_EQ(Length(StreamKey(StreamKind::kUpdates, partition_)), 2);

  // b redelivers everything a left unacknowledged, in order.
  auto claimed = b_->reader.ClaimPending({StreamKind::kUpdates, partition_}, {});
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].id, read_by_a[0].id);
  EXPECT_EQ((*claimed)[1].id, read_by_a[1].id);

  ASSERT_TRUE(b_->journal.CommitUpdate(partition_, fence_b, (*claimed)[0].id, actions).ok());
  // A repeated commit (its reply was lost) appends nothing more.
  ASSERT_TRUE(b_->journal.CommitUpdate(partition_, fence_b, (*claimed)[0].id, actions).ok());
  EXPECT_EQ(Length(StreamKey(StreamKind::kActions, partition_)), 1);  // each action in its lane's stream
  EXPECT_EQ(Length(StreamKey(StreamKind::kRoutineActions, partition_)), 1);
  EXPECT_EQ(Length(StreamKey(StreamKind::kUpdates, partition_)), 1);

  // The routine action is read from its stream, then committed.
  auto read_actions = b_->reader.ReadNew({{StreamKind::kRoutineActions, partition_}}, 10, absl::Milliseconds(10));
  ASSERT_TRUE(read_actions.ok()) << read_actions.status();
  ASSERT_EQ(read_actions->size(), 1u);
  v1::Action action;
  ASSERT_TRUE(action.ParseFromString((*read_actions)[0].payload));
  EXPECT_EQ(action.id(), "1:0");
  EXPECT_EQ((*read_actions)[0].ordering_key, kChat);
  EXPECT_EQ(a_->journal.CommitAction(StreamKind::kRoutineActions, partition_, fence_a, (*read_actions)[0].id).code(),
            absl::StatusCode::kAborted);
  ASSERT_TRUE(b_->journal.CommitAction(StreamKind::kRoutineActions, partition_, fence_b, (*read_actions)[0].id).ok());
  EXPECT_EQ(Length(StreamKey(StreamKind::kRoutineActions, partition_)), 0);
  EXPECT_EQ(Length(StreamKey(StreamKind::kActions, partition_)), 1);
}

TEST_F(JournalTest, SweepClaimsOnlyOtherConsumersEntries) {
  ASSERT_EQ(Append(a_->journal, MakeUpdate(1)), "appended");
  Acquire(*a_);
  ASSERT_EQ(ReadUpdates(*a_).size(), 1u);  // stranded with a
  ASSERT_EQ(Append(b_->journal, MakeUpdate(2)), "appended");
  ASSERT_EQ(ReadUpdates(*b_).size(), 1u);  // b's own, in flight

  auto swept = b_->reader.ClaimPending({StreamKind::kUpdates, partition_}, {.others_only = true});
  ASSERT_TRUE(swept.ok()) << swept.status();
  ASSERT_EQ(swept->size(), 1u);
  v1::Update update;
  ASSERT_TRUE(update.ParseFromString((*swept)[0].payload));
  EXPECT_EQ(update.update_id(), 1);
}

TEST_F(JournalTest, ForgetsIdleConsumersButNeverOneWithPendingEntries) {
  Acquire(*a_);
  ASSERT_EQ(Append(a_->journal, MakeUpdate(1)), "appended");
  ASSERT_EQ(ReadUpdates(*a_).size(), 1u);  // a holds an entry pending
  ASSERT_EQ(Append(b_->journal, MakeUpdate(2)), "appended");
  const std::vector<Entry> read_by_b = ReadUpdates(*b_);
  ASSERT_EQ(read_by_b.size(), 1u);
  ASSERT_TRUE(pool_->Command({"XACK", StreamKey(StreamKind::kUpdates, partition_), kConsumerGroup, read_by_b[0].id})
                  .ok());  // b: nothing pending
  const StreamRef stream{StreamKind::kUpdates, partition_};
  auto consumers = [&] {
    auto info = pool_->Command({"XINFO", "CONSUMERS", StreamKey(StreamKind::kUpdates, partition_), kConsumerGroup});
    return info.ok() ? info->elements.size() : size_t{0};
  };
  ASSERT_EQ(consumers(), 2u);

  // A third instance sweeping: b (idle, nothing pending) goes; a keeps its pending entry, however idle.
  JournalReader sweeper(*pool_, "sweeper");
  auto forgotten = sweeper.ForgetIdleConsumers(stream, absl::ZeroDuration());
  ASSERT_TRUE(forgotten.ok()) << forgotten.status();
  EXPECT_EQ(*forgotten, 1);
  EXPECT_EQ(consumers(), 1u);
  auto kept = sweeper.ClaimPending(stream, {.others_only = true});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->size(), 1u);
  // Not idle long enough: nobody goes.
  EXPECT_EQ(*sweeper.ForgetIdleConsumers(stream, absl::Hours(1)), 0);
}

TEST_F(JournalTest, DeadLetterMovesTheEntryWithItsReason) {
  ASSERT_EQ(Append(a_->journal, MakeUpdate(1)), "appended");
  const uint64_t fence = Acquire(*a_);
  const std::vector<Entry> entries = ReadUpdates(*a_);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(a_->journal.DeadLetter(StreamKind::kUpdates, partition_, fence + 1, entries[0].id, "x").code(),
            absl::StatusCode::kAborted);
  ASSERT_TRUE(a_->journal.DeadLetter(StreamKind::kUpdates, partition_, fence, entries[0].id, "verifier gave up").ok());
  EXPECT_EQ(Length(StreamKey(StreamKind::kUpdates, partition_)), 0);
  auto dead = pool_->Command({"XRANGE", DeadLetterKey(partition_), "-", "+"});
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->elements.size(), 1u);
  const std::vector<redis::Reply>& fields = dead->elements[0].elements[1].elements;
  std::map<std::string, std::string> by_name;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) by_name[fields[i].str] = fields[i + 1].str;
  EXPECT_EQ(by_name["reason"], "verifier gave up");
  EXPECT_EQ(by_name["from"], "update");
  EXPECT_EQ(by_name["source_id"], entries[0].id);
  EXPECT_EQ(by_name["u"], entries[0].payload);
}

TEST_F(JournalTest, PollOffsetOnlyRisesAndOnlyForThePoller) {
  auto offset = a_->journal.LoadPollOffset();
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(*offset, 0);
  auto grant = a_->leases.AcquireOrRenew(kPollerLease);
  ASSERT_TRUE(grant.ok());
  ASSERT_TRUE(a_->journal.SavePollOffset(grant->fence, 100).ok());
  ASSERT_TRUE(a_->journal.SavePollOffset(grant->fence, 50).ok());
  EXPECT_EQ(b_->journal.SavePollOffset(grant->fence, 200).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(*b_->journal.LoadPollOffset(), 100);
}

TEST_F(JournalTest, RedisRestartIsUnavailableThenRecovers) {
  ASSERT_EQ(Append(a_->journal, MakeUpdate(1)), "appended");
  const uint64_t fence = Acquire(*a_);
  ASSERT_EQ(ReadUpdates(*a_).size(), 1u);

  server_->Kill();
  EXPECT_EQ(a_->journal.AppendUpdate(MakeUpdate(2)).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(a_->leases.AcquireOrRenew(PartitionLeaseName(partition_)).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(a_->reader.ReadNew({{StreamKind::kUpdates, partition_}}, 10, absl::Milliseconds(10)).status().code(),
            absl::StatusCode::kUnavailable);

  ASSERT_TRUE(server_->Restart().ok());
  // The restarted Redis kept nothing: the script is loaded again, the lease is new and fenced higher.
  absl::StatusOr<bool> appended;
  for (int attempt = 0; attempt < 3; ++attempt) {
    appended = a_->journal.AppendUpdate(MakeUpdate(2));
    if (appended.ok()) break;
  }
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_TRUE(*appended);
  auto grant = a_->leases.AcquireOrRenew(PartitionLeaseName(partition_));
  ASSERT_TRUE(grant.ok()) << grant.status();
  EXPECT_TRUE(grant->acquired);
  EXPECT_GT(grant->fence, fence);

  // The consumer group went with the data: the reader says so, and EnsureGroups mends it.
  absl::StatusOr<std::vector<Entry>> read;
  for (int attempt = 0; attempt < 3; ++attempt) {
    read = a_->reader.ReadNew({{StreamKind::kUpdates, partition_}}, 10, absl::Milliseconds(10));
    if (read.status().code() != absl::StatusCode::kUnavailable) break;
  }
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(a_->journal.EnsureGroups(partition_).ok());
  EXPECT_EQ(ReadUpdates(*a_).size(), 1u);
}

// Backpressure: a partition whose backlog is full refuses more (the webhook answers 503, the poller
// does not advance), without remembering the refused update_id, so it is taken once there is room.
TEST_F(JournalTest, AFullPartitionRefusesUpdatesUntilItDrains) {
  Journal small(*pool_, {.owner = "ingest-a", .partitions = kPartitions, .max_backlog = 2});
  EXPECT_EQ(Append(small, MakeUpdate(1)), "appended");
  EXPECT_EQ(Append(small, MakeUpdate(2)), "appended");
  const absl::StatusOr<bool> refused = small.AppendUpdate(MakeUpdate(3));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted) << refused.status();
  EXPECT_EQ(Append(small, MakeUpdate(2)), "duplicate");  // a duplicate is still recognised as one

  const uint64_t fence = Acquire(*a_);
  const std::vector<Entry> entries = ReadUpdates(*a_);
  ASSERT_EQ(entries.size(), 2u);
  ASSERT_TRUE(small.CommitUpdate(partition_, fence, entries[0].id, {}).ok());
  EXPECT_EQ(Append(small, MakeUpdate(3)), "appended");
}

}  // namespace
}  // namespace subguard::journal
