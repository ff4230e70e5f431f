// The Bot API methods the sandbox answers, as a table for BotApi to route to.
//
// Each method reads its Params, checks and changes the World inside one World::Run, and returns the
// "result" of a successful reply or a Status made by errors.h (the error reply). Methods are called
// concurrently from the HTTP server's threads; getUpdates blocks while it long-polls, outside the world's
// lock.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/sandbox/params.h"
#include "services/sandbox/update_queue.h"
#include "services/sandbox/webhook_pusher.h"
#include "services/sandbox/world.h"

namespace subguard::sandbox {

// What methods work on. Owned by SandboxServer, which outlives every call.
struct MethodContext {
  World& world;
  UpdateQueue& updates;
  WebhookPusher& webhook;
  absl::Duration max_long_poll;  // getUpdates' timeout is clamped to this
};

// A successful reply: "result", and the optional "description" some methods add ("Webhook was set").
struct MethodResult {
  template <typename T>
  requires std::is_constructible_v<boost::json::value, T> MethodResult(T&& result)
      : result(std::forward<T>(result)) {}  // NOLINT: implicit, so methods return values
  MethodResult(boost::json::value result, std::string description)
      : result(std::move(result)), description(std::move(description)) {}

  boost::json::value result;
  std::string description;
};

using MethodFn = absl::StatusOr<MethodResult> (*)(MethodContext& context, const Params& params);

struct MethodSpec {
  std::string_view name;  // as documented: "getUpdates"
  MethodFn fn;
};

// getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo (methods_updates.cc).
std::vector<MethodSpec> UpdateMethods();
// getChat, getChatMember, getChatAdministrators, getChatMemberCount (methods_chats.cc).
std::vector<MethodSpec> ChatMethods();
// sendMessage, editMessageText, deleteMessage, answerCallbackQuery (methods_messages.cc).
std::vector<MethodSpec> MessageMethods();
// restrictChatMember, banChatMember, unbanChatMember (methods_moderation.cc).
std::vector<MethodSpec> ModerationMethods();
// forwardMessage, copyMessage, forwardMessages, copyMessages (methods_forward.cc).
std::vector<MethodSpec> ForwardMethods();

}  // namespace subguard::sandbox
