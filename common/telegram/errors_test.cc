#include "common/telegram/errors.h"

#include "common/telegram/testing/fixtures.h"
#include "gtest/gtest.h"

namespace subguard::telegram {
namespace {

using testing::ReadFixture;

TEST(ParseReplyTest, OkReplyGivesItsResult) {
  absl::StatusOr<boost::json::value> result = ParseReply(200, ReadFixture("reply_ok_true.json"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, true);
  EXPECT_TRUE(ClassifyError(200, ReadFixture("reply_ok_get_updates.json")).ok());
  absl::StatusOr<boost::json::value> empty = ParseReply(200, R"({"ok":true})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->is_null());
}

TEST(ClassifyErrorTest, TooManyRequestsCarriesRetryAfter) {
  const absl::Status status = ClassifyError(429, ReadFixture("reply_error_429.json"));
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(), "telegram 429: Too Many Requests: retry after 35");
  EXPECT_EQ(RetryAfter(status), absl::Seconds(35));
  EXPECT_EQ(BotApiErrorCode(status), 429);
  EXPECT_TRUE(IsRetryable(status));
}

TEST(ClassifyErrorTest, PermanentErrors) {
  const absl::Status bad_request = ClassifyError(400, ReadFixture("reply_error_400_not_enough_rights.json"));
  EXPECT_EQ(bad_request.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_request.message(), "telegram 400: Bad Request: not enough rights to restrict/unrestrict chat member");
  EXPECT_EQ(BotApiErrorCode(bad_request), 400);
  EXPECT_FALSE(IsRetryable(bad_request));
  EXPECT_EQ(RetryAfter(bad_request), std::nullopt);

  const absl::Status migrated = ClassifyError(400, ReadFixture("reply_error_400_migrated.json"));
  EXPECT_EQ(migrated.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MigrateToChatId(migrated), -1001234567890);
  EXPECT_EQ(MigrateToChatId(bad_request), std::nullopt);

  const absl::Status forbidden = ClassifyError(403, ReadFixture("reply_error_403_kicked.json"));
  EXPECT_EQ(forbidden.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(BotApiErrorCode(forbidden), 403);
  EXPECT_FALSE(IsRetryable(forbidden));
}

TEST(ClassifyErrorTest, TokenAndConflictErrors) {
  EXPECT_EQ(ClassifyError(401, ReadFixture("reply_error_401.json")).code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ClassifyError(404, R"({"ok":false,"error_code":404,"description":"Not Found"})").code(),
            absl::StatusCode::kUnauthenticated);
  const absl::Status conflict = ClassifyError(409, ReadFixture("reply_error_409_conflict.json"));
  EXPECT_EQ(conflict.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(IsRetryable(conflict));
}

TEST(ClassifyErrorTest, ServerErrorsAreRetryable) {
  const absl::Status bad_gateway = ClassifyError(502, ReadFixture("reply_error_502.json"));
  EXPECT_EQ(bad_gateway.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(IsRetryable(bad_gateway));
  // A proxy's page instead of the Bot API's JSON.
  const absl::Status html = ClassifyError(503, "<html><body>503 Service Unavailable</body></html>");
  EXPECT_EQ(html.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(BotApiErrorCode(html), 503);
  const absl::Status throttled = ClassifyError(429, "Too Many Requests");
  EXPECT_EQ(throttled.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryAfter(throttled), std::nullopt);
}

TEST(ClassifyErrorTest, UnparseableSuccessIsInternal) {
  for (const char* body : {"", "{\"ok\":tru", "[]", "{\"result\":true}", "{\"ok\":\"yes\"}", "\xff"}) {
    const absl::Status status = ClassifyError(200, body);
    EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << body;
    EXPECT_FALSE(IsRetryable(status));
  }
  const std::string deep = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_EQ(ClassifyError(200, deep).code(), absl::StatusCode::kInternal);
}

TEST(ClassifyErrorTest, MalformedErrorFieldsFallBackToTheHttpStatus) {
  const absl::Status status = ClassifyError(403, R"({"ok":false,"error_code":"403","description":7})");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(BotApiErrorCode(status), 403);
  const absl::Status no_description = ClassifyError(400, R"({"ok":false,"error_code":400})");
  EXPECT_EQ(no_description.message(), "telegram 400: (no description)");
}

TEST(IsRetryableTest, TransportErrors) {
  EXPECT_TRUE(IsRetryable(absl::UnavailableError("http: Connection refused")));
  EXPECT_TRUE(IsRetryable(absl::DeadlineExceededError("http: Operation timed out")));
  EXPECT_FALSE(IsRetryable(absl::OkStatus()));
  EXPECT_EQ(BotApiErrorCode(absl::UnavailableError("x")), 0);
}

TEST(WithContextTest, KeepsCodeAndPayloads) {
  const absl::Status status = WithContext(ClassifyError(429, ReadFixture("reply_error_429.json")), "sendMessage");
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(), "sendMessage: telegram 429: Too Many Requests: retry after 35");
  EXPECT_EQ(RetryAfter(status), absl::Seconds(35));
  EXPECT_EQ(BotApiErrorCode(status), 429);
  EXPECT_TRUE(WithContext(absl::OkStatus(), "x").ok());
}

}  // namespace
}  // namespace subguard::telegram
