#include "common/telegram/bot_api.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "absl/strings/numbers.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "common/telegram/errors.h"
#include "common/telegram/json_parse.h"

namespace subguard::telegram {
namespace {

// The typed calls' results, with the method named in the error of a result that does not parse.
template <typename T>
absl::StatusOr<T> ParseResult(std::string_view method, const boost::json::value& result,
                              absl::StatusOr<T> (*parse)(const boost::json::value&)) {
  absl::StatusOr<T> parsed = parse(result);
  if (!parsed.ok()) {
    // A reply we cannot read is the server's fault, not the caller's.
    return WithContext(absl::InternalError(parsed.status().message()), method);
  }
  return parsed;
}

}  // namespace

absl::StatusOr<v1::User> BotApi::GetMe() {
  ASSIGN_OR_RETURN(boost::json::value result, Call("getMe", {}));
  return ParseResult("getMe", result, ParseUser);
}

absl::StatusOr<v1::ChatMember> BotApi::GetChatMember(int64_t chat_id, int64_t user_id) {
  ASSIGN_OR_RETURN(boost::json::value result, Call("getChatMember", {{"chat_id", chat_id}, {"user_id", user_id}}));
  return ParseResult("getChatMember", result, ParseChatMember);
}

absl::StatusOr<ChatInfo> BotApi::GetChat(std::string_view chat) {
  boost::json::object params;
  int64_t chat_id = 0;
  if (absl::SimpleAtoi(base::ToAbsl(chat), &chat_id)) {
    params["chat_id"] = chat_id;
  } else {
    params["chat_id"] = chat;
  }
  ASSIGN_OR_RETURN(boost::json::value result, Call("getChat", params));
  return ParseResult("getChat", result, ParseChatInfo);
}

absl::StatusOr<std::vector<v1::ChatMember>> BotApi::GetChatAdministrators(int64_t chat_id) {
  ASSIGN_OR_RETURN(boost::json::value result, Call("getChatAdministrators", {{"chat_id", chat_id}}));
  return ParseResult("getChatAdministrators", result, ParseChatMembers);
}

absl::StatusOr<std::vector<std::string>> BotApi::GetUpdates(const GetUpdatesRequest& request) {
  boost::json::object params{
      {"offset", request.offset}, {"limit", request.limit}, {"timeout", absl::ToInt64Seconds(request.timeout)}};
  if (!request.allowed_updates.empty()) {
    boost::json::array allowed;
    for (const std::string& kind : request.allowed_updates) allowed.emplace_back(kind);
    params["allowed_updates"] = std::move(allowed);
  }
  ASSIGN_OR_RETURN(boost::json::value result, Call("getUpdates", params));
  if (!result.is_array()) return absl::InternalError("getUpdates: result is not an array");
  std::vector<std::string> updates;
  updates.reserve(result.get_array().size());
  for (const boost::json::value& update : result.get_array()) updates.push_back(boost::json::serialize(update));
  return updates;
}

}  // namespace subguard::telegram
