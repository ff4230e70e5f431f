#include "services/ingest/offer_queue.h"

#include <vector>

#include "gtest/gtest.h"

namespace subguard::ingest {
namespace {

dispatch::Item MakeItem(int partition, const std::string& id) {
  dispatch::Item item;
  item.partition = partition;
  item.journal_id = id;
  return item;
}

std::vector<std::string> DrainAll(OfferQueue& queue) {
  std::vector<std::string> ids;
  queue.Drain([&](const dispatch::Item& item) {
    ids.push_back(item.journal_id);
    return true;
  });
  return ids;
}

TEST(OfferQueueTest, StopsAtTheFirstRefusalAndKeepsOrder) {
  OfferQueue queue;
  for (const char* id : {"1-0", "2-0", "3-0"}) queue.Push(MakeItem(0, id));
  int room = 1;
  EXPECT_EQ(queue.Drain([&](const dispatch::Item&) { return room-- > 0; }), 1u);
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(DrainAll(queue), (std::vector<std::string>{"2-0", "3-0"}));
  EXPECT_TRUE(queue.empty());
}

TEST(OfferQueueTest, DropsOnlyTheLostPartition) {
  OfferQueue queue;
  queue.Push(MakeItem(1, "1-0"));
  queue.Push(MakeItem(2, "2-0"));
  queue.Push(MakeItem(1, "3-0"));
  queue.DropPartition(1);
  EXPECT_EQ(DrainAll(queue), (std::vector<std::string>{"2-0"}));
}

}  // namespace
}  // namespace subguard::ingest
