// FakeBotApi: a BotApi for unit tests, with no network. Each call is recorded and answered by the
// handler set for its method; a method without one answers `true` (what most Bot API actions
// return). Replies can be given as Telegram's raw HTTP status and body, so tests run them through
// the real ParseReply. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/telegram/bot_api.h"

namespace subguard::telegram::testing {

class FakeBotApi final : public BotApi {
 public:
  using Handler = std::function<absl::StatusOr<boost::json::value>(const boost::json::object& params)>;
  struct RecordedCall {
    std::string method;
    boost::json::object params;
  };

  // Answers every later call of method with handler.
  void On(std::string method, Handler handler);
  // Answers every later call of method as BotApiClient would the given HTTP reply.
  void Reply(std::string method, int http_status, std::string body);

  absl::StatusOr<boost::json::value> Call(std::string_view method, const boost::json::object& params) override;

  std::vector<RecordedCall> calls() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Handler, std::less<>> handlers_ ABSL_GUARDED_BY(mu_);
  std::vector<RecordedCall> calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace subguard::telegram::testing
