#include "common/ratelimit/bucket.h"

#include <gtest/gtest.h>

#include "common/base/clock.h"

namespace subguard::ratelimit {
namespace {

TEST(BucketTest, StartsFullThenRefillsAtRate) {
  base::FakeClock clock;
  const BucketSpec spec{.rate = 2, .burst = 3};
  BucketState state;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Refill(state, spec, clock.Now()), absl::ZeroDuration()) << i;
    Take(state, spec);
  }
  EXPECT_EQ(Refill(state, spec, clock.Now()), absl::Milliseconds(500));
  clock.Advance(absl::Milliseconds(250));
  EXPECT_EQ(Refill(state, spec, clock.Now()), absl::Milliseconds(250));
  clock.Advance(absl::Milliseconds(250));
  EXPECT_EQ(Refill(state, spec, clock.Now()), absl::ZeroDuration());
}

TEST(BucketTest, NeverHoldsMoreThanBurst) {
  base::FakeClock clock;
  const BucketSpec spec{.rate = 10, .burst = 2};
  BucketState state;
  Refill(state, spec, clock.Now());
  clock.Advance(absl::Hours(1));
  int taken = 0;
  while (Refill(state, spec, clock.Now()) == absl::ZeroDuration()) {
    Take(state, spec);
    ++taken;
  }
  EXPECT_EQ(taken, 2);
}

TEST(BucketTest, AdmitsAtMostBurstPlusRateTimesSpan) {
  base::FakeClock clock;
  const BucketSpec spec{.rate = 17.0 / 60, .burst = 2};
  BucketState state;
  int taken = 0;
  // Ask every 100 ms for a minute: at most 2 + 17 = 19 get through.
  for (int tick = 0; tick <= 600; ++tick) {
    if (Refill(state, spec, clock.Now()) == absl::ZeroDuration()) {
      Take(state, spec);
      ++taken;
    }
    clock.Advance(absl::Milliseconds(100));
  }
  EXPECT_LE(taken, 19);
  EXPECT_GE(taken, 18);
}

TEST(BucketTest, ZeroRateIsUnlimited) {
  base::FakeClock clock;
  BucketState state;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(Refill(state, BucketSpec{}, clock.Now()), absl::ZeroDuration());
    Take(state, BucketSpec{});
  }
}

TEST(BucketTest, FullAtIsWhenTheDeficitIsRefilled) {
  base::FakeClock clock;
  const BucketSpec spec{.rate = 1, .burst = 2};
  BucketState state;
  Refill(state, spec, clock.Now());
  Take(state, spec);
  Take(state, spec);
  EXPECT_EQ(FullAt(state, spec), clock.Now() + absl::Seconds(2));
}

}  // namespace
}  // namespace subguard::ratelimit
