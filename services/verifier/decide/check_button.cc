#include "services/verifier/decide/check_button.h"

#include "absl/strings/substitute.h"
#include "common/base/strings.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/messages.h"
#include "services/verifier/decide/protection.h"

namespace subguard::verifier::decide {

Decision DecideCheck(int64_t update_id, const CheckPressed& press, const GroupConfig* config, const CheckFacts& facts) {
  const Catalogue& catalogue = CatalogueFor(config != nullptr ? config->language : "");
  const int64_t chat = press.chat_id;
  Decision decision;
  if (!CheckNeedsLookups(press)) {
    decision.outcome = "not_for_you";
    decision.actions.push_back(
        AnswerCallback(update_id, chat, press.callback_query_id, catalogue.check_not_for_you, /*show_alert=*/true));
    return decision;
  }
  if (!facts.bot_can_restrict) {
    decision.outcome = "bot_not_admin";
    decision.actions.push_back(
        AnswerCallback(update_id, chat, press.callback_query_id, catalogue.check_bot_not_admin, /*show_alert=*/true));
    return decision;
  }
  if (press.shared && !facts.restricted_by_us && !facts.named) {
    decision.outcome = "not_for_you";
    decision.actions.push_back(
        AnswerCallback(update_id, chat, press.callback_query_id, catalogue.check_not_for_you, /*show_alert=*/true));
    return decision;
  }
  if (config != nullptr && config->active()) {
    const std::vector<LinkedChannel> missing = MissingChannels(*config, facts.channels);
    if (!missing.empty()) {
      decision.outcome = "still_missing";
      decision.actions.push_back(AnswerCallback(
          update_id, chat, press.callback_query_id,
          absl::Substitute(base::ToAbsl(catalogue.check_missing), ChannelNames(missing)), /*show_alert=*/true));
      return decision;
    }
  }
  const int64_t user = press.target_user_id;
  // Only subguard's own mute is lifted: anything else (an admin's mute, a delete-only policy that never
  // muted) stays as it is.
  if (facts.restricted_by_us) {
    decision.actions.push_back(Lift(update_id, chat, user, facts.permissions));
    decision.audit.push_back({decision.actions.back().id(), chat, user, "release", "verified membership"});
  }
  // A prompt naming several users stays for the others (its auto-delete still applies).
  if (!press.shared) decision.actions.push_back(Delete(update_id, chat, press.prompt_message_id));
  decision.actions.push_back(
      AnswerCallback(update_id, chat, press.callback_query_id, catalogue.check_verified, /*show_alert=*/false));
  decision.release_prompt_slot = true;
  decision.outcome = "verified";
  return decision;
}

}  // namespace subguard::verifier::decide
