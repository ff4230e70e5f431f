// The ingest's hops against real Redis and, for polling, the sandbox over real HTTP:
//   Telegram (sandbox) -> Poller -> journal, and journal -> PartitionOwner -> Dispatcher -> commit.
// Workers are stood in for by a StreamSink attached to the real Dispatchers (no gRPC here: the
// lead's e2e test runs the processes).
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/dispatch/dispatcher.h"
#include "common/journal/journal.h"
#include "common/journal/lease.h"
#include "common/journal/reader.h"
#include "common/telegram/bot_api_client.h"
#include "gtest/gtest.h"
#include "services/ingest/commit.h"
#include "services/ingest/intake.h"
#include "services/ingest/lease_keeper.h"
#include "services/ingest/partition_owner.h"
#include "services/ingest/poller.h"
#include "services/sandbox/control_client.h"
#include "services/sandbox/sandbox_server.h"
#include "tests/harness/servers.h"

namespace subguard::ingest {
namespace {

constexpr int kPartitions = 4;
constexpr char kToken[] = "123456:sandbox-token";
constexpr int64_t kBotId = 123456;
constexpr int64_t kGroup = -1001000000001;
constexpr int64_t kOtherGroup = -1001000000009;
constexpr int64_t kBob = 1002;

std::vector<std::string> LeaseNames() {
  std::vector<std::string> names;
  for (int p = 0; p < kPartitions; ++p) names.push_back(journal::PartitionLeaseName(p));
  return names;
}

// One ingest instance's parts, without a receiver.
struct Instance {
  Instance(redis::Pool& pool, const std::string& name, observability::Registry& registry)
      : leases(pool, {.owner = name}),
        journal(pool, {.owner = name, .partitions = kPartitions}),
        poller_lease(leases, {.set_name = "poller", .names = {journal::kPollerLease}}, base::RealClock::Instance(),
                     registry),
        partition_leases(leases, {.set_name = "partitions", .names = LeaseNames()}, base::RealClock::Instance(),
                         registry) {}
  journal::Leases leases;
  journal::Journal journal;
  LeaseKeeper poller_lease;
  LeaseKeeper partition_leases;
};

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis_server = harness::RedisServer::Start();
    ASSERT_TRUE(redis_server.ok()) << redis_server.status();
    redis_server_ = std::move(*redis_server);
    pool_ = std::make_unique<redis::Pool>(
        redis::RedisOptions{.host = redis_server_->host(), .port = redis_server_->port()});
    a_ = std::make_unique<Instance>(*pool_, "ingest-a", registry_);
    b_ = std::make_unique<Instance>(*pool_, "ingest-b", registry_);
  }

  // The journaled updates of chat that are messages (setting the world up makes chat_member updates too).
  std::vector<v1::Update> Journaled(int64_t chat) {
    const int partition = journal::PartitionOf(chat, kPartitions);
    auto entries = pool_->Command({"XRANGE", journal::StreamKey(journal::StreamKind::kUpdates, partition), "-", "+"});
    EXPECT_TRUE(entries.ok()) << entries.status();
    std::vector<v1::Update> updates;
    if (!entries.ok()) return updates;
    for (const redis::Reply& entry : entries->elements) {
      const std::vector<redis::Reply>& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        v1::Update update;
        if (fields[i].str == "u" && update.ParseFromString(fields[i + 1].str) && update.has_message()) {
          updates.push_back(std::move(update));
        }
      }
    }
    return updates;
  }

  int64_t Length(journal::StreamKind kind, int64_t chat) {
    auto reply = pool_->Command({"XLEN", journal::StreamKey(kind, journal::PartitionOf(chat, kPartitions))});
    return reply.ok() ? reply->integer : -1;
  }

  observability::Registry registry_;
  base::RealRandom random_{7};
  std::unique_ptr<harness::RedisServer> redis_server_;
  std::unique_ptr<redis::Pool> pool_;
  std::unique_ptr<Instance> a_;
  std::unique_ptr<Instance> b_;
};

