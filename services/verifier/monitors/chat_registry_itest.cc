// ChatRegistry against a real PostgreSQL with the embedded migrations: outcomes, cool-downs, the
// bound on held posts, flush claims and pruning. Each test uses its own chats.
#include <string>

#include "gtest/gtest.h"
#include "services/verifier/monitors/chat_registry.h"
#include "tests/harness/postgres_fixture.h"
#include "tests/harness/process.h"

namespace subguard::verifier::monitors {
namespace {

constexpr absl::Duration kDeadline = absl::Seconds(30);

v1::Action Forward(int64_t dest, int64_t update_id) {
  v1::Action action;
  action.set_id("u" + std::to_string(update_id) + ":forward:" + std::to_string(dest));
  action.set_chat_id(dest);
  action.set_update_id(update_id);
  action.mutable_forward_message()->set_from_chat_id(-1);
  action.mutable_forward_message()->set_message_id(update_id);
  return action;
}

class ChatRegistryItest : public harness::PostgresTest {
 protected:
  // A forward monitor from source -1 (Forward's) to dest: refusals are held only for existing monitors.
  void AddMonitor(int64_t dest) {
    ASSERT_TRUE(pool_
                    .Transact([&](pqxx::work& tx) {
                      tx.exec_params(
                          "INSERT INTO monitors (owner_user_id, source_chat_id, dest_chat_id, mode) "
                          "VALUES (1, -1, $1, 'forward') ON CONFLICT DO NOTHING",
                          dest);
                      return absl::OkStatus();
                    })
                    .ok());
  }

  double Metric(const std::string& name) {
    double total = 0;
    for (const prometheus::MetricFamily& family : metrics_registry_.Collect()) {
      if (family.name != name) continue;
      for (const prometheus::ClientMetric& metric : family.metric) total += metric.counter.value + metric.gauge.value;
    }
    return total;
  }

  std::vector<int64_t> HeldUpdates(int64_t dest) {
    std::vector<int64_t> updates;
    auto held = registry_.Held(dest);
    EXPECT_TRUE(held.ok()) << held.status();
    if (held.ok()) {
      for (const v1::Action& action : *held) updates.push_back(action.update_id());
    }
    return updates;
  }

  base::RealRandom random_;
  observability::Registry metrics_registry_;
  RegistryMetrics metrics_{metrics_registry_};
  ChatRegistry registry_{
      {.cooldown = {.base = absl::Seconds(1), .max = absl::Seconds(2)}, .max_held_per_destination = 3},
      pool_,
      base::RealClock::Instance(),
      random_,
      metrics_};
};

TEST_F(ChatRegistryItest, HoldsInUpdateOrderAndDropsTheOldestBeyondTheBound) {
  constexpr int64_t kDest = -3001;
  ASSERT_TRUE(registry_.Hold({Forward(kDest, 5), Forward(kDest, 2), Forward(kDest, 4)}).ok());
  ASSERT_TRUE(registry_.Hold({Forward(kDest, 1), Forward(kDest, 2), Forward(kDest, 3)}).ok());  // 2 again: once
  EXPECT_EQ(HeldUpdates(kDest), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(Metric("subguard_monitors_held_dropped_total"), 2);
}

TEST_F(ChatRegistryItest, AFailureCoolsDownAndHoldsASuccessResets) {
  constexpr int64_t kDest = -3002;
  AddMonitor(kDest);
  // The failure that starts the cool-down changes the destination's standing (the bot's status there
  // is refreshed); within the cool-down a second failure does not lengthen it, nor change it.
  EXPECT_EQ(registry_.RecordOutcome({.action = Forward(kDest, 1), .error_code = 403, .description = "kicked"}).value(),
            true);
  EXPECT_EQ(registry_.RecordOutcome({.action = Forward(kDest, 2), .error_code = 403, .description = "kicked"}).value(),
            false);
  EXPECT_EQ(QueryInt("SELECT failures FROM chats WHERE chat_id = $1", kDest), 2);
  EXPECT_EQ(QueryInt("SELECT consecutive_failures FROM chats WHERE chat_id = $1", kDest), 1);
  auto holding = registry_.Holding({kDest, -3999});
  ASSERT_TRUE(holding.ok());
  EXPECT_TRUE(holding->contains(kDest));
  EXPECT_FALSE(holding->contains(-3999));
  EXPECT_EQ(HeldUpdates(kDest), (std::vector<int64_t>{1, 2}));

  // Once the cool-down is over the destination is claimed for a flush, by one caller only.
  std::vector<int64_t> claimed;
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        auto dests = registry_.ClaimFlushes();
        if (dests.ok() && !dests->empty()) claimed = *dests;
        return !claimed.empty();
      },
      kDeadline));
  EXPECT_EQ(claimed, std::vector<int64_t>{kDest});
  auto again = registry_.ClaimFlushes();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());  // its posts are still held from before the claim

  EXPECT_EQ(registry_.RecordOutcome({.action = Forward(kDest, 1), .ok = true}).value(), true);  // recovered
  EXPECT_EQ(registry_.RecordOutcome({.action = Forward(kDest, 2), .ok = true}).value(), false);
  EXPECT_TRUE(HeldUpdates(kDest).empty());
  EXPECT_EQ(QueryInt("SELECT successes FROM chats WHERE chat_id = $1", kDest), 2);
  EXPECT_EQ(QueryInt("SELECT consecutive_failures FROM chats WHERE chat_id = $1", kDest), 0);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM chats WHERE chat_id = $1 AND cooldown_until IS NULL", kDest), 1);
  EXPECT_EQ(Metric("subguard_monitors_outcomes_total"), 4);
}

