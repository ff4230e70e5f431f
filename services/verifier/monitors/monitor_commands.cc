// /monitor add, list, remove, status: the lookups and writes behind each, and the reply.
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/command.h"
#include "services/verifier/monitors/monitors.h"

namespace subguard::verifier::monitors {
namespace {

constexpr char kHelp[] =
    "Forward monitors:\n"
    "/monitor add <source> <destination> [forward|copy] [edits] [contains:<text>] [media:any|text|media]\n"
    "/monitor add <source> record\n"
    "/monitor list\n"
    "/monitor remove <id>\n"
    "/monitor status";

// Telegram's refusals that asking again will not change.
bool IsPermanent(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument || status.code() == absl::StatusCode::kPermissionDenied;
}

bool IsAdmin(const std::string& status) { return status == "creator" || status == "administrator"; }

std::string Describe(const Monitor& monitor) {
  std::string text =
      absl::StrCat("#", monitor.id, " ", monitor.source_chat_id, " ", base::ToAbsl(ModeName(monitor.mode)));
  if (monitor.mode != Mode::kRecord) absl::StrAppend(&text, " -> ", monitor.dest_chat_id);
  if (monitor.send_edits) absl::StrAppend(&text, " edits");
  if (!monitor.text_contains.empty()) absl::StrAppend(&text, " contains:", monitor.text_contains);
  if (monitor.media != MediaFilter::kAny)
    absl::StrAppend(&text, " media:", base::ToAbsl(MediaFilterName(monitor.media)));
  return text;
}

}  // namespace

absl::StatusOr<decide::Decision> Monitors::OnCommand(int64_t update_id, const v1::Message& message) {
  const MonitorCommand command = ParseMonitorCommand(message.text());
  const int64_t owner = message.from().id();
  std::string outcome = "monitor_help";
  std::string reply = command.error.empty() ? kHelp : absl::StrCat(command.error, "\n\n", kHelp);
  switch (command.verb) {
    case Verb::kHelp:
      break;
    case Verb::kAdd: {
      outcome = "monitor_add";
      ASSIGN_OR_RETURN(reply, Add(message, command));
      break;
    }
    case Verb::kList: {
      outcome = "monitor_list";
      ASSIGN_OR_RETURN(reply, List(owner));
      break;
    }
    case Verb::kRemove: {
      outcome = "monitor_remove";
      ASSIGN_OR_RETURN(bool removed, store_.Remove(owner, command.monitor_id));
      reply = removed ? absl::StrCat("Monitor #", command.monitor_id, " removed.")
                      : absl::StrCat("You have no monitor #", command.monitor_id, ".");
      break;
    }
    case Verb::kStatus: {
      outcome = "monitor_status";
      ASSIGN_OR_RETURN(reply, Status(owner));
      break;
    }
  }
  decide::Decision decision{.outcome = std::move(outcome)};
  decision.actions.push_back(decide::Reply(update_id, message.chat().id(), message.message_id(), reply));
  return decision;
}

absl::StatusOr<std::string> Monitors::Add(const v1::Message& message, const MonitorCommand& command) {
  const int64_t user = message.from().id();
  ASSIGN_OR_RETURN(Resolved source, Resolve(command.source, user, /*is_source=*/true));
  if (!source.problem.empty()) return source.problem;
  Monitor monitor = command.spec;
  monitor.owner_user_id = user;
  monitor.source_chat_id = source.chat.id();
  if (monitor.mode != Mode::kRecord) {
    ASSIGN_OR_RETURN(Resolved dest, Resolve(command.dest, user, /*is_source=*/false));
    if (!dest.problem.empty()) return dest.problem;
    if (dest.chat.id() == source.chat.id()) return std::string("The source and the destination are the same chat.");
    monitor.dest_chat_id = dest.chat.id();
  }
  ASSIGN_OR_RETURN(monitor, store_.Add(std::move(monitor)));
  sources_.Changed(monitor.source_chat_id);
  return absl::StrCat("Monitor added: ", Describe(monitor));
}

absl::StatusOr<std::string> Monitors::List(int64_t owner_user_id) {
  ASSIGN_OR_RETURN(std::vector<Monitor> monitors, store_.ForOwner(owner_user_id));
  if (monitors.empty()) return std::string("You have no monitors. /monitor add <source> <destination>");
  std::string text = "Your monitors:";
  for (const Monitor& monitor : monitors) absl::StrAppend(&text, "\n", Describe(monitor));
  return text;
}

absl::StatusOr<std::string> Monitors::Status(int64_t owner_user_id) {
  ASSIGN_OR_RETURN(std::vector<Monitor> monitors, store_.ForOwner(owner_user_id));
  if (monitors.empty()) return std::string("You have no monitors.");
  std::vector<int64_t> ids;
  for (const Monitor& monitor : monitors) {
    ids.push_back(monitor.source_chat_id);
    if (monitor.dest_chat_id != 0) ids.push_back(monitor.dest_chat_id);
  }
  ASSIGN_OR_RETURN(std::vector<ChatState> chats, store_.Chats(ids));
  std::string text = absl::StrCat(monitors.size(), " monitor(s). Chats:");
  for (const ChatState& chat : chats) {
    const std::string reason = NotReadyReason(chat);
    absl::StrAppend(&text, "\n", chat.chat_id, " ", chat.title, ": ",
                    reason.empty() ? "ready" : absl::StrCat("not ready, ", reason),
                    " (bot: ", chat.bot_status.empty() ? "unknown" : chat.bot_status, ", sent ", chat.successes,
                    ", failed ", chat.failures, ", reliability ", absl::StrFormat("%.2f", chat.reliability));
    if (chat.held_posts > 0) absl::StrAppend(&text, ", held ", chat.held_posts);
    if (!chat.last_error.empty()) absl::StrAppend(&text, ", last error: ", chat.last_error);
    absl::StrAppend(&text, ")");
  }
  return text;
}

absl::StatusOr<Monitors::Resolved> Monitors::Resolve(const std::string& arg, int64_t user_id, bool is_source) {
  const std::optional<std::string> ref = decide::ChannelRefForGetChat(arg);
  if (!ref.has_value()) return Resolved{.problem = absl::StrCat(arg, " is not a chat I can look up (@name or id).")};
  absl::StatusOr<telegram::ChatInfo> info = bot_api_.GetChat(*ref);
  if (IsPermanent(info.status())) return Resolved{.problem = absl::StrCat("I can't find ", arg, ".")};
  RETURN_IF_ERROR(info.status());
  Resolved resolved{.chat = info->chat};
  ASSIGN_OR_RETURN(std::string user, MemberStatus(resolved.chat.id(), user_id));
  ASSIGN_OR_RETURN(std::string bot, MemberStatus(resolved.chat.id(), bot_.id));
  RETURN_IF_ERROR(store_.RememberChat(resolved.chat, bot));
  const bool channel = resolved.chat.type() == "channel";
  if (is_source && resolved.chat.type() == "private") {
    resolved.problem = absl::StrCat(arg, " is not a channel or a group: only those can be sources.");
  } else if (!IsAdmin(user)) {
    resolved.problem = absl::StrCat("You must be an administrator of ", arg, ".");
  } else if (is_source ? !IsAdmin(bot)
                       : (channel ? !IsAdmin(bot) : (bot.empty() || bot == "left" || bot == "kicked"))) {
    resolved.problem = absl::StrCat("Make me ", channel || is_source ? "an administrator" : "a member", " of ", arg,
                                    is_source ? " so I see its messages." : " so I can post there.");
  }
  return resolved;
}

absl::StatusOr<std::string> Monitors::MemberStatus(int64_t chat_id, int64_t user_id) {
  absl::StatusOr<v1::ChatMember> member = bot_api_.GetChatMember(chat_id, user_id);
  if (IsPermanent(member.status())) return std::string();
  RETURN_IF_ERROR(member.status());
  return member->status();
}

}  // namespace subguard::verifier::monitors
