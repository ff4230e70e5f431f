#include "services/sandbox/errors.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <optional>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace subguard::sandbox {
namespace {

constexpr std::string_view kRetryAfterPayload = "subguard.sandbox/retry_after";
constexpr std::string_view kMigrateToPayload = "subguard.sandbox/migrate_to_chat_id";

// "Bad Request" + "Chat not found" -> "Bad Request: chat not found", as Client.cpp does: the first letter is
// lowered unless the second character marks an upper-case code ("CHAT_ADMIN_REQUIRED").
std::string Describe(std::string_view prefix, std::string_view text) {
  if (text.empty()) return std::string(prefix);
  std::string result = absl::StrCat(base::ToAbsl(prefix), ": ");
  const bool is_code = text.size() >= 2 && (text[1] == '_' || std::isupper(static_cast<unsigned char>(text[1])));
  if (is_code) {
    result.append(text);
  } else {
    result.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[0]))));
    result.append(text.substr(1));
  }
  return result;
}

std::optional<int> RetryAfter(const absl::Status& status) {
  const auto payload = status.GetPayload(base::ToAbsl(kRetryAfterPayload));
  int seconds = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &seconds)) return std::nullopt;
  return seconds;
}

std::optional<int64_t> MigrateTo(const absl::Status& status) {
  const auto payload = status.GetPayload(base::ToAbsl(kMigrateToPayload));
  int64_t chat_id = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &chat_id)) return std::nullopt;
  return chat_id;
}

}  // namespace

absl::Status BadRequest(std::string_view text) { return absl::InvalidArgumentError(Describe("Bad Request", text)); }
absl::Status Unauthorized(std::string_view text) { return absl::UnauthenticatedError(Describe("Unauthorized", text)); }
absl::Status Forbidden(std::string_view text) { return absl::PermissionDeniedError(Describe("Forbidden", text)); }
absl::Status NotFound(std::string_view text) { return absl::NotFoundError(Describe("Not Found", text)); }
absl::Status Conflict(std::string_view text) { return absl::FailedPreconditionError(Describe("Conflict", text)); }
absl::Status InternalServerError(std::string_view text) {
  return absl::InternalError(Describe("Internal Server Error", text));
}

absl::Status TooManyRequests(int retry_after_seconds) {
  absl::Status status =
      absl::ResourceExhaustedError(absl::StrCat("Too Many Requests: retry after ", retry_after_seconds));
  status.SetPayload(base::ToAbsl(kRetryAfterPayload), absl::Cord(absl::StrCat(retry_after_seconds)));
  return status;
}

absl::Status GroupUpgraded(int64_t migrate_to_chat_id) {
  absl::Status status = BadRequest("group chat was upgraded to a supergroup chat");
  status.SetPayload(base::ToAbsl(kMigrateToPayload), absl::Cord(absl::StrCat(migrate_to_chat_id)));
  return status;
}

int ErrorCode(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kFailedPrecondition:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    default:
      return 500;
  }
}

Reply OkReply(const boost::json::value& result, std::string_view description) {
  boost::json::object body;
  body["ok"] = true;
  body["result"] = result;
  if (!description.empty()) body["description"] = description;
  return {200, boost::json::serialize(body)};
}

Reply ErrorReply(const absl::Status& status) {
  const int code = ErrorCode(status);
  boost::json::object body;
  body["ok"] = false;
  body["error_code"] = code;
  body["description"] = code == 500 && status.code() != absl::StatusCode::kInternal
                            ? Describe("Internal Server Error", base::ToStd(status.message()))
                            : std::string(status.message());
  if (const std::optional<int> retry_after = RetryAfter(status); code == 429 && retry_after.has_value()) {
    body["parameters"] = boost::json::object{{"retry_after", *retry_after}};
  }
  if (const std::optional<int64_t> migrate_to = MigrateTo(status); code == 400 && migrate_to.has_value()) {
    body["parameters"] = boost::json::object{{"migrate_to_chat_id", *migrate_to}};
  }
  return {code, boost::json::serialize(body)};
}

}  // namespace subguard::sandbox