TEST_F(ChatRegistryItest, APostTelegramNeverAcceptsIsDroppedWithoutACooldown) {
  constexpr int64_t kDest = -3005;
  AddMonitor(kDest);
  // Held earlier (its destination was cooling down); the flush's retry is refused for the post itself.
  ASSERT_TRUE(registry_.Hold({Forward(kDest, 1)}).ok());
  EXPECT_EQ(registry_
                .RecordOutcome({.action = Forward(kDest, 1),
                                .error_code = 400,
                                .description = "Bad Request: message can't be forwarded"})
                .value(),
            false);
  EXPECT_EQ(
      registry_
          .RecordOutcome(
              {.action = Forward(kDest, 2), .error_code = 400, .description = "Bad Request: message can't be copied"})
          .value(),
      false);
  EXPECT_TRUE(HeldUpdates(kDest).empty());
  auto holding = registry_.Holding({kDest});
  ASSERT_TRUE(holding.ok());
  EXPECT_FALSE(holding->contains(kDest));
  EXPECT_EQ(QueryInt("SELECT failures FROM chats WHERE chat_id = $1", kDest), 2);
  EXPECT_EQ(QueryInt("SELECT consecutive_failures FROM chats WHERE chat_id = $1", kDest), 0);
  EXPECT_EQ(Metric("subguard_monitors_unsendable_posts_total"), 2);
}

TEST_F(ChatRegistryItest, PrunesUnseenChatsButNotThoseHoldingPosts) {
  constexpr int64_t kIdle = -3003;
  constexpr int64_t kHolding = -3004;
  v1::Chat idle;
  idle.set_id(kIdle);
  idle.set_type("channel");
  ASSERT_TRUE(registry_.Seen(idle).ok());
  AddMonitor(kHolding);
  ASSERT_TRUE(registry_.RecordOutcome({.action = Forward(kHolding, 1), .error_code = 400, .description = "no"}).ok());
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        auto pruned = registry_.Prune(absl::Milliseconds(10));
        return pruned.ok() && QueryInt("SELECT count(*) FROM chats WHERE chat_id = $1", kIdle) == 0;
      },
      kDeadline));
  EXPECT_EQ(QueryInt("SELECT count(*) FROM chats WHERE chat_id = $1", kHolding), 1);
  // Seen again (the cache was cleared by the prune): it comes back.
  ASSERT_TRUE(registry_.Seen(idle).ok());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM chats WHERE chat_id = $1", kIdle), 1);
}

// A removed monitor's posts: dropped from the held ones, and a refusal coming back later holds
// nothing; the bot's status is recorded as getChatMember told it.
TEST_F(ChatRegistryItest, ARemovedMonitorsPostsAreDroppedAndNotHeldAgain) {
  constexpr int64_t kDest = -3005;
  AddMonitor(kDest);
  ASSERT_TRUE(registry_.Hold({Forward(kDest, 1), Forward(kDest, 2)}).ok());
  ASSERT_TRUE(registry_.Drop(kDest, {Forward(kDest, 1).id()}).ok());
  EXPECT_EQ(HeldUpdates(kDest), std::vector<int64_t>{2});
  ASSERT_TRUE(pool_
                  .Transact([&](pqxx::work& tx) {
                    tx.exec_params("DELETE FROM monitors WHERE dest_chat_id = $1", kDest);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(registry_.RecordOutcome({.action = Forward(kDest, 3), .error_code = 403, .description = "kicked"}).ok());
  EXPECT_EQ(HeldUpdates(kDest), std::vector<int64_t>{2});
  EXPECT_EQ(QueryInt("SELECT failures FROM chats WHERE chat_id = $1", kDest), 1);

  ASSERT_TRUE(registry_.SetBotStatus(kDest, "kicked").ok());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM chats WHERE chat_id = $1 AND bot_status = 'kicked'", kDest), 1);
}

}  // namespace
}  // namespace subguard::verifier::monitors
