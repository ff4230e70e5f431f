// Faults: errors and delays the sandbox injects into Bot API calls, to test how subguard copes with a
// Telegram that is slow, failing or unreachable.
//
// Each call to a selected method (all methods when FaultOptions::methods is empty) is, independently:
//   delayed by latency (always, when set);
//   answered 500 Internal Server Error with probability error_rate;
//   held for hang (longer than a client's timeout) with probability timeout_rate, then answered 500, so
//   the client sees a timeout.
// getUpdates is never touched (the ingest's polling is not what these faults test).
// Set at start from flags or at run time through POST /control/faults. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/base/random.h"

namespace subguard::sandbox {

struct FaultOptions {
  double error_rate = 0;                          // --fault_error_rate: share of calls answered 500
  double timeout_rate = 0;                        // --fault_timeout_rate: share of calls held for hang
  absl::Duration latency = absl::ZeroDuration();  // --fault_latency_ms: added to every call
  absl::Duration hang = absl::Seconds(15);        // how long a "timed out" call is held (not a flag)
  std::vector<std::string> methods;               // the methods affected; empty: every method
};

class Faults {
 public:
  explicit Faults(base::Random& random) : random_(random) {}

  void Configure(FaultOptions options);
  FaultOptions options() const;

  // Applies the faults to one call: may block (latency, hang), then OK or the 500 to answer.
  absl::Status Apply(std::string_view method);
  // Calls answered with an injected error so far (hangs included).
  int64_t injected() const { return injected_.load(); }

 private:
  bool Selects(const FaultOptions& options, std::string_view method) const;

  base::Random& random_;
  mutable std::mutex mu_;
  FaultOptions options_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> injected_{0};
};

}  // namespace subguard::sandbox
