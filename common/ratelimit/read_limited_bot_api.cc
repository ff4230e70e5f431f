#include "common/ratelimit/read_limited_bot_api.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/observability/log.h"
#include "common/telegram/errors.h"

namespace subguard::ratelimit {
namespace {

// The chat a read is about, for the Scope (reads are bucketed bot-wide; the chat only names the call).
int64_t ChatOf(const boost::json::object& params) {
  const boost::json::value* chat = params.if_contains("chat_id");
  return chat != nullptr && chat->is_int64() ? chat->as_int64() : 0;
}

prometheus::Family<prometheus::Counter>& WaitsFamily(observability::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("subguard_ratelimit_read_waits_total")
      .Help("Bot API reads that waited for the read bucket: waited (then went) or refused (retried later)")
      .Register(registry);
}

}  // namespace

ReadLimitedBotApi::ReadLimitedBotApi(ReadLimitOptions options, telegram::BotApi& bot_api, Limiter& limiter,
                                     const base::Clock& clock, observability::Registry& registry)
    : options_(options),
      bot_api_(bot_api),
      limiter_(limiter),
      clock_(clock),
      waited_(WaitsFamily(registry).Add({{"outcome", "waited"}})),
      refused_(WaitsFamily(registry).Add({{"outcome", "refused"}})) {}

absl::StatusOr<boost::json::value> ReadLimitedBotApi::Call(std::string_view method, const boost::json::object& params) {
  if (ClassOf(method) != CallClass::kRead) return bot_api_.Call(method, params);
  const Scope scope{.chat_id = ChatOf(params), .call_class = CallClass::kRead};
  if (absl::Status admitted = AwaitToken(method, scope); !admitted.ok()) return admitted;
  absl::StatusOr<boost::json::value> result = bot_api_.Call(method, params);
  if (!result.ok() && result.status().code() == absl::StatusCode::kResourceExhausted) {
    if (const std::optional<absl::Duration> retry_after = telegram::RetryAfter(result.status())) {
      limiter_.Pause(scope, *retry_after);
      log::Warn("read_rate_limited", {{"method", method}, {"retry_after_s", absl::ToDoubleSeconds(*retry_after)}});
    }
  }
  return result;
}

absl::Status ReadLimitedBotApi::AwaitToken(std::string_view method, const Scope& scope) {
  const absl::Time deadline = clock_.Now() + options_.max_wait;
  bool waited = false;
  while (true) {
    const absl::Duration wait = limiter_.Acquire(scope);
    if (wait <= absl::ZeroDuration()) break;
    if (clock_.Now() + wait > deadline) {
      refused_.Increment();
      return absl::UnavailableError(absl::StrCat(base::ToAbsl(method), ": the bot's read limit asks to wait ",
                                                 absl::FormatDuration(wait), ", more than ",
                                                 absl::FormatDuration(options_.max_wait)));
    }
    waited = true;
    absl::SleepFor(wait);
  }
  if (waited) waited_.Increment();
  return absl::OkStatus();
}

}  // namespace subguard::ratelimit
