#include "services/verifier/decide/bot_standing.h"

#include <string>

#include "absl/strings/str_join.h"
#include "absl/strings/substitute.h"
#include "common/base/strings.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/commands.h"
#include "services/verifier/decide/messages.h"

namespace subguard::verifier::decide {
namespace {

bool IsAdmin(const v1::ChatMember& member) {
  return member.status() == "administrator" || member.status() == "creator";
}

// What is wrong for protection with the bot as member of the changed chat; "" when nothing.
std::string Problem(const BotMemberChanged& change, const v1::ChatMember& member, const GroupConfig& group,
                    const Catalogue& catalogue) {
  if (change.chat.type() == "channel") {
    if (IsAdmin(member)) return "";
    std::string name = change.chat.title();
    for (const LinkedChannel& channel : group.channels) {
      if (channel.id == change.chat.id()) name = ChannelName(channel);
    }
    return absl::Substitute(base::ToAbsl(catalogue.owner_bot_channel_admin), name, group.title);
  }
  if (member.status() == "creator") return "";
  if (member.status() != "administrator") {
    return absl::Substitute(base::ToAbsl(catalogue.owner_bot_removed), group.title);
  }
  const std::vector<std::string> missing = MissingRights(member, catalogue, group.basic_group);
  if (missing.empty()) return "";
  return absl::Substitute(base::ToAbsl(catalogue.owner_bot_rights), group.title, absl::StrJoin(missing, ", "));
}

}  // namespace

Decision DecideBotMemberChanged(int64_t update_id, const BotMemberChanged& change,
                                const std::vector<GroupConfig>& groups) {
  Decision decision{.outcome = "bot_member_changed"};
  for (const GroupConfig& group : groups) {
    if (!group.active() || group.owner_user_id == 0) continue;
    const Catalogue& catalogue = CatalogueFor(group.language);
    const std::string now = Problem(change, change.new_member, group, catalogue);
    if (now.empty() || now == Problem(change, change.old_member, group, catalogue)) continue;
    v1::SendMessage message;
    message.set_text(now);
    decision.actions.push_back(Send(update_id, group.owner_user_id, "bot_alert", group.chat_id, std::move(message)));
    decision.outcome = "owner_told";
  }
  return decision;
}

}  // namespace subguard::verifier::decide
