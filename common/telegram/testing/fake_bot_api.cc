#include "common/telegram/testing/fake_bot_api.h"

#include <utility>

#include "common/telegram/errors.h"

namespace subguard::telegram::testing {

void FakeBotApi::On(std::string method, Handler handler) {
  std::lock_guard lock(mu_);
  handlers_[std::move(method)] = std::move(handler);
}

void FakeBotApi::Reply(std::string method, int http_status, std::string body) {
  On(method,
     [method, http_status, body = std::move(body)](const boost::json::object&) -> absl::StatusOr<boost::json::value> {
       // As BotApiClient answers: errors name the method.
       absl::StatusOr<boost::json::value> result = ParseReply(http_status, body);
       if (!result.ok()) return WithContext(result.status(), method);
       return result;
     });
}

absl::StatusOr<boost::json::value> FakeBotApi::Call(std::string_view method, const boost::json::object& params) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    calls_.push_back({std::string(method), params});
    if (auto it = handlers_.find(method); it != handlers_.end()) handler = it->second;
  }
  if (!handler) return boost::json::value(true);
  return handler(params);
}

std::vector<FakeBotApi::RecordedCall> FakeBotApi::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

}  // namespace subguard::telegram::testing
