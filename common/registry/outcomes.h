// Monitor outcomes: what became of each monitor delivery (forwardMessage, copyMessage,
// forwardMessages) a sender carried out, reported into one Redis stream that the verifiers fold into
// the chat registry in PostgreSQL (services/verifier/monitors/registry_loop.h): successes and
// failures per destination, its cool-down, and the posts held for it
// (docs/decisions/0009-monitor-outcomes-stream.md).
//
// Written by the sender's Executor, read by the verifiers' RegistryLoop. Free functions; thread-safe
// as the redis::Pool is.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "common/redis/client.h"
#include "subguard/v1/action.pb.h"

namespace subguard::registry {

// The stream (capped at about 100,000 entries) and the verifiers' consumer group on it.
inline constexpr char kMonitorOutcomesStream[] = "sg:{mon}:outcomes";
inline constexpr char kMonitorOutcomesGroup[] = "verifiers";

struct MonitorOutcome {
  v1::Action action;  // as the sender received it, so a failed post can be held and sent again
  bool ok = false;
  int error_code = 0;       // Telegram's error_code on failure (403, 400, ...), 0 otherwise
  std::string description;  // Telegram's description on failure
};

// forwardMessage, copyMessage and forwardMessages: the kinds only forward monitors emit.
bool IsMonitorDelivery(const v1::Action& action);

// Appends the outcome to the stream. kUnavailable when Redis cannot be reached.
absl::Status ReportMonitorOutcome(redis::Pool& redis, const MonitorOutcome& outcome);

// The outcome of one stream entry's field list ([field, value, ...]); nullopt for a malformed one.
std::optional<MonitorOutcome> ParseMonitorOutcome(const redis::Reply& fields);

}  // namespace subguard::registry
