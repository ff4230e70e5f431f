#include "services/sandbox/faults.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "services/sandbox/errors.h"

namespace subguard::sandbox {

void Faults::Configure(FaultOptions options) {
  std::lock_guard lock(mu_);
  options_ = std::move(options);
}

FaultOptions Faults::options() const {
  std::lock_guard lock(mu_);
  return options_;
}

bool Faults::Selects(const FaultOptions& options, std::string_view method) const {
  if (method == "getUpdates") return false;
  return options.methods.empty() ||
         std::find(options.methods.begin(), options.methods.end(), method) != options.methods.end();
}

absl::Status Faults::Apply(std::string_view method) {
  const FaultOptions options = this->options();
  if (!Selects(options, method)) return absl::OkStatus();
  // Real delays on purpose: these are what a client's timeouts and latency figures must see.
  if (options.latency > absl::ZeroDuration()) absl::SleepFor(options.latency);
  if (options.timeout_rate > 0 && random_.Uniform() < options.timeout_rate) {
    ++injected_;
    absl::SleepFor(options.hang);
    return InternalServerError("injected timeout");
  }
  if (options.error_rate > 0 && random_.Uniform() < options.error_rate) {
    ++injected_;
    return InternalServerError("injected error");
  }
  return absl::OkStatus();
}

}  // namespace subguard::sandbox
