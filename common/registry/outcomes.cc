#include "common/registry/outcomes.h"

#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace subguard::registry {

bool IsMonitorDelivery(const v1::Action& action) {
  return action.has_forward_message() || action.has_copy_message() || action.has_forward_messages();
}

absl::Status ReportMonitorOutcome(redis::Pool& redis, const MonitorOutcome& outcome) {
  return redis
      .Command({"XADD", kMonitorOutcomesStream, "MAXLEN", "~", "100000", "*", "action",
                outcome.action.SerializeAsString(), "ok", outcome.ok ? "1" : "0", "code",
                absl::StrCat(outcome.error_code), "error", outcome.description})
      .status();
}

std::optional<MonitorOutcome> ParseMonitorOutcome(const redis::Reply& fields) {
  MonitorOutcome outcome;
  bool has_action = false;
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    const std::string_view field = fields.elements[i].str;
    const std::string& value = fields.elements[i + 1].str;
    if (field == "action") {
      has_action = outcome.action.ParseFromString(value);
    } else if (field == "ok") {
      outcome.ok = value == "1";
    } else if (field == "code") {
      if (!absl::SimpleAtoi(value, &outcome.error_code)) return std::nullopt;
    } else if (field == "error") {
      outcome.description = value;
    }
  }
  if (!has_action || !IsMonitorDelivery(outcome.action)) return std::nullopt;
  return outcome;
}

}  // namespace subguard::registry
