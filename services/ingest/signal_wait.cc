#include "services/ingest/signal_wait.h"

#include <signal.h>

#include <cerrno>

namespace subguard::ingest {
namespace {

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void BlockStopSignals() {
  const sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int WaitForStopSignal(absl::Duration tick, const std::function<void()>& on_tick) {
  const sigset_t signals = StopSignals();
  const timespec timeout = absl::ToTimespec(tick);
  while (true) {
    const int signal = sigtimedwait(&signals, nullptr, &timeout);
    if (signal > 0) return signal;
    if (errno == EAGAIN) on_tick();  // the tick passed; EINTR: another signal, wait again
  }
}

}  // namespace subguard::ingest
