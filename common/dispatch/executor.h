// Executor: a fixed set of threads running submitted tasks in submission order (FIFO queue).
//
// Used by the Dispatcher for on_ack / on_give_up and by the Worker for DeliveryHandler::Handle, so
// that neither ever runs on a gRPC thread. The queue itself is not capped: callers bound it by
// construction (credits, max_queued). Thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace subguard::dispatch {

class Executor {
 public:
  explicit Executor(int threads);
  // Shuts down.
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues task; false (and task dropped) once Shutdown has begun.
  bool Submit(std::function<void()> task);
  // Refuses new tasks, runs every task already queued, and joins the threads. Idempotent; call it
  // from one thread at a time (main, or the owner's Stop), never from a task.
  void Shutdown();

 private:
  void Loop();
  bool HasWorkOrShutdown() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace subguard::dispatch
