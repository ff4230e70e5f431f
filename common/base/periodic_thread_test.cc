#include "common/base/periodic_thread.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace subguard::base {
namespace {

TEST(PeriodicThreadTest, RunsAPassAtOnceAndNoneAfterStop) {
  std::atomic<int> passes = 0;
  absl::Notification first;
  PeriodicThread loop;
  loop.Start(absl::InfiniteDuration(), [&] {
    ++passes;
    first.Notify();
  });
  first.WaitForNotification();
  loop.Stop();
  EXPECT_EQ(passes, 1);
  loop.Stop();  // again: nothing to do
}

TEST(PeriodicThreadTest, RunsAgainEveryPeriod) {
  std::atomic<int> passes = 0;
  absl::Notification third;
  PeriodicThread loop;
  loop.Start(absl::ZeroDuration(), [&] {
    if (++passes == 3) third.Notify();
  });
  third.WaitForNotification();
  loop.Stop();
  EXPECT_GE(passes, 3);
}

TEST(PeriodicThreadTest, APassThatPacesItselfEndsWhenStopped) {
  absl::Notification started;
  std::atomic<bool> woken_by_stop = false;
  std::atomic<bool> saw_stopping = false;
  PeriodicThread loop;
  loop.Start(absl::InfiniteDuration(), [&] {
    started.Notify();
    woken_by_stop = loop.WaitForStop(absl::InfiniteDuration());
    saw_stopping = loop.stopping();
  });
  started.WaitForNotification();
  loop.Stop();  // returns only because the pass's wait ends
  EXPECT_TRUE(woken_by_stop);
  EXPECT_TRUE(saw_stopping);
}

TEST(PeriodicThreadTest, StopsWithoutStart) {
  PeriodicThread loop;
  loop.Stop();
}

}  // namespace
}  // namespace subguard::base
