// Verifier: messages, joins and channel leaves, through decide::DecideSubject; channel joins in silent
// mode, through decide::DecideChannelJoin.
#include "common/base/status_macros.h"
#include "common/observability/log.h"
#include "common/prompts/pending_prompts.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/channel_join.h"
#include "services/verifier/verifier.h"

namespace subguard::verifier {
absl::StatusOr<std::vector<decide::MemberStatus>> Verifier::ChannelStatuses(const decide::GroupConfig& config,
                                                                            int64_t user_id, bool bypass_cache) {
  std::vector<decide::MemberStatus> statuses;
  statuses.reserve(config.channels.size());
  for (const decide::LinkedChannel& channel : config.channels) {
    ASSIGN_OR_RETURN(decide::MemberStatus status, deps_.membership.Lookup(channel.id, user_id, bypass_cache));
    if (status == decide::MemberStatus::kNotMember && config.accept_join_requests &&
        deps_.join_requests.Pending(channel.id, user_id)) {
      status = decide::MemberStatus::kMember;
    }
    statuses.push_back(status);
  }
  return statuses;
}

absl::StatusOr<decide::Decision> Verifier::CheckSubject(int64_t update_id, const decide::Subject& subject) {
  static const decide::GroupConfig kNotProtected{.enabled = false};
  ASSIGN_OR_RETURN(ConfigCache::ConfigPtr config_ptr, deps_.configs.Get(subject.chat_id));
  const decide::GroupConfig& config = config_ptr != nullptr ? *config_ptr : kNotProtected;
  if (config.active()) deps_.seen_members.Saw(subject.chat_id, subject.user.id());

  decide::SubjectFacts facts;
  if (!decide::DecidedWithoutLookups(subject, config).has_value()) {
    ASSIGN_OR_RETURN(facts.channels, ChannelStatuses(config, subject.user.id(), /*bypass_cache=*/false));
    if (decide::NeedsGroupLookup(config, facts.channels)) {
      ASSIGN_OR_RETURN(facts.in_group, deps_.membership.Lookup(subject.chat_id, subject.user.id()));
      if (decide::NeedsPromptSlot(subject, facts.in_group)) {
        facts.prompt_slot = deps_.prompt_slots.Claim(subject.chat_id, subject.user.id(), update_id);
      }
    }
  }
  decide::Decision decision = decide::DecideSubject(update_id, subject, config, facts);
  // A prompt waits on its group's pending list until a sender names it, alone or with others.
  for (const v1::Action& action : decision.actions) {
    if (prompts::IsBatched(action)) RETURN_IF_ERROR(prompts::AddPending(deps_.redis, action, deps_.prompt_slots.ttl()));
  }
  return decision;
}

absl::StatusOr<Verifier::Decisions> Verifier::OnMemberChanged(int64_t update_id, const decide::MemberChanged& change) {
  // Whatever changed, the update says the standing now: the next message needs no getChatMember for it.
  deps_.membership.Remember(change.chat.id(), change.user.id(), change.new_status);
  Decisions decisions{{.outcome = "member_changed"}};
  if (change.chat.type() == "channel" && change.Left()) {
    auto groups = deps_.store.GroupsLinkedTo(change.chat.id());
    if (!groups.ok()) {
      // The user is restricted on their next message anyway; no reason to hold the update.
      log::Warn("linked_groups_unknown", {{"channel_id", change.chat.id()}, {"status", groups.status()}});
      return decisions;
    }
    for (int64_t group : *groups) {
      ASSIGN_OR_RETURN(decide::Decision decision,
                       CheckSubject(update_id, decide::SubjectOf(change, group, decide::Trigger::kChannelLeave)));
      decisions.push_back(std::move(decision));
    }
  } else if (change.chat.type() == "channel" && change.Joined()) {
    return OnChannelJoined(update_id, change);
  } else if (change.chat.type() != "channel" && change.Joined()) {
    ASSIGN_OR_RETURN(decide::Decision decision,
                     CheckSubject(update_id, decide::SubjectOf(change, change.chat.id(), decide::Trigger::kJoin)));
    decisions.push_back(std::move(decision));
  }
  return decisions;
}

absl::StatusOr<Verifier::Decisions> Verifier::OnChannelJoined(int64_t update_id, const decide::MemberChanged& change) {
  // Unlike a leave (re-checked on the next message), a silently muted user has no other way back in, so
  // a failed read is retried with the update.
  ASSIGN_OR_RETURN(const std::vector<int64_t> groups, deps_.store.GroupsLinkedTo(change.chat.id()));
  Decisions decisions{{.outcome = "member_changed"}};
  const int64_t user_id = change.user.id();
  for (int64_t group : groups) {
    ASSIGN_OR_RETURN(ConfigCache::ConfigPtr config, deps_.configs.Get(group));
    if (config == nullptr || !decide::ChannelJoinLifts(*config)) continue;
    decide::ChannelJoinFacts facts;
    ASSIGN_OR_RETURN(facts.restricted_by_us,
                     deps_.store.RestrictedBySubguard(group, user_id, decide::LiftId(update_id, group, user_id)));
    if (facts.restricted_by_us) {
      ASSIGN_OR_RETURN(facts.channels, ChannelStatuses(*config, user_id, /*bypass_cache=*/true));
      ASSIGN_OR_RETURN(facts.permissions, deps_.permissions.Get(group));
    }
    decide::Decision decision = decide::DecideChannelJoin(update_id, change.user, *config, facts);
    if (decision.release_prompt_slot) deps_.prompt_slots.Release(group, user_id);
    decisions.push_back(std::move(decision));
  }
  return decisions;
}

absl::StatusOr<decide::Decision> Verifier::OnJoinRequested(const decide::JoinRequested& request) {
  // Only a linked channel's requests are kept, so unrelated channels leave nothing in Redis.
  ASSIGN_OR_RETURN(std::vector<int64_t> groups, deps_.store.GroupsLinkedTo(request.chat.id()));
  if (groups.empty()) return decide::Decision{.outcome = "join_request_unlinked"};
  RETURN_IF_ERROR(deps_.join_requests.Record(request.chat.id(), request.user.id()));
  return decide::Decision{.outcome = "join_request_recorded"};
}

}  // namespace subguard::verifier
