#include "services/verifier/decide/protection.h"

#include "absl/strings/str_cat.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/messages.h"
#include "services/verifier/decide/prompt.h"

namespace subguard::verifier::decide {
namespace {

bool Mutes(Policy policy) { return policy == Policy::kMute || policy == Policy::kMuteAndDelete; }
bool Deletes(Policy policy) { return policy != Policy::kMute; }

int64_t MuteUntil(const Subject& subject, const GroupConfig& config) {
  if (config.mute_duration <= absl::ZeroDuration()) return 0;
  return subject.date + absl::ToInt64Seconds(config.mute_duration);
}

std::string Reason(const Subject& subject, const std::vector<LinkedChannel>& missing) {
  const char* trigger = subject.trigger == Trigger::kMessage  ? "message"
                        : subject.trigger == Trigger::kJoin   ? "join"
                        : subject.trigger == Trigger::kVerify ? "verify all"
                                                              : "left channel";
  return absl::StrCat(trigger, "; not a member of ", ChannelNames(missing));
}

}  // namespace

Subject SubjectOf(const GroupMessage& message) {
  const v1::Message& m = message.message;
  return Subject{.trigger = Trigger::kMessage,
                 .chat_id = m.chat().id(),
                 .user = m.from(),
                 .message_id = m.message_id(),
                 .date = m.date(),
                 .is_automatic_forward = m.is_automatic_forward(),
                 .sender_chat_id = m.has_sender_chat() ? m.sender_chat().id() : 0};
}

std::vector<Subject> SubjectsOf(const MembersJoined& joined) {
  std::vector<Subject> subjects;
  for (const v1::User& user : joined.users) {
    subjects.push_back(
        Subject{.trigger = Trigger::kJoin, .chat_id = joined.chat_id, .user = user, .date = joined.date});
  }
  return subjects;
}

Subject SubjectOf(const MemberChanged& change, int64_t group_chat_id, Trigger trigger) {
  return Subject{.trigger = trigger, .chat_id = group_chat_id, .user = change.user, .date = change.date};
}

std::optional<std::string> DecidedWithoutLookups(const Subject& subject, const GroupConfig& config) {
  if (!config.active()) return "not_protected";
  if (subject.trigger == Trigger::kJoin && !config.check_on_join) return "join_unchecked";
  if (subject.is_automatic_forward || subject.user.id() == kTelegramServiceUserId) return "automatic_forward";
  if (subject.sender_chat_id == subject.chat_id || subject.user.id() == kGroupAnonymousBotId) return "anonymous_admin";
  if (subject.sender_chat_id != 0) return "sent_as_chat";
  if (subject.user.is_bot() && !config.restrict_bots) return "bot";
  if (config.exempt_users.contains(subject.user.id())) return "exempt";
  return std::nullopt;
}

std::vector<LinkedChannel> MissingChannels(const GroupConfig& config, const std::vector<MemberStatus>& statuses) {
  std::vector<LinkedChannel> missing;
  for (size_t i = 0; i < config.channels.size() && i < statuses.size(); ++i) {
    if (statuses[i] == MemberStatus::kNotMember) missing.push_back(config.channels[i]);
  }
  return missing;
}

bool NeedsGroupLookup(const GroupConfig& config, const std::vector<MemberStatus>& channels) {
  return !MissingChannels(config, channels).empty();
}

bool NeedsPromptSlot(const Subject& subject, MemberStatus in_group) {
  if (in_group == MemberStatus::kAdmin) return false;
  // After a channel leave, or in a verify-all job, only someone still in the group is restricted there.
  const bool wrote_or_joined = subject.trigger == Trigger::kMessage || subject.trigger == Trigger::kJoin;
  return wrote_or_joined || in_group == MemberStatus::kMember;
}

Decision DecideSubject(int64_t update_id, const Subject& subject, const GroupConfig& config,
                       const SubjectFacts& facts) {
  if (auto outcome = DecidedWithoutLookups(subject, config)) return Decision{.outcome = *outcome};
  const std::vector<LinkedChannel> missing = MissingChannels(config, facts.channels);
  if (missing.empty()) return Decision{.outcome = "member"};
  if (facts.in_group == MemberStatus::kAdmin) return Decision{.outcome = "admin"};
  if (!NeedsPromptSlot(subject, facts.in_group)) return Decision{.outcome = "not_in_group"};

  Decision decision;
  const int64_t chat = subject.chat_id;
  const int64_t user = subject.user.id();
  const std::string reason = Reason(subject, missing);
  const Policy policy = config.effective_policy();  // a basic group cannot mute
  if (subject.trigger == Trigger::kMessage && Deletes(policy)) {
    decision.actions.push_back(Delete(update_id, chat, subject.message_id));
    decision.audit.push_back({decision.actions.back().id(), chat, user, "delete", reason});
  }
  if (!facts.prompt_slot) {
    // A prompt is already out for this user: this message only gets the delete, if any.
    decision.outcome = "prompt_pending";
    return decision;
  }
  if (policy == Policy::kKick) {
    // Out of the group, the user could not see a prompt; they may join again once they joined the channels.
    decision.actions.push_back(Ban(update_id, chat, user));
    decision.audit.push_back({decision.actions.back().id(), chat, user, "kick", reason});
    decision.actions.push_back(UnbanIfBanned(update_id, chat, user));
    decision.outcome = "kicked";
    return decision;
  }
  if (Mutes(policy)) {
    decision.actions.push_back(Restrict(update_id, chat, user, MuteUntil(subject, config)));
    decision.audit.push_back({decision.actions.back().id(), chat, user, "restrict", reason});
  }
  // Silent mode: the policy alone, no message to the group (a channel join lifts the mute).
  if (!config.silent) {
    decision.actions.push_back(Send(update_id, chat, "prompt", user, RenderPrompt(config, subject.user, missing)));
  }
  decision.outcome = Mutes(policy) ? "restricted" : config.silent ? "silent" : "prompted";
  return decision;
}

}  // namespace subguard::verifier::decide
