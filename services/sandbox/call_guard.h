// CallGuard: the sandbox's RequestHook (bot_api.h): injected faults and Telegram's flood limits, in the
// order Telegram's server applies them to a call, and the control endpoints that switch them:
//   POST /control/flood    {enabled?, bot_per_second?, chat_per_second?, chat_burst?, group_per_minute?,
//                           max_unsent_per_chat?, other_per_second?}: changes the limits given, then forgets
//                           every bucket and refusal count -> the /control/flood GET reply
//   GET  /control/flood    -> {limits: {...}, refusals: {bot, chat, group, unsent, other}, total}
//   POST /control/faults   {error_rate?, timeout_rate?, latency_ms?, hang_ms?, methods?: [...]}: replaces the
//                           faults (absent fields: none) -> {faults: {...}, injected}
//   GET  /control/faults   -> {faults: {...}, injected}
// A refused call is answered 429 with parameters.retry_after, recorded in the call log like any other, and
// counted in subguard_sandbox_flood_refusals_total{scope}.
// Thread-safe.
#pragma once

#include <string_view>

#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/http/server.h"
#include "common/observability/metrics.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "services/sandbox/bot_api.h"
#include "services/sandbox/faults.h"
#include "services/sandbox/flood_limits.h"

namespace subguard::sandbox {

class CallGuard final : public RequestHook {
 public:
  CallGuard(const FloodLimitOptions& flood, const FaultOptions& faults, const base::Clock& clock, base::Random& random,
            observability::Registry& registry);

  // A message first waits its turn among the chat's unsent ones (through the injected latency), then
  // meets the flood limits; a call the faults fail never reaches the limits.
  absl::Status BeforeCall(std::string_view method, const Params& params) override;

  // True for the paths HandleControl answers.
  static bool IsControlPath(std::string_view path);
  http::Response HandleControl(const http::Request& request);

 private:
  absl::Status Refused(const FloodLimits::Refusal& refusal);
  boost::json::object FloodState() const;
  boost::json::object FaultState() const;
  absl::StatusOr<boost::json::object> SetFlood(const boost::json::object& input);
  absl::StatusOr<boost::json::object> SetFaults(const boost::json::object& input);

  FloodLimits limits_;
  Faults faults_;
  prometheus::Family<prometheus::Counter>& refusals_;
};

}  // namespace subguard::sandbox
