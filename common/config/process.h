// What every process's main() shares besides flags: fatal start-up errors, its default instance name,
// host:port parsing, and waiting for SIGINT/SIGTERM.
#pragma once

#include <signal.h>

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace subguard::config {

// Prints "<program>: <message>" as one line on stderr and exits with status 2. For configuration that
// cannot work (a missing token, a malformed address), before anything starts.
[[noreturn]] void Die(std::string_view program, std::string_view message);

// "<hostname>-<pid>": unique among live processes, readable in logs.
std::string DefaultInstanceId();

// SIGINT and SIGTERM, delivered only to WaitFor. Create it first in main, before any thread starts, so
// every thread inherits the blocked mask.
class StopSignals {
 public:
  StopSignals();
  // Waits up to timeout; true when a stop signal arrived.
  bool WaitFor(absl::Duration timeout);
  // Waits until a stop signal arrives.
  void Wait();

 private:
  sigset_t signals_;
};

}  // namespace subguard::config
