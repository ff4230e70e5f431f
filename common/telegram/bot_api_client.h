// BotApiClient: the BotApi over HTTP, for a real Bot API server or the sandbox.
//
// Each call POSTs its parameters as JSON to <api_url>/bot<token>/<method> on a pooled libcurl client
// and turns the reply into a result or a Status with ParseReply (errors.h). The token is part of the
// URL, so neither the URL nor anything derived from it is logged or put in a Status; error messages
// name the method only. Owned by main (or a test) and shared by reference.
// Thread-safe: calls may run concurrently; each borrows its own connection. Cost: one HTTP request.
#pragma once

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "common/http/client.h"
#include "common/telegram/bot_api.h"

namespace subguard::telegram {

struct BotApiOptions {
  // --telegram_api_url / SUBGUARD_TELEGRAM_API_URL; default https://api.telegram.org. The sandbox's
  // address in tests and the local run.
  std::string api_url = "https://api.telegram.org";
  // The bot token, from config::ReadSecret("SUBGUARD_BOT_TOKEN") only; never logged.
  std::string token;
  // The HTTP timeout of a call. getUpdates waits on the server up to its own "timeout" parameter, so
  // it gets that plus kLongPollMargin instead. Set by the caller's options; default 10 s.
  absl::Duration timeout = absl::Seconds(10);
};

class BotApiClient final : public BotApi {
 public:
  // The slack a getUpdates call's HTTP timeout gets over its long-poll wait.
  static constexpr absl::Duration kLongPollMargin = absl::Seconds(10);

  explicit BotApiClient(BotApiOptions options);

  absl::StatusOr<boost::json::value> Call(std::string_view method, const boost::json::object& params) override;

 private:
  // The HTTP timeout for one call: the long poll's wait plus a margin for getUpdates.
  absl::Duration TimeoutFor(std::string_view method, const boost::json::object& params) const;
  // status with every occurrence of the token replaced; a belt to the braces of never putting it in.
  absl::Status Redacted(const absl::Status& status) const;

  const BotApiOptions options_;
  const std::string base_url_;  // <api_url>/bot<token>/ (secret)
  http::ClientPool clients_;
};

}  // namespace subguard::telegram
