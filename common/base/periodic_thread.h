// PeriodicThread: runs a pass on its own thread at once, then again every period, until Stop. For
// the background loops of the services (fold a stream, prune a table), which own one each.
//
//   PeriodicThread loop_;
//   loop_.Start(absl::Milliseconds(500), [this] { Fold(); });
//   ...
//   loop_.Stop();  // after the pass in progress, if any
//
// Start is called at most once; Stop any number of times (the destructor calls it), by the thread that
// owns the loop, never from a pass. A pass is never interrupted (it may check stopping()): Stop waits
// for it. stopping() and WaitForStop() are for the pass. Cost: one thread.
#pragma once

#include <functional>
#include <thread>
#include <utility>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace subguard::base {

class PeriodicThread {
 public:
  PeriodicThread() = default;
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;
  ~PeriodicThread() { Stop(); }

  void Start(absl::Duration period, std::function<void()> pass) {
    thread_ = std::thread([this, period, pass = std::move(pass)] {
      do {
        pass();
      } while (!stop_.WaitForNotificationWithTimeout(period));
    });
  }

  void Stop() {
    if (!stop_.HasBeenNotified()) stop_.Notify();
    if (thread_.joinable()) thread_.join();
  }

  // For a long pass: whether Stop was called, so it ends early.
  bool stopping() const { return stop_.HasBeenNotified(); }
  // For a pass that paces itself: waits up to duration, less when Stop is called; true when it was.
  bool WaitForStop(absl::Duration duration) { return stop_.WaitForNotificationWithTimeout(duration); }

 private:
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace subguard::base
