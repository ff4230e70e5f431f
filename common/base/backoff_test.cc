#include "common/base/backoff.h"

#include "gtest/gtest.h"

namespace subguard::base {
namespace {

class FixedRandom final : public Random {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double Uniform() override { return value_; }

 private:
  double value_;
};

TEST(BackoffTest, CeilingDoublesUntilCap) {
  FixedRandom almost_one(0.999999);
  const BackoffPolicy policy{absl::Milliseconds(100), absl::Seconds(1)};
  EXPECT_NEAR(absl::ToDoubleMilliseconds(FullJitterDelay(policy, 0, almost_one)), 100, 0.01);
  EXPECT_NEAR(absl::ToDoubleMilliseconds(FullJitterDelay(policy, 2, almost_one)), 400, 0.01);
  EXPECT_NEAR(absl::ToDoubleMilliseconds(FullJitterDelay(policy, 10, almost_one)), 1000, 0.01);
  EXPECT_NEAR(absl::ToDoubleMilliseconds(FullJitterDelay(policy, 1000, almost_one)), 1000, 0.01);
}

TEST(BackoffTest, FullJitterCanBeZero) {
  FixedRandom zero(0.0);
  EXPECT_EQ(FullJitterDelay(BackoffPolicy{}, 5, zero), absl::ZeroDuration());
}

}  // namespace
}  // namespace subguard::base
