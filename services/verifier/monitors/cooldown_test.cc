#include "services/verifier/monitors/cooldown.h"

#include "gtest/gtest.h"

namespace subguard::verifier::monitors {
namespace {

// Always the same point of the jitter range: 0 its bottom, 0.5 its middle.
class FixedRandom final : public base::Random {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double Uniform() override { return value_; }

 private:
  double value_;
};

TEST(Cooldown, DoublesFromTheBaseUpToTheCap) {
  FixedRandom middle(0.5);
  const CooldownPolicy policy;
  EXPECT_EQ(Cooldown(policy, 1, middle), absl::Seconds(60));
  EXPECT_EQ(Cooldown(policy, 2, middle), absl::Seconds(120));
  EXPECT_EQ(Cooldown(policy, 6, middle), absl::Seconds(1920));
  EXPECT_EQ(Cooldown(policy, 7, middle), absl::Hours(1));
  EXPECT_EQ(Cooldown(policy, 1000, middle), absl::Hours(1));
}

TEST(Cooldown, JittersByAFifth) {
  FixedRandom bottom(0.0);
  FixedRandom top(0.999999);
  const CooldownPolicy policy{.base = absl::Seconds(1), .max = absl::Seconds(10)};
  EXPECT_EQ(Cooldown(policy, 1, bottom), absl::Milliseconds(800));
  EXPECT_GT(Cooldown(policy, 1, top), absl::Milliseconds(1199));
  EXPECT_LT(Cooldown(policy, 1, top), absl::Milliseconds(1200));
  EXPECT_EQ(Cooldown(policy, 0, bottom), absl::Milliseconds(800));  // as the first
}

}  // namespace
}  // namespace subguard::verifier::monitors