// Several ingest instances share the partitions fairly instead of the first one keeping them all; a
// lease given up for balance stays held in Redis through the hand-off grace (so answers already on
// their way still commit under it), and an instance that stops hands its share to the others.
TEST_F(IngestTest, InstancesShareThePartitionLeasesFairly) {
  base::FakeClock clock(absl::Now());  // the keepers' view of time; Redis keeps its own
  const auto keeper = [&](Instance& instance) {
    return std::make_unique<LeaseKeeper>(
        instance.leases,
        LeaseKeeperOptions{.set_name = "partitions", .names = LeaseNames(), .handoff_grace = absl::Seconds(2)}, clock,
        registry_);
  };
  std::unique_ptr<LeaseKeeper> a = keeper(*a_);
  std::unique_ptr<LeaseKeeper> b = keeper(*b_);
  a->Tick();
  EXPECT_EQ(a->Held().size(), static_cast<size_t>(kPartitions));  // alone: every partition
  b->Tick();
  EXPECT_TRUE(b->Held().empty());  // all taken; but b is now a live member, so a's share halves
  a->Tick();
  EXPECT_EQ(a->Held().size(), static_cast<size_t>(kPartitions / 2));
  b->Tick();
  EXPECT_TRUE(b->Held().empty());  // a still holds the rest in Redis during its hand-off grace

  clock.Advance(absl::Seconds(2));
  a->Tick();  // the grace is over: released
  EXPECT_EQ(a->Held().size(), static_cast<size_t>(kPartitions / 2));
  b->Tick();
  EXPECT_EQ(b->Held().size(), static_cast<size_t>(kPartitions / 2));
  for (const auto& [name, fence] : b->Held()) EXPECT_FALSE(a->Held().contains(name));
  a->Tick();
  b->Tick();  // steady: nobody moves
  EXPECT_EQ(a->Held().size() + b->Held().size(), static_cast<size_t>(kPartitions));

  a->Stop();  // releases its leases and leaves the membership
  b->Tick();
  EXPECT_EQ(b->Held().size(), static_cast<size_t>(kPartitions));
}

class PollerTest : public IngestTest {
 protected:
  void SetUp() override {
    IngestTest::SetUp();
    sandbox::SandboxOptions options;
    options.http.port = 0;
    options.bot_token = kToken;
    auto sandbox = sandbox::SandboxServer::Start(options);
    ASSERT_TRUE(sandbox.ok()) << sandbox.status();
    sandbox_ = std::move(*sandbox);
    control_ = std::make_unique<sandbox::ControlClient>(sandbox_->base_url());
    ASSERT_TRUE(control_->AddUser({.id = kBob, .first_name = "Bob"}).ok());
    ASSERT_TRUE(control_->AddChat({.id = kGroup, .type = "supergroup", .title = "Group"}).ok());
    ASSERT_TRUE(control_->SetMember({.chat_id = kGroup, .user_id = kBotId, .status = "administrator"}).ok());
    ASSERT_TRUE(control_->SetMember({.chat_id = kGroup, .user_id = kBob, .status = "member"}).ok());
    bot_ = std::make_unique<telegram::BotApiClient>(
        telegram::BotApiOptions{.api_url = sandbox_->base_url(), .token = kToken});
    intake_ = std::make_unique<Intake>(a_->journal, registry_);
  }

  std::unique_ptr<Poller> MakePoller(Instance& instance) {
    return std::make_unique<Poller>(PollerOptions{.long_poll = absl::Seconds(1)}, *bot_, instance.journal, *intake_,
                                    instance.poller_lease, random_, registry_);
  }

  // Sends text from Bob in the group; returns its update_id.
  int64_t Send(const std::string& text) {
    auto sent = control_->Send(kGroup, kBob, text);
    EXPECT_TRUE(sent.ok()) << sent.status();
    return sent.ok() ? sent->update_id : 0;
  }

  std::unique_ptr<sandbox::SandboxServer> sandbox_;
  std::unique_ptr<sandbox::ControlClient> control_;
  std::unique_ptr<telegram::BotApiClient> bot_;
  std::unique_ptr<Intake> intake_;
};

