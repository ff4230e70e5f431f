#include "common/registry/permanent_errors.h"

#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace subguard::registry {

absl::Status ReportPermanentError(redis::Pool& redis, const PermanentError& error) {
  return redis
      .Command({"XADD",      kPermanentErrorsStream,
                "MAXLEN",    "~",
                "10000",     "*",
                "action_id", error.action_id,
                "chat",      absl::StrCat(error.chat_id),
                "user",      absl::StrCat(error.user_id),
                "method",    error.method,
                "reason",    error.reason,
                "code",      absl::StrCat(error.error_code),
                "error",     error.description,
                "at_us",     absl::StrCat(absl::ToUnixMicros(error.at))})
      .status();
}

std::optional<PermanentError> ParsePermanentError(const redis::Reply& fields) {
  PermanentError error;
  int64_t at_us = 0;
  bool numbers_ok = true;
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    const std::string_view field = fields.elements[i].str;
    const std::string& value = fields.elements[i + 1].str;
    if (field == "action_id") {
      error.action_id = value;
    } else if (field == "chat") {
      numbers_ok &= absl::SimpleAtoi(value, &error.chat_id);
    } else if (field == "user") {
      numbers_ok &= absl::SimpleAtoi(value, &error.user_id);
    } else if (field == "method") {
      error.method = value;
    } else if (field == "reason") {
      error.reason = value;
    } else if (field == "code") {
      numbers_ok &= absl::SimpleAtoi(value, &error.error_code);
    } else if (field == "error") {
      error.description = value;
    } else if (field == "at_us") {
      numbers_ok &= absl::SimpleAtoi(value, &at_us);
    }
  }
  if (!numbers_ok || error.action_id.empty() || at_us <= 0) return std::nullopt;
  error.at = absl::FromUnixMicros(at_us);
  return error;
}

}  // namespace subguard::registry
