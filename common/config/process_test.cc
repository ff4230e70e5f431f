#include "common/config/process.h"

#include "gtest/gtest.h"

namespace subguard::config {
namespace {

TEST(StopSignalsTest, ReturnsFalseWhenNoSignalArrives) {
  StopSignals signals;
  EXPECT_FALSE(signals.WaitFor(absl::ZeroDuration()));
}

TEST(StopSignalsTest, SeesARaisedSigterm) {
  StopSignals signals;
  raise(SIGTERM);  // blocked, so it stays pending until WaitFor takes it
  EXPECT_TRUE(signals.WaitFor(absl::Seconds(5)));
}

}  // namespace
}  // namespace subguard::config
