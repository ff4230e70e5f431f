#include "services/verifier/decide/channel_join.h"

#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/protection.h"

namespace subguard::verifier::decide {

bool ChannelJoinLifts(const GroupConfig& config) { return config.active() && config.silent; }

Decision DecideChannelJoin(int64_t update_id, const v1::User& user, const GroupConfig& config,
                           const ChannelJoinFacts& facts) {
  if (!ChannelJoinLifts(config)) return Decision{.outcome = "channel_join"};
  if (!facts.restricted_by_us) return Decision{.outcome = "channel_join_not_restricted"};
  if (!MissingChannels(config, facts.channels).empty()) return Decision{.outcome = "channel_join_still_missing"};
  Decision decision{.outcome = "channel_join_lifted"};
  decision.actions.push_back(Lift(update_id, config.chat_id, user.id(), facts.permissions));
  decision.audit.push_back({decision.actions.back().id(), config.chat_id, user.id(), "release", "joined the channels"});
  decision.release_prompt_slot = true;
  return decision;
}

}  // namespace subguard::verifier::decide
