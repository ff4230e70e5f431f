// Bot API errors, as the sandbox answers them.
//
// A method fails by returning one of these Statuses; ErrorReply is the one place that turns a Status into
// the Bot API's JSON ({"ok":false,"error_code":N,"description":"...","parameters":{"retry_after":N}}) and
// HTTP status, modelled on telegram-bot-api Client.cpp fail_query_with_error: the description carries the
// class prefix ("Bad Request: ", "Forbidden: "...), and a lower-case first letter unless the text is an
// upper-case TDLib code such as CHAT_ADMIN_REQUIRED.
// The sandbox writes these texts itself, never through common/telegram, so a bug shared by both sides
// cannot pass every test.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace subguard::sandbox {

absl::Status BadRequest(std::string_view text);           // 400 "Bad Request: <text>"
absl::Status Unauthorized(std::string_view text);         // 401 "Unauthorized" or "Unauthorized: <text>"
absl::Status Forbidden(std::string_view text);            // 403 "Forbidden: <text>"
absl::Status NotFound(std::string_view text);             // 404 "Not Found" or "Not Found: <text>"
absl::Status Conflict(std::string_view text);             // 409 "Conflict: <text>"
absl::Status TooManyRequests(int retry_after_seconds);    // 429 "Too Many Requests: retry after N"
absl::Status InternalServerError(std::string_view text);  // 500 "Internal Server Error: <text>"
// 400 "Bad Request: group chat was upgraded to a supergroup chat", parameters.migrate_to_chat_id.
absl::Status GroupUpgraded(int64_t migrate_to_chat_id);

// A reply body with its HTTP status.
struct Reply {
  int http_status = 200;
  std::string body;
};

// {"ok":true,"result":...} plus "description" when given (setWebhook's "Webhook was set").
Reply OkReply(const boost::json::value& result, std::string_view description = "");
// The error reply for a failed method. Statuses not made by the functions above answer 500.
Reply ErrorReply(const absl::Status& status);

// The Bot API error_code of a failed method's status (400, 403, 429, ...).
int ErrorCode(const absl::Status& status);

}  // namespace subguard::sandbox
