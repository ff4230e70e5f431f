// /monitor add, list, remove, status: the lookups and writes behind each, and the reply, in the
// sender's language (decide::CatalogueForUser).
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/substitute.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/command.h"
#include "services/verifier/monitors/monitors.h"

namespace subguard::verifier::monitors {
namespace {

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
  const decide::Catalogue& catalogue = decide::CatalogueForUser(message.from().language_code());
  const MonitorCommand command = ParseMonitorCommand(message.text(), catalogue);
  const int64_t owner = message.from().id();
  std::string outcome = "monitor_help";
  const absl::string_view help = base::ToAbsl(catalogue.monitor_help);
  std::string reply = command.error.empty() ? std::string(help) : absl::StrCat(command.error, "\n\n", help);
  switch (command.verb) {
    case Verb::kHelp:
      break;
    case Verb::kAdd: {
      outcome = "monitor_add";
      ASSIGN_OR_RETURN(reply, Add(message, command, catalogue));
      break;
    }
    case Verb::kList: {
      outcome = "monitor_list";
      ASSIGN_OR_RETURN(reply, List(owner, catalogue));
      break;
    }
    case Verb::kRemove: {
      outcome = "monitor_remove";
      ASSIGN_OR_RETURN(bool removed, store_.Remove(owner, command.monitor_id));
      reply = absl::Substitute(base::ToAbsl(removed ? catalogue.monitor_removed : catalogue.monitor_not_yours),
                               command.monitor_id);
      break;
    }
    case Verb::kStatus: {
      outcome = "monitor_status";
      ASSIGN_OR_RETURN(reply, Status(owner, catalogue));
      break;
    }
  }
  decide::Decision decision{.outcome = std::move(outcome)};
  decision.actions.push_back(decide::Reply(update_id, message.chat().id(), message.message_id(), reply));
  return decision;
}

absl::StatusOr<std::string> Monitors::Add(const v1::Message& message, const MonitorCommand& command,
                                          const decide::Catalogue& catalogue) {
  const int64_t user = message.from().id();
  ASSIGN_OR_RETURN(Resolved source, Resolve(command.source, user, /*is_source=*/true, catalogue));
  if (!source.problem.empty()) return source.problem;
  Monitor monitor = command.spec;
  monitor.owner_user_id = user;
  monitor.source_chat_id = source.chat.id();
  if (monitor.mode != Mode::kRecord) {
    ASSIGN_OR_RETURN(Resolved dest, Resolve(command.dest, user, /*is_source=*/false, catalogue));
    if (!dest.problem.empty()) return dest.problem;
    if (dest.chat.id() == source.chat.id()) return std::string(catalogue.monitor_same_chat);
    monitor.dest_chat_id = dest.chat.id();
  }
  ASSIGN_OR_RETURN(monitor, store_.Add(std::move(monitor)));
  sources_.Changed(monitor.source_chat_id);
  return absl::Substitute(base::ToAbsl(catalogue.monitor_added), Describe(monitor));
}

absl::StatusOr<std::string> Monitors::List(int64_t owner_user_id, const decide::Catalogue& catalogue) {
  ASSIGN_OR_RETURN(std::vector<Monitor> monitors, store_.ForOwner(owner_user_id));
  if (monitors.empty()) return std::string(catalogue.monitor_list_empty);
  std::vector<std::string> lines;
  for (const Monitor& monitor : monitors) lines.push_back(Describe(monitor));
  return absl::Substitute(base::ToAbsl(catalogue.monitor_list), absl::StrJoin(lines, "\n"));
}

absl::StatusOr<std::string> Monitors::Status(int64_t owner_user_id, const decide::Catalogue& catalogue) {
  ASSIGN_OR_RETURN(std::vector<Monitor> monitors, store_.ForOwner(owner_user_id));
  if (monitors.empty()) return std::string(catalogue.monitor_status_empty);
  std::vector<int64_t> ids;
  for (const Monitor& monitor : monitors) {
    ids.push_back(monitor.source_chat_id);
    if (monitor.dest_chat_id != 0) ids.push_back(monitor.dest_chat_id);
  }
  ASSIGN_OR_RETURN(std::vector<ChatState> chats, store_.Chats(ids));
  std::vector<std::string> lines;
  for (const ChatState& chat : chats) {
    const std::string reason = NotReadyReason(chat);
    std::string extra;
    if (chat.held_posts > 0) extra = absl::Substitute(base::ToAbsl(catalogue.monitor_status_held), chat.held_posts);
    if (!chat.last_error.empty()) {
      absl::StrAppend(&extra, absl::Substitute(base::ToAbsl(catalogue.monitor_status_error), chat.last_error));
    }
    lines.push_back(
        absl::Substitute(base::ToAbsl(catalogue.monitor_status_chat), chat.chat_id, chat.title,
                         reason.empty() ? std::string(catalogue.monitor_ready)
                                        : absl::Substitute(base::ToAbsl(catalogue.monitor_not_ready), reason),
                         chat.bot_status.empty() ? std::string(catalogue.monitor_bot_unknown) : chat.bot_status,
                         chat.successes, chat.failures, absl::StrFormat("%.2f", chat.reliability), extra));
  }
  return absl::Substitute(base::ToAbsl(catalogue.monitor_status), monitors.size(), absl::StrJoin(lines, "\n"));
}

absl::StatusOr<Monitors::Resolved> Monitors::Resolve(const std::string& arg, int64_t user_id, bool is_source,
                                                     const decide::Catalogue& catalogue) {
  const auto problem = [&](std::string_view text) { return absl::Substitute(base::ToAbsl(text), arg); };
  const std::optional<std::string> ref = decide::ChannelRefForGetChat(arg);
  if (!ref.has_value()) return Resolved{.problem = problem(catalogue.monitor_bad_ref)};
  absl::StatusOr<telegram::ChatInfo> info = bot_api_.GetChat(*ref);
  if (IsPermanent(info.status())) return Resolved{.problem = problem(catalogue.monitor_not_found)};
  RETURN_IF_ERROR(info.status());
  Resolved resolved{.chat = info->chat};
  ASSIGN_OR_RETURN(std::string user, MemberStatus(resolved.chat.id(), user_id));
  ASSIGN_OR_RETURN(std::string bot, MemberStatus(resolved.chat.id(), bot_.id));
  RETURN_IF_ERROR(store_.RememberChat(resolved.chat, bot));
  const bool channel = resolved.chat.type() == "channel";
  if (is_source && resolved.chat.type() == "private") {
    resolved.problem = problem(catalogue.monitor_not_a_source);
  } else if (!IsAdmin(user)) {
    resolved.problem = problem(catalogue.monitor_user_not_admin);
  } else if (is_source ? !IsAdmin(bot)
                       : (channel ? !IsAdmin(bot) : (bot.empty() || bot == "left" || bot == "kicked"))) {
    resolved.problem =
        problem(is_source ? catalogue.monitor_bot_source
                          : (channel ? catalogue.monitor_bot_dest_admin : catalogue.monitor_bot_dest_member));
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
