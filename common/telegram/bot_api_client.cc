#include "common/telegram/bot_api_client.h"

#include <boost/json/serialize.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/base/strings.h"
#include "common/telegram/errors.h"
#include "common/telegram/json_fields.h"

namespace subguard::telegram {

BotApiClient::BotApiClient(BotApiOptions options)
    : options_(std::move(options)),
      base_url_(absl::StrCat(absl::StripSuffix(options_.api_url, "/"), "/bot", options_.token, "/")) {}

absl::Duration BotApiClient::TimeoutFor(std::string_view method, const boost::json::object& params) const {
  if (method != "getUpdates") return options_.timeout;
  const boost::json::value* wait = params.if_contains("timeout");
  absl::StatusOr<int64_t> seconds = wait == nullptr ? int64_t{0} : AsInt64(*wait, "timeout");
  return absl::Seconds(seconds.value_or(0)) + kLongPollMargin;
}

absl::Status BotApiClient::Redacted(const absl::Status& status) const {
  if (options_.token.empty() || status.message().find(options_.token) == absl::string_view::npos) return status;
  absl::Status result(status.code(), absl::StrReplaceAll(status.message(), {{options_.token, "<token>"}}));
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) { result.SetPayload(url, payload); });
  return result;
}

absl::StatusOr<boost::json::value> BotApiClient::Call(std::string_view method, const boost::json::object& params) {
  const std::string url = absl::StrCat(base_url_, base::ToAbsl(method));
  absl::StatusOr<http::HttpResponse> response =
      clients_.Borrow()->Post(url, "application/json", boost::json::serialize(params), TimeoutFor(method, params));
  if (!response.ok()) return WithContext(Redacted(response.status()), method);
  absl::StatusOr<boost::json::value> result = ParseReply(response->status, response->body);
  if (!result.ok()) return WithContext(Redacted(result.status()), method);
  return result;
}

}  // namespace subguard::telegram
