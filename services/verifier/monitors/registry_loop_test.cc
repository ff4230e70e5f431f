#include "services/verifier/monitors/registry_loop.h"

#include <gtest/gtest.h>

namespace subguard::verifier::monitors {
namespace {

TEST(SyntheticUpdateIdTest, NegativeAndDistinctPerProcessSalt) {
  const absl::Time now = absl::FromUnixMicros(1'700'000'000'000'000);
  EXPECT_LT(SyntheticUpdateId(now, 0, 0), 0);
  // Two verifiers starting their sequences in the same microsecond.
  EXPECT_NE(SyntheticUpdateId(now, 17, 0), SyntheticUpdateId(now, 523, 0));
  EXPECT_NE(SyntheticUpdateId(now, 17, 0), SyntheticUpdateId(now, 17, 1));
  // The salt and the sequence stay in the low three digits: the microseconds are kept.
  EXPECT_EQ(SyntheticUpdateId(now, 999, 1001) / 1000, -1'700'000'000'000'000);
}

}  // namespace
}  // namespace subguard::verifier::monitors