TEST_F(PollerTest, JournalsInOrderThenAdvancesTheOffset) {
  a_->poller_lease.Tick();
  std::unique_ptr<Poller> poller = MakePoller(*a_);
  std::vector<int64_t> sent;
  for (const char* text : {"one", "two", "three"}) sent.push_back(Send(text));
  ASSERT_GT(sent.front(), 0);

  EXPECT_EQ(poller->PollOnce(), absl::ZeroDuration());
  const std::vector<v1::Update> journaled = Journaled(kGroup);
  ASSERT_EQ(journaled.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(journaled[i].update_id(), sent[i]);
  EXPECT_EQ(journaled[1].message().text(), "two");
  EXPECT_EQ(poller->offset(), sent.back() + 1);
  EXPECT_EQ(*a_->journal.LoadPollOffset(), sent.back() + 1);

  auto deletes = control_->Calls("deleteWebhook");
  ASSERT_TRUE(deletes.ok()) << deletes.status();
  EXPECT_EQ(deletes->size(), 1u);

  // Nothing new: the long poll ends empty and nothing is journaled twice.
  EXPECT_EQ(poller->PollOnce(), absl::ZeroDuration());
  EXPECT_EQ(Journaled(kGroup).size(), 3u);
}

TEST_F(PollerTest, AStandbyDoesNotPollAndResumesFromTheStoredOffset) {
  a_->poller_lease.Tick();
  b_->poller_lease.Tick();  // a holds the poller lease
  std::unique_ptr<Poller> active = MakePoller(*a_);
  std::unique_ptr<Poller> standby = MakePoller(*b_);
  const int64_t first = Send("first");
  EXPECT_GT(standby->PollOnce(), absl::ZeroDuration());
  auto polls = control_->Calls("getUpdates");
  ASSERT_TRUE(polls.ok());
  EXPECT_TRUE(polls->empty());

  EXPECT_EQ(active->PollOnce(), absl::ZeroDuration());
  a_->poller_lease.Stop();  // releases the lease
  b_->poller_lease.Tick();
  const int64_t second = Send("second");
  EXPECT_EQ(standby->PollOnce(), absl::ZeroDuration());
  EXPECT_EQ(standby->offset(), second + 1);
  const std::vector<v1::Update> journaled = Journaled(kGroup);
  ASSERT_EQ(journaled.size(), 2u);
  EXPECT_EQ(journaled[0].update_id(), first);
  EXPECT_EQ(journaled[1].update_id(), second);
}

TEST_F(PollerTest, RedisDownKeepsTheOffsetAndTelegramKeepsTheUpdates) {
  a_->poller_lease.Tick();
  std::unique_ptr<Poller> poller = MakePoller(*a_);
  EXPECT_EQ(poller->PollOnce(), absl::ZeroDuration());  // becomes the poller
  const int64_t offset = poller->offset();

  redis_server_->Kill();
  const int64_t lost_if_confirmed = Send("while redis is down");
  EXPECT_GT(poller->PollOnce(), absl::ZeroDuration());
  EXPECT_EQ(poller->offset(), offset);

  ASSERT_TRUE(redis_server_->Restart().ok());
  // The restarted Redis kept nothing: the lease is taken again, then the same update is fetched again.
  ASSERT_TRUE(harness::WaitFor([&] {
    a_->poller_lease.Tick();
    return a_->poller_lease.Fence(journal::kPollerLease).has_value();
  }));
  ASSERT_TRUE(harness::WaitFor([&] { return poller->PollOnce() == absl::ZeroDuration(); }));
  const std::vector<v1::Update> journaled = Journaled(kGroup);
  ASSERT_EQ(journaled.size(), 1u);
  EXPECT_EQ(journaled[0].update_id(), lost_if_confirmed);
  EXPECT_EQ(poller->offset(), lost_if_confirmed + 1);
}

// Collects what a Dispatcher sends to one stand-in worker stream.
class RecordingSink : public dispatch::StreamSink {
 public:
  void Send(v1::IngestMessage message) override {
    std::lock_guard lock(mu_);
    deliveries_.push_back(message.delivery());
  }
  std::vector<v1::Delivery> deliveries() const {
    std::lock_guard lock(mu_);
    return deliveries_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<v1::Delivery> deliveries_;
};

// Dispatchers with completion callbacks, a PartitionOwner, and one stand-in worker per role.
struct Pipeline {
  Pipeline(redis::Pool& pool, Instance& instance, base::Random& random, observability::Registry& registry)
      : verifiers(dispatch::Dispatcher::Create({.role_name = "verifier"}, VerifierCallbacks(instance.journal, registry),
                                               registry)),
        senders(dispatch::Dispatcher::Create({.role_name = "sender"}, SenderCallbacks(instance.journal, registry),
                                             registry)),
        owner({.read_block = absl::Milliseconds(20)}, pool, instance.journal, instance.partition_leases, *verifiers,
              *senders, base::RealClock::Instance(), random, registry) {
    v1::Hello hello;
    hello.set_max_in_flight(16);
    hello.set_role(v1::WORKER_ROLE_VERIFIER);
    verifier_stream = verifiers->AttachStream(verifier_sink, hello);
    hello.set_role(v1::WORKER_ROLE_SENDER);
    sender_stream = senders->AttachStream(sender_sink, hello);
  }
  ~Pipeline() {
    owner.Stop();
    verifiers->DetachStream(verifier_stream);
    senders->DetachStream(sender_stream);
    verifiers->Stop();
    senders->Stop();
  }

  std::unique_ptr<dispatch::Dispatcher> verifiers;
  std::unique_ptr<dispatch::Dispatcher> senders;
  PartitionOwner owner;
  std::shared_ptr<RecordingSink> verifier_sink = std::make_shared<RecordingSink>();
  std::shared_ptr<RecordingSink> sender_sink = std::make_shared<RecordingSink>();
  uint64_t verifier_stream = 0;
  uint64_t sender_stream = 0;
};

v1::Update MakeUpdate(int64_t update_id, int64_t chat) {
  v1::Update update;
  update.set_update_id(update_id);
  update.set_chat_id(chat);
  update.mutable_message()->set_text("hi");
  return update;
}

TEST_F(IngestTest, UpdatesReachVerifiersAndTheirActionsReachSenders) {
  ASSERT_TRUE(a_->journal.AppendUpdate(MakeUpdate(1, kGroup)).ok());
  ASSERT_TRUE(a_->journal.AppendUpdate(MakeUpdate(2, kGroup)).ok());
  a_->partition_leases.Tick();
  Pipeline pipeline(*pool_, *a_, random_, registry_);
  pipeline.owner.Start();

  // One update of a chat in flight at a time: the second waits for the first's ack.
  ASSERT_TRUE(harness::WaitFor([&] { return pipeline.verifier_sink->deliveries().size() == 1; }));
  const v1::Delivery first = pipeline.verifier_sink->deliveries()[0];
  EXPECT_EQ(first.update().update_id(), 1);
  v1::Ack ack;
  ack.set_delivery_id(first.delivery_id());
  v1::Action* action = ack.add_actions();
  action->set_id("1:0");
  action->set_chat_id(kGroup);
  action->mutable_delete_message()->set_message_id(3);
  pipeline.verifiers->OnAck(pipeline.verifier_stream, ack);

  ASSERT_TRUE(harness::WaitFor([&] { return pipeline.verifier_sink->deliveries().size() == 2; }));
  EXPECT_EQ(pipeline.verifier_sink->deliveries()[1].update().update_id(), 2);
  ASSERT_TRUE(harness::WaitFor([&] { return pipeline.sender_sink->deliveries().size() == 1; }));
  const v1::Delivery sent = pipeline.sender_sink->deliveries()[0];
  EXPECT_EQ(sent.action().id(), "1:0");
  EXPECT_EQ(Length(journal::StreamKind::kUpdates, kGroup), 1);  // update 1 acknowledged and deleted

  v1::Ack done;
  done.set_delivery_id(sent.delivery_id());
  done.mutable_outcome()->set_ok(true);
  pipeline.senders->OnAck(pipeline.sender_stream, done);
  EXPECT_TRUE(harness::WaitFor([&] { return Length(journal::StreamKind::kRoutineActions, kGroup) == 0; }));
}

TEST_F(IngestTest, ANewOwnerRedeliversWhatTheOldOneLeftUnanswered) {
  ASSERT_TRUE(a_->journal.AppendUpdate(MakeUpdate(1, kGroup)).ok());
  ASSERT_TRUE(a_->journal.AppendUpdate(MakeUpdate(2, kOtherGroup)).ok());
  a_->partition_leases.Tick();
  {
    Pipeline old_owner(*pool_, *a_, random_, registry_);
    old_owner.owner.Start();
    ASSERT_TRUE(harness::WaitFor([&] { return old_owner.verifier_sink->deliveries().size() == 2; }));
  }  // a stops without answering; its leases run out (as after a crash: nothing is released)
  for (const std::string& name : LeaseNames()) ASSERT_TRUE(pool_->Command({"DEL", journal::LeaseKey(name)}).ok());

  b_->partition_leases.Tick();
  Pipeline new_owner(*pool_, *b_, random_, registry_);
  new_owner.owner.Start();
  ASSERT_TRUE(harness::WaitFor([&] { return new_owner.verifier_sink->deliveries().size() == 2; }));
  std::set<int64_t> redelivered;
  for (const v1::Delivery& delivery : new_owner.verifier_sink->deliveries()) {
    redelivered.insert(delivery.update().update_id());
    v1::Ack ack;
    ack.set_delivery_id(delivery.delivery_id());
    new_owner.verifiers->OnAck(new_owner.verifier_stream, ack);
  }
  EXPECT_EQ(redelivered, (std::set<int64_t>{1, 2}));
  EXPECT_TRUE(harness::WaitFor([&] {
    return Length(journal::StreamKind::kUpdates, kGroup) == 0 &&
           Length(journal::StreamKind::kUpdates, kOtherGroup) == 0;
  }));
}

}  // namespace
}  // namespace subguard::ingest
