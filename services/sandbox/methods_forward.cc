// forwardMessage, copyMessage, forwardMessages, copyMessages: a post of one chat sent again to another,
// with its "forwarded from" origin (forward) or without it (copy).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/sandbox/bot_json.h"
#include "services/sandbox/errors.h"
#include "services/sandbox/method_helpers.h"
#include "services/sandbox/methods.h"

namespace subguard::sandbox {
namespace {

constexpr size_t kMaxMessageIds = 100;  // forwardMessages' documented limit

enum class Mode { kForward, kCopy };

// The destination and the source chats of one call, checked as Telegram checks them.
struct Route {
  Chat* to = nullptr;
  Chat* from = nullptr;
};

absl::StatusOr<Route> ResolveRoute(World::Tx& tx, const Params& params) {
  absl::StatusOr<Chat*> to = ResolveChat(tx, params, Access::kWrite);
  if (!to.ok()) return to.status();
  if (absl::Status status = CheckCanWrite(tx, **to); !status.ok()) return status;
  absl::StatusOr<Chat*> from = ResolveChat(tx, params, Access::kRead, "from_chat_id");
  if (!from.ok()) return from.status();
  return Route{*to, *from};
}

// Posts source to route.to as the bot; nullptr when the source is unknown or deleted. An album's
// part sent again belongs to media_group_id in the destination ("": none).
const Message* Resend(World::Tx& tx, const Route& route, int64_t message_id, Mode mode,
                      const std::string& media_group_id = "") {
  const Message* source = tx.FindMessage(*route.from, message_id);
  if (source == nullptr || source->deleted) return nullptr;
  Message message;
  message.outgoing = true;
  if (route.to->type == ChatType::kChannel) {
    message.sender_chat_id = route.to->id;
  } else {
    message.from_id = tx.bot().id;
  }
  message.text = source->text;
  message.entities = source->entities;
  message.has_photo = source->has_photo;
  if (!source->media_group_id.empty()) message.media_group_id = media_group_id;
  if (mode == Mode::kForward) {
    // The original origin when the source was itself forwarded, as Telegram keeps it.
    const bool nested = source->forward_from_chat_id != 0;
    message.forward_from_chat_id = nested ? source->forward_from_chat_id : route.from->id;
    message.forward_from_message_id = nested ? source->forward_from_message_id : source->message_id;
  }
  return tx.Post(*route.to, std::move(message)).first;
}

const char* Verb(Mode mode) { return mode == Mode::kForward ? "forward" : "copy"; }

absl::StatusOr<MethodResult> One(MethodContext& context, const Params& params, Mode mode) {
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Route> route = ResolveRoute(tx, params);
    if (!route.ok()) return route.status();
    const Message* sent = Resend(tx, *route, params.GetInt("message_id"), mode);
    if (sent == nullptr) return BadRequest(absl::StrCat("message to ", Verb(mode), " not found"));
    if (mode == Mode::kCopy) return boost::json::object{{"message_id", sent->message_id}};
    return MessageJson(tx.state(), *sent);
  });
}

// message_ids: a JSON array of 1..100 strictly increasing ids.
absl::StatusOr<std::vector<int64_t>> MessageIds(const Params& params) {
  absl::StatusOr<boost::json::value> json = params.GetJson("message_ids", "message identifiers");
  if (!json.ok()) return json.status();
  if (!json->is_array() || json->as_array().empty()) return BadRequest("message_ids must be a non-empty array");
  if (json->as_array().size() > kMaxMessageIds) return BadRequest("too many messages to forward");
  std::vector<int64_t> ids;
  for (const boost::json::value& id : json->as_array()) {
    if (!id.is_int64() || id.as_int64() <= 0) return BadRequest("message identifiers must be positive integers");
    if (!ids.empty() && id.as_int64() <= ids.back()) {
      return BadRequest("message identifiers must be in a strictly increasing order");
    }
    ids.push_back(id.as_int64());
  }
  return ids;
}

// Missing posts are skipped, as Telegram does; none found at all is an error.
absl::StatusOr<MethodResult> Many(MethodContext& context, const Params& params, Mode mode) {
  absl::StatusOr<std::vector<int64_t>> ids = MessageIds(params);
  if (!ids.ok()) return ids.status();
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Route> route = ResolveRoute(tx, params);
    if (!route.ok()) return route.status();
    boost::json::array sent;
    // The album's parts arrive as one new album, as Telegram groups them again.
    const std::string media_group_id = absl::StrCat(route->to->id, "_", route->to->next_message_id);
    for (int64_t id : *ids) {
      if (const Message* message = Resend(tx, *route, id, mode, media_group_id)) {
        sent.push_back(boost::json::object{{"message_id", message->message_id}});
      }
    }
    if (sent.empty()) return BadRequest(absl::StrCat("messages to ", Verb(mode), " not found"));
    return sent;
  });
}

absl::StatusOr<MethodResult> ForwardMessage(MethodContext& context, const Params& params) {
  return One(context, params, Mode::kForward);
}
absl::StatusOr<MethodResult> CopyMessage(MethodContext& context, const Params& params) {
  return One(context, params, Mode::kCopy);
}
absl::StatusOr<MethodResult> ForwardMessages(MethodContext& context, const Params& params) {
  return Many(context, params, Mode::kForward);
}
absl::StatusOr<MethodResult> CopyMessages(MethodContext& context, const Params& params) {
  return Many(context, params, Mode::kCopy);
}

}  // namespace

std::vector<MethodSpec> ForwardMethods() {
  return {{"forwardMessage", &ForwardMessage},
          {"copyMessage", &CopyMessage},
          {"forwardMessages", &ForwardMessages},
          {"copyMessages", &CopyMessages}};
}

}  // namespace subguard::sandbox
