// Waiting for SIGINT/SIGTERM in main, with periodic work while waiting (e.g. keeping gRPC health in
// step with /readyz). Useful to every process's main: it belongs in common/ once they share it.
#pragma once

#include <functional>

#include "absl/time/time.h"

namespace subguard::ingest {

// Blocks SIGINT and SIGTERM in the calling thread. Call it first in main, before any thread starts,
// so every thread inherits the mask and only WaitForStopSignal receives them.
void BlockStopSignals();

// Waits for SIGINT or SIGTERM (blocked by BlockStopSignals), running on_tick every tick meanwhile.
// Returns the signal's number.
int WaitForStopSignal(absl::Duration tick, const std::function<void()>& on_tick);

}  // namespace subguard::ingest
