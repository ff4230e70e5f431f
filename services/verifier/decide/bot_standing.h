// The bot's own standing changed in a group or a channel (my_chat_member): whether protection can
// still work, and what the owners of the protected groups concerned are told when it cannot. Pure.
//
// In a group the bot must be an admin that can restrict members and delete messages; in a linked
// channel, an admin (only admins see who joined). An owner is told, in a private message in the
// group's language, when a change breaks protection, or breaks it differently than before; never
// when it still works, so a promotion or an unrelated right changing says nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "services/verifier/decide/event.h"
#include "services/verifier/decide/types.h"

namespace subguard::verifier::decide {

// groups: the protected groups the change concerns: the group itself, or every group linking the
// channel. Groups that are not active, or were set up by the anonymous admin (no owner known), are
// skipped.
Decision DecideBotMemberChanged(int64_t update_id, const BotMemberChanged& change,
                                const std::vector<GroupConfig>& groups);

}  // namespace subguard::verifier::decide
