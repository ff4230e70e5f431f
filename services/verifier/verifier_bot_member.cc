// Verifier: the bot's own standing changed (my_chat_member), through decide/bot_standing.h.
#include "common/base/status_macros.h"
#include "services/verifier/verifier.h"

namespace subguard::verifier {

absl::StatusOr<decide::Decision> Verifier::OnBotMemberChanged(int64_t update_id,
                                                              const decide::BotMemberChanged& change) {
  // The cached standing (a channel's bot lookup by /protect and /status) is stale now.
  deps_.membership.Invalidate(change.chat.id(), bot_.id);
  RETURN_IF_ERROR(deps_.store.RecordBotMember(change.chat, change.new_member));
  std::vector<int64_t> group_ids{change.chat.id()};
  if (change.chat.type() == "channel") {
    ASSIGN_OR_RETURN(group_ids, deps_.store.GroupsLinkedTo(change.chat.id()));
  }
  std::vector<decide::GroupConfig> groups;
  for (const int64_t group_id : group_ids) {
    ASSIGN_OR_RETURN(ConfigCache::ConfigPtr config, deps_.configs.Get(group_id));
    if (config != nullptr) groups.push_back(*config);
  }
  return decide::DecideBotMemberChanged(update_id, change, groups);
}

}  // namespace subguard::verifier
