#include "common/base/bounded_lru.h"

#include <string>

#include "gtest/gtest.h"

namespace subguard::base {
namespace {

TEST(BoundedLruTest, EvictsLeastRecentlyUsedWhenFull) {
  FakeClock clock;
  BoundedLru<int, std::string> lru(2, absl::Minutes(1), clock);
  lru.Put(1, "one");
  lru.Put(2, "two");
  ASSERT_TRUE(lru.Get(1).has_value());  // 2 is now the least recently used
  lru.Put(3, "three");
  EXPECT_EQ(lru.size(), 2u);
  EXPECT_FALSE(lru.Get(2).has_value());
  EXPECT_EQ(lru.Get(1).value(), "one");
  EXPECT_EQ(lru.Get(3).value(), "three");
}

TEST(BoundedLruTest, NeverReturnsAnExpiredEntry) {
  FakeClock clock;
  BoundedLru<int, int> lru(10, absl::Seconds(5), clock);
  lru.Put(1, 10);
  clock.Advance(absl::Seconds(4));
  EXPECT_EQ(lru.Get(1).value(), 10);
  clock.Advance(absl::Seconds(1));
  EXPECT_FALSE(lru.Get(1).has_value());
  EXPECT_EQ(lru.size(), 0u);
}

TEST(BoundedLruTest, PutRefreshesValueAndExpiry) {
  FakeClock clock;
  BoundedLru<int, int> lru(10, absl::Seconds(5), clock);
  lru.Put(1, 10);
  clock.Advance(absl::Seconds(4));
  lru.Put(1, 11);
  clock.Advance(absl::Seconds(4));
  EXPECT_EQ(lru.Get(1).value(), 11);
}

}  // namespace
}  // namespace subguard::base
