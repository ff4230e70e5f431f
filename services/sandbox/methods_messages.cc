// sendMessage, editMessageText, deleteMessage, answerCallbackQuery.
#include "absl/strings/ascii.h"
#include "services/sandbox/bot_json.h"
#include "services/sandbox/errors.h"
#include "services/sandbox/method_helpers.h"
#include "services/sandbox/methods.h"
#include "services/sandbox/text_entities.h"

namespace subguard::sandbox {
namespace {

constexpr int64_t kMaxTextLength = 4096;  // UTF-16 code units

// text with parse_mode applied. "Markdown" and "MarkdownV2" are taken as plain text: the sandbox does not
// parse them.
absl::StatusOr<FormattedText> FormatText(const Params& params) {
  const std::string text = params.Get("text");
  if (text.empty()) return BadRequest("message text is empty");
  const std::string parse_mode = absl::AsciiStrToLower(params.Get("parse_mode"));
  FormattedText formatted;
  if (parse_mode == "html") {
    absl::StatusOr<FormattedText> parsed = ParseHtml(text);
    if (!parsed.ok()) return parsed.status();
    formatted = *std::move(parsed);
  } else if (parse_mode.empty() || parse_mode == "none" || parse_mode == "markdown" || parse_mode == "markdownv2") {
    formatted = FormattedText{text, DetectEntities(text)};
  } else {
    return BadRequest("unsupported parse_mode");
  }
  if (formatted.text.empty()) return BadRequest("message text is empty");
  if (Utf16Length(formatted.text) > kMaxTextLength) return BadRequest("message is too long");
  return formatted;
}

// reply_parameters (or the older reply_to_message_id): the message replied to, 0 for none.
absl::StatusOr<int64_t> ReplyTo(World::Tx& tx, Chat& chat, const Params& params) {
  int64_t message_id = params.GetInt("reply_to_message_id");
  bool allow_without_reply = params.GetBool("allow_sending_without_reply");
  if (params.Has("reply_parameters")) {
    absl::StatusOr<boost::json::value> json = params.GetJson("reply_parameters", "reply parameters");
    if (!json.ok()) return json.status();
    if (!json->is_object()) return BadRequest("Object expected as reply parameters");
    const boost::json::object& object = json->as_object();
    const boost::json::value* id = object.if_contains("message_id");
    message_id = id != nullptr && id->is_int64() ? id->as_int64() : 0;
    const boost::json::value* allow = object.if_contains("allow_sending_without_reply");
    allow_without_reply = allow != nullptr && allow->is_bool() && allow->as_bool();
  }
  if (message_id <= 0) return 0;
  const Message* replied = tx.FindMessage(chat, message_id);
  if (replied != nullptr && !replied->deleted) return message_id;
  if (allow_without_reply) return 0;
  return BadRequest("message to be replied not found");
}

absl::StatusOr<MethodResult> SendMessage(MethodContext& context, const Params& params) {
  absl::StatusOr<FormattedText> text = FormatText(params);
  if (!text.ok()) return text.status();
  absl::StatusOr<boost::json::value> markup = params.GetJson("reply_markup", "reply keyboard markup");
  if (!markup.ok()) return markup.status();
  absl::StatusOr<InlineKeyboard> keyboard = ParseInlineKeyboard(*markup);
  if (!keyboard.ok()) return keyboard.status();
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Chat*> chat = ResolveChat(tx, params, Access::kWrite);
    if (!chat.ok()) {
      // A user the bot has no private chat with has not started it.
      const int64_t id = params.GetInt("chat_id");
      if (id > 0 && tx.FindUser(id) != nullptr) return Forbidden("bot can't initiate conversation with a user");
      return chat.status();
    }
    if (absl::Status status = CheckCanWrite(tx, **chat); !status.ok()) return status;
    absl::StatusOr<int64_t> reply_to = ReplyTo(tx, **chat, params);
    if (!reply_to.ok()) return reply_to.status();
    Message message;
    message.outgoing = true;
    if ((*chat)->type == ChatType::kChannel) {
      message.sender_chat_id = (*chat)->id;  // channel posts show the channel, not the bot
    } else {
      message.from_id = tx.bot().id;
    }
    message.text = std::move(text->text);
    message.entities = std::move(text->entities);
    message.keyboard = *std::move(keyboard);
    message.reply_to_message_id = *reply_to;
    const auto [stored, update_id] = tx.Post(**chat, std::move(message));
    return MessageJson(tx.state(), *stored);
  });
}

absl::StatusOr<MethodResult> EditMessageText(MethodContext& context, const Params& params) {
  if (params.Has("inline_message_id")) return BadRequest("inline messages are not supported by the sandbox");
  absl::StatusOr<FormattedText> text = FormatText(params);
  if (!text.ok()) return text.status();
  absl::StatusOr<boost::json::value> markup = params.GetJson("reply_markup", "reply keyboard markup");
  if (!markup.ok()) return markup.status();
  absl::StatusOr<InlineKeyboard> keyboard = ParseInlineKeyboard(*markup);
  if (!keyboard.ok()) return keyboard.status();
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Chat*> chat = ResolveChat(tx, params, Access::kEdit);
    if (!chat.ok()) return chat.status();
    Message* message = tx.FindMessage(**chat, params.GetInt("message_id"));
    if (message == nullptr || message->deleted) return BadRequest("message to edit not found");
    if (!message->outgoing) return BadRequest("message can't be edited");
    if (message->text == text->text && message->entities == text->entities && message->keyboard == *keyboard) {
      return BadRequest(
          "message is not modified: specified new message content and reply markup are exactly the same as a "
          "current content and reply markup of the message");
    }
    message->text = std::move(text->text);
    message->entities = std::move(text->entities);
    message->keyboard = *std::move(keyboard);
    message->edit_date = tx.Now();
    return MessageJson(tx.state(), *message);
  });
}

absl::StatusOr<MethodResult> DeleteMessage(MethodContext& context, const Params& params) {
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Chat*> chat = ResolveChat(tx, params, Access::kEdit);
    if (!chat.ok()) return chat.status();
    Message* message = tx.FindMessage(**chat, params.GetInt("message_id"));
    if (message == nullptr || message->deleted) return BadRequest("message to delete not found");
    if (!message->outgoing && (*chat)->type != ChatType::kPrivate) {
      const Member bot = tx.MemberOf(**chat, tx.bot().id);
      const bool can_delete = bot.status == MemberStatus::kCreator ||
                              (bot.status == MemberStatus::kAdministrator && bot.rights.can_delete_messages);
      if (!can_delete) return BadRequest("message can't be deleted");
    }
    message->deleted = true;
    return true;
  });
}

absl::StatusOr<MethodResult> AnswerCallbackQuery(MethodContext& context, const Params& params) {
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    CallbackQuery* query = tx.FindCallbackQuery(params.Get("callback_query_id"));
    if (query == nullptr || query->answered) {
      return BadRequest("query is too old and response timeout expired or query ID is invalid");
    }
    query->answered = true;
    query->answer_text = params.Get("text");
    query->show_alert = params.GetBool("show_alert");
    query->url = params.Get("url");
    query->cache_time = params.GetInt("cache_time");
    return true;
  });
}

}  // namespace

std::vector<MethodSpec> MessageMethods() {
  return {{"sendMessage", &SendMessage},
          {"editMessageText", &EditMessageText},
          {"deleteMessage", &DeleteMessage},
          {"answerCallbackQuery", &AnswerCallbackQuery}};
}

}  // namespace subguard::sandbox
