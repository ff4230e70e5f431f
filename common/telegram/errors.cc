#include "common/telegram/errors.h"

#include <boost/json/parse.hpp>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/telegram/json_fields.h"
#include "common/telegram/update_parser.h"

namespace subguard::telegram {
namespace {

// Payload type URLs: the Bot API's error_code, and a 429's retry_after in seconds, as decimal text.
constexpr char kErrorCodeUrl[] = "type.subguard.dev/telegram.error_code";
constexpr char kRetryAfterUrl[] = "type.subguard.dev/telegram.retry_after";
// A 400's parameters.migrate_to_chat_id: the basic group named became this supergroup.
constexpr char kMigrateToUrl[] = "type.subguard.dev/telegram.migrate_to_chat_id";

absl::StatusCode CodeFor(int error_code) {
  switch (error_code) {
    case 429:
      return absl::StatusCode::kResourceExhausted;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 401:
    case 404:
      return absl::StatusCode::kUnauthenticated;
    case 409:
      return absl::StatusCode::kFailedPrecondition;
    default:
      if (error_code >= 400 && error_code < 500) return absl::StatusCode::kInvalidArgument;
      return absl::StatusCode::kUnavailable;
  }
}

absl::Status MakeError(int error_code, std::string_view description, int64_t retry_after_seconds) {
  absl::Status status(CodeFor(error_code), absl::StrCat("telegram ", error_code, ": ", base::ToAbsl(description)));
  status.SetPayload(kErrorCodeUrl, absl::Cord(absl::StrCat(error_code)));
  if (error_code == 429 && retry_after_seconds > 0) {
    status.SetPayload(kRetryAfterUrl, absl::Cord(absl::StrCat(retry_after_seconds)));
  }
  return status;
}

// A reply that is not the Bot API's JSON (a proxy's HTML page, a truncated body): classified by the
// HTTP status alone.
absl::Status Unparseable(int http_status) {
  if (http_status >= 200 && http_status < 300) {
    return absl::InternalError(absl::StrCat("telegram: HTTP ", http_status, " with a body that is not Bot API JSON"));
  }
  return MakeError(http_status, absl::StrCat("HTTP ", http_status, " without a Bot API reply"), 0);
}

std::optional<int64_t> PayloadInt(const absl::Status& status, std::string_view url) {
  auto payload = status.GetPayload(base::ToAbsl(url));
  int64_t value = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &value)) return std::nullopt;
  return value;
}

}  // namespace

absl::StatusOr<boost::json::value> ParseReply(int http_status, std::string_view body) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  boost::json::value reply = boost::json::parse(body, ec, {}, options);
  if (ec || !reply.is_object()) return Unparseable(http_status);
  boost::json::object& object = reply.get_object();
  const boost::json::value* ok = object.if_contains("ok");
  if (ok == nullptr || !ok->is_bool()) return Unparseable(http_status);
  if (ok->get_bool()) {
    boost::json::value* result = object.if_contains("result");
    return result == nullptr ? boost::json::value() : std::move(*result);
  }
  FieldReader r(object);
  int64_t error_code = r.Int64("error_code");
  const std::string description = r.String("description");
  int64_t retry_after = 0;
  int64_t migrate_to = 0;
  if (const boost::json::value* parameters = r.Object("parameters"); parameters != nullptr) {
    FieldReader p(parameters->get_object());
    retry_after = p.Int64("retry_after");
    migrate_to = p.Int64("migrate_to_chat_id");
  }
  // A malformed error_code falls back to the HTTP status, which Telegram sets to the same value.
  if (!r.status().ok() || error_code < 100 || error_code > 599) error_code = http_status;
  absl::Status error =
      MakeError(static_cast<int>(error_code), description.empty() ? "(no description)" : description, retry_after);
  if (migrate_to != 0) error.SetPayload(kMigrateToUrl, absl::Cord(absl::StrCat(migrate_to)));
  return error;
}

absl::Status ClassifyError(int http_status, std::string_view body) { return ParseReply(http_status, body).status(); }

std::optional<absl::Duration> RetryAfter(const absl::Status& status) {
  std::optional<int64_t> seconds = PayloadInt(status, kRetryAfterUrl);
  if (!seconds.has_value()) return std::nullopt;
  return absl::Seconds(*seconds);
}

std::optional<int64_t> MigrateToChatId(const absl::Status& status) { return PayloadInt(status, kMigrateToUrl); }

int BotApiErrorCode(const absl::Status& status) {
  return static_cast<int>(PayloadInt(status, kErrorCodeUrl).value_or(0));
}

bool IsRetryable(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return true;
    default:
      return false;
  }
}

absl::Status WithContext(const absl::Status& status, std::string_view context) {
  if (status.ok()) return status;
  absl::Status result(status.code(), absl::StrCat(base::ToAbsl(context), ": ", status.message()));
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) { result.SetPayload(url, payload); });
  return result;
}

}  // namespace subguard::telegram
