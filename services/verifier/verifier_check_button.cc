// Verifier: the "I have joined" button, through decide::DecideCheck.
#include "common/base/status_macros.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/verifier.h"

namespace subguard::verifier {

absl::StatusOr<decide::Decision> Verifier::OnCheckPressed(int64_t update_id, const decide::CheckPressed& press) {
  ASSIGN_OR_RETURN(ConfigCache::ConfigPtr config, deps_.configs.Get(press.chat_id));
  decide::CheckFacts facts;
  if (decide::CheckNeedsLookups(press)) {
    if (config != nullptr && config->active()) {
      // Never trust a cached "member" here: the user may have left since.
      ASSIGN_OR_RETURN(facts.channels, ChannelStatuses(*config, press.target_user_id, /*bypass_cache=*/true));
    }
    ASSIGN_OR_RETURN(const v1::ChatMember bot, BotMember(press.chat_id));
    facts.bot_can_restrict =
        bot.status() == "creator" || (bot.status() == "administrator" && bot.can_restrict_members());
    if (facts.bot_can_restrict) {
      ASSIGN_OR_RETURN(facts.restricted_by_us, deps_.store.RestrictedBySubguard(
                                                   press.chat_id, press.target_user_id,
                                                   decide::LiftId(update_id, press.chat_id, press.target_user_id)));
      ASSIGN_OR_RETURN(facts.permissions, deps_.permissions.Get(press.chat_id));
      if (press.shared) {
        ASSIGN_OR_RETURN(facts.named, deps_.prompt_slots.Held(press.chat_id, press.target_user_id));
      }
    }
  }
  decide::Decision decision = decide::DecideCheck(update_id, press, config.get(), facts);
  if (decision.release_prompt_slot) deps_.prompt_slots.Release(press.chat_id, press.target_user_id);
  return decision;
}

}  // namespace subguard::verifier
