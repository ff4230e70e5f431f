#include "services/sandbox/call_guard.h"

#include <boost/json/array.hpp>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/sandbox/control_fields.h"
#include "services/sandbox/errors.h"

namespace subguard::sandbox {
namespace {

constexpr std::string_view kFloodPath = "/control/flood";
constexpr std::string_view kFaultsPath = "/control/faults";

// A number field (integer or not) in [0, max]; fallback when absent.
absl::StatusOr<double> OptionalNumber(const boost::json::object& input, std::string_view name, double fallback,
                                      double max) {
  const boost::json::value* value = input.if_contains(name);
  if (value == nullptr) return fallback;
  if (!value->is_number())
    return absl::InvalidArgumentError(absl::StrCat("field \"", base::ToAbsl(name), "\" must be a number"));
  const double number = value->to_number<double>();
  if (number < 0 || number > max) {
    return absl::InvalidArgumentError(absl::StrCat("field \"", base::ToAbsl(name), "\" must be in [0, ", max, "]"));
  }
  return number;
}

}  // namespace

CallGuard::CallGuard(const FloodLimitOptions& flood, const FaultOptions& faults, const base::Clock& clock,
                     base::Random& random, observability::Registry& registry)
    : limits_(flood, clock),
      faults_(random),
      refusals_(prometheus::BuildCounter()
                    .Name("subguard_sandbox_flood_refusals_total")
                    .Help("Bot API calls answered 429 Too Many Requests by the flood limits, by scope.")
                    .Register(registry)) {
  faults_.Configure(faults);
}

absl::Status CallGuard::BeforeCall(std::string_view method, const Params& params) {
  const int64_t chat_id = params.GetInt("chat_id");
  if (auto refusal = limits_.EnterUnsent(method, chat_id); refusal.has_value()) return Refused(*refusal);
  absl::Status fault = faults_.Apply(method);
  limits_.LeaveUnsent(method, chat_id);
  RETURN_IF_ERROR(fault);
  if (auto refusal = limits_.Admit(method, chat_id); refusal.has_value()) return Refused(*refusal);
  return absl::OkStatus();
}

absl::Status CallGuard::Refused(const FloodLimits::Refusal& refusal) {
  refusals_.Add({{"scope", std::string(FloodScopeName(refusal.scope))}}).Increment();
  return TooManyRequests(static_cast<int>(absl::ToInt64Seconds(refusal.retry_after)));
}

bool CallGuard::IsControlPath(std::string_view path) { return path == kFloodPath || path == kFaultsPath; }

http::Response CallGuard::HandleControl(const http::Request& request) {
  absl::StatusOr<boost::json::object> input = ControlInput(request);
  if (!input.ok()) return ControlReply(input.status());
  const bool post = request.method == "POST";
  if (request.path == kFloodPath) return ControlReply(post ? SetFlood(*input) : FloodState());
  return ControlReply(post ? SetFaults(*input) : FaultState());
}

boost::json::object CallGuard::FloodState() const {
  const FloodLimitOptions options = limits_.options();
  boost::json::object refusals;
  int64_t total = 0;
  for (FloodScope scope :
       {FloodScope::kBot, FloodScope::kChat, FloodScope::kGroup, FloodScope::kUnsent, FloodScope::kOther}) {
    refusals[FloodScopeName(scope)] = 0;
  }
  for (const auto& [scope, count] : limits_.refusals()) {
    refusals[scope] = count;
    total += count;
  }
  return boost::json::object{{"limits",
                              {{"enabled", options.enabled},
                               {"bot_per_second", options.bot_per_second},
                               {"chat_per_second", options.chat_per_second},
                               {"chat_burst", options.chat_burst},
                               {"group_per_minute", options.group_per_minute},
                               {"max_unsent_per_chat", options.max_unsent_per_chat},
                               {"other_per_second", options.other_per_second}}},
                             {"refusals", std::move(refusals)},
                             {"total", total}};
}

absl::StatusOr<boost::json::object> CallGuard::SetFlood(const boost::json::object& input) {
  FloodLimitOptions options = limits_.options();
  ASSIGN_OR_RETURN(options.enabled, OptionalBool(input, "enabled", options.enabled));
  ASSIGN_OR_RETURN(options.bot_per_second, OptionalNumber(input, "bot_per_second", options.bot_per_second, 1e6));
  ASSIGN_OR_RETURN(options.chat_per_second, OptionalNumber(input, "chat_per_second", options.chat_per_second, 1e6));
  ASSIGN_OR_RETURN(const double burst, OptionalNumber(input, "chat_burst", options.chat_burst, 1e6));
  ASSIGN_OR_RETURN(const double group, OptionalNumber(input, "group_per_minute", options.group_per_minute, 1e6));
  ASSIGN_OR_RETURN(const double unsent, OptionalNumber(input, "max_unsent_per_chat", options.max_unsent_per_chat, 1e6));
  ASSIGN_OR_RETURN(options.other_per_second, OptionalNumber(input, "other_per_second", options.other_per_second, 1e6));
  options.chat_burst = static_cast<int>(burst);
  options.group_per_minute = static_cast<int>(group);
  options.max_unsent_per_chat = static_cast<int>(unsent);
  limits_.Configure(options);
  return FloodState();
}

boost::json::object CallGuard::FaultState() const {
  const FaultOptions options = faults_.options();
  boost::json::array methods;
  for (const std::string& method : options.methods) methods.emplace_back(method);
  return boost::json::object{{"faults",
                              {{"error_rate", options.error_rate},
                               {"timeout_rate", options.timeout_rate},
                               {"latency_ms", absl::ToInt64Milliseconds(options.latency)},
                               {"hang_ms", absl::ToInt64Milliseconds(options.hang)},
                               {"methods", std::move(methods)}}},
                             {"injected", faults_.injected()}};
}

absl::StatusOr<boost::json::object> CallGuard::SetFaults(const boost::json::object& input) {
  FaultOptions options;
  ASSIGN_OR_RETURN(options.error_rate, OptionalNumber(input, "error_rate", 0, 1));
  ASSIGN_OR_RETURN(options.timeout_rate, OptionalNumber(input, "timeout_rate", 0, 1));
  ASSIGN_OR_RETURN(const double latency_ms, OptionalNumber(input, "latency_ms", 0, 600000));
  ASSIGN_OR_RETURN(const double hang_ms,
                   OptionalNumber(input, "hang_ms", absl::ToDoubleMilliseconds(options.hang), 600000));
  options.latency = absl::Milliseconds(latency_ms);
  options.hang = absl::Milliseconds(hang_ms);
  if (const boost::json::value* methods = input.if_contains("methods"); methods != nullptr) {
    if (!methods->is_array()) return absl::InvalidArgumentError("field \"methods\" must be an array of names");
    for (const boost::json::value& method : methods->as_array()) {
      if (!method.is_string()) return absl::InvalidArgumentError("field \"methods\" must be an array of names");
      options.methods.emplace_back(method.as_string());
    }
  }
  faults_.Configure(std::move(options));
  return FaultState();
}

}  // namespace subguard::sandbox
