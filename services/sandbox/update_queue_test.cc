// UpdateQueue on its own: offsets, bounds, allowed_updates parsing.
#include "services/sandbox/update_queue.h"

#include <boost/json/serialize.hpp>
#include <thread>

#include "gtest/gtest.h"

namespace subguard::sandbox {
namespace {

std::vector<int64_t> Ids(const absl::StatusOr<std::vector<QueuedUpdate>>& updates) {
  EXPECT_TRUE(updates.ok()) << updates.status();
  std::vector<int64_t> ids;
  if (updates.ok()) {
    for (const QueuedUpdate& update : *updates) ids.push_back(update.update_id);
  }
  return ids;
}

TEST(UpdateQueueTest, OffsetPastTheNewestConfirmsNothing) {
  UpdateQueue queue({.first_update_id = 10});
  queue.Push("message", boost::json::object{}, 1);
  queue.Push("message", boost::json::object{}, 1);
  EXPECT_EQ(Ids(queue.GetUpdates({.offset = 100})), (std::vector<int64_t>{10, 11}));
  EXPECT_EQ(Ids(queue.GetUpdates({.offset = 12})), std::vector<int64_t>{});
  EXPECT_EQ(queue.pending_count(), 0u);
  EXPECT_EQ(queue.Push("message", boost::json::object{}, 1), 12);
}

TEST(UpdateQueueTest, DropsTheOldestBeyondTheBound) {
  UpdateQueue queue({.max_pending = 2});
  for (int i = 0; i < 5; ++i) queue.Push("message", boost::json::object{}, 1);
  EXPECT_EQ(Ids(queue.GetUpdates({})), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(queue.dropped_count(), 3u);
}

TEST(UpdateQueueTest, LimitIsClampedAndTheUpdateHasItsType) {
  UpdateQueue queue({});
  for (int i = 0; i < 3; ++i) queue.Push("callback_query", boost::json::object{{"id", "q"}}, 7);
  EXPECT_EQ(Ids(queue.GetUpdates({.limit = 0})).size(), 1u);
  const auto updates = queue.GetUpdates({.limit = 1000});
  ASSERT_TRUE(updates.ok());
  ASSERT_EQ(updates->size(), 3u);
  EXPECT_EQ(boost::json::serialize((*updates)[0].update), R"({"update_id":1,"callback_query":{"id":"q"}})");
}

TEST(UpdateQueueTest, AllowedUpdatesParsingFollowsTheOfficialServer) {
  UpdateQueue queue({});
  EXPECT_TRUE(queue.AllowedIsDefault());
  EXPECT_EQ(queue.Push("chat_member", boost::json::object{}, 1), 0);  // not in the default set
  queue.UpdateAllowed(R"(["CHAT_MEMBER"])");
  EXPECT_EQ(queue.AllowedNames(), std::vector<std::string>{"chat_member"});
  queue.UpdateAllowed("not json");      // ignored
  queue.UpdateAllowed(R"("message")");  // not an array: ignored
  EXPECT_EQ(queue.AllowedNames(), std::vector<std::string>{"chat_member"});
  EXPECT_EQ(queue.Push("message", boost::json::object{}, 1), 0);
  EXPECT_GT(queue.Push("chat_member", boost::json::object{}, 1), 0);
  queue.UpdateAllowed(R"(["no_such_type"])");
  EXPECT_TRUE(queue.AllowedIsDefault());
}

TEST(UpdateQueueTest, WebhookEndsAWaitingPoll) {
  UpdateQueue queue({});
  std::thread webhook([&] {
    while (queue.waiting_polls() == 0) std::this_thread::yield();
    queue.SetWebhookActive(true);
  });
  const auto result = queue.GetUpdates({.timeout = absl::Seconds(50)});
  webhook.join();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(result.status().message(), "Conflict: terminated by setWebhook request");
}

TEST(UpdateQueueTest, ShutdownEndsAWaitingPoll) {
  UpdateQueue queue({});
  std::thread stopper([&] {
    while (queue.waiting_polls() == 0) std::this_thread::yield();
    queue.Shutdown();
  });
  const auto result = queue.GetUpdates({.timeout = absl::Seconds(50)});
  stopper.join();
  EXPECT_EQ(result.status().message(), "Internal Server Error: restart");
}

}  // namespace
}  // namespace subguard::sandbox
