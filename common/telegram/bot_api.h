// BotApi: the Telegram Bot API calls subguard makes, as an interface so tests and benchmarks can
// point it at the sandbox (or anything else) over real HTTP.
//
// Every failure is a Status chosen by what the caller should do next (ClassifyError in errors.h):
//   kResourceExhausted  429; RetryAfter() gives the pause Telegram asked for
//   kUnavailable        5xx, network error; retry with backoff
//   kDeadlineExceeded   no answer in time; retry with backoff
//   kInvalidArgument    400 (bad request, chat not found, not enough rights); do not retry
//   kPermissionDenied   403 (bot kicked, blocked by the user); do not retry, tell the owner
//   kUnauthenticated    401/404 on every call: the token is wrong
//   kFailedPrecondition 409: another getUpdates poller or a webhook holds the updates
//   kInternal           a reply that is not the Bot API's JSON, or a result of the wrong shape
// Messages name the method and carry Telegram's description ("sendMessage: telegram 403: Forbidden:
// bot was kicked from the supergroup chat"), never the token.
// Implementations are thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "subguard/v1/action.pb.h"
#include "subguard/v1/update.pb.h"

namespace subguard::telegram {

// What getChat tells about a chat.
struct ChatInfo {
  v1::Chat chat;
  v1::ChatPermissions permissions;  // the group's default member permissions
  int64_t linked_chat_id = 0;       // the discussion group of a channel, or the channel of a group
};

struct GetUpdatesRequest {
  int64_t offset = 0;
  int limit = 100;
  absl::Duration timeout = absl::Seconds(25);  // long-poll wait on the server
  std::vector<std::string> allowed_updates;
};

class BotApi {
 public:
  virtual ~BotApi() = default;

  // Any method, with its parameters as a JSON object; returns the "result" field. The one call an
  // implementation must provide: the typed calls below are built on it (and may be overridden).
  virtual absl::StatusOr<boost::json::value> Call(std::string_view method, const boost::json::object& params) = 0;

  virtual absl::StatusOr<v1::User> GetMe();
  virtual absl::StatusOr<v1::ChatMember> GetChatMember(int64_t chat_id, int64_t user_id);
  // chat is a numeric id ("-1001234") or a public username ("@name").
  virtual absl::StatusOr<ChatInfo> GetChat(std::string_view chat);
  virtual absl::StatusOr<std::vector<v1::ChatMember>> GetChatAdministrators(int64_t chat_id);
  // Each update's JSON text, in order, for the ingest to journal. Each is the update re-serialised
  // from the reply (same content; spacing and number spelling may differ from Telegram's bytes).
  virtual absl::StatusOr<std::vector<std::string>> GetUpdates(const GetUpdatesRequest& request);
};

}  // namespace subguard::telegram
