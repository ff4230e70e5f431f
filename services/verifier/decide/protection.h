// The protection policy: what happens to a user who writes in, joins, or (having left a linked
// channel) is still in a protected group without being a member of every linked channel. Pure.
//
// The adapter gathers SubjectFacts in this order, stopping as soon as the answer is known:
// DecidedWithoutLookups() -> channel lookups -> (a channel missing) the user's standing in the group -> (not an
// admin) the prompt slot. DecideSubject gives the same answer for any facts past the stopping point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/verifier/decide/event.h"
#include "services/verifier/decide/types.h"

namespace subguard::verifier::decide {

// Telegram's own accounts: the service account behind automatic forwards from a linked channel, and
// the sender of an anonymous admin's messages.
inline constexpr int64_t kTelegramServiceUserId = 777000;
inline constexpr int64_t kGroupAnonymousBotId = 1087968824;

enum class Trigger {
  kMessage,       // the user wrote (or edited) a message
  kJoin,          // the user joined the group
  kChannelLeave,  // the user left a linked channel
  kVerify,        // a verify-all job checks the user (a seen member of the group)
};

struct Subject {
  Trigger trigger = Trigger::kMessage;
  int64_t chat_id = 0;  // the group
  v1::User user;
  int64_t message_id = 0;  // kMessage: deleted under a delete policy
  int64_t date = 0;        // unix time it happened; a timed mute counts from here
  bool is_automatic_forward = false;
  int64_t sender_chat_id = 0;  // set when the message was sent on behalf of a chat
};

Subject SubjectOf(const GroupMessage& message);
std::vector<Subject> SubjectsOf(const MembersJoined& joined);
// The user of a chat_member change, as seen from group_chat_id (the change's own chat for a join; a
// group linked to the channel for a leave).
Subject SubjectOf(const MemberChanged& change, int64_t group_chat_id, Trigger trigger);

struct SubjectFacts {
  std::vector<MemberStatus> channels;              // one per GroupConfig::channels, in order
  MemberStatus in_group = MemberStatus::kUnknown;  // the user's standing in the group itself
  bool prompt_slot = false;                        // this update holds the user's one prompt in the group
};

// The outcome label when no lookup is needed: protection is off, join checks are off, or the policy
// never touches the subject (automatic forwards, the group's anonymous admin, messages sent as a
// channel, bots unless restrict_bots, exempted users).
std::optional<std::string> DecidedWithoutLookups(const Subject& subject, const GroupConfig& config);

// The linked channels the facts say the user is not a member of (unknown lookups never count).
std::vector<LinkedChannel> MissingChannels(const GroupConfig& config, const std::vector<MemberStatus>& statuses);

// The user's standing in the group matters (and is looked up) only when a channel is missing; the
// prompt slot only when, besides, the user is no admin of the group.
bool NeedsGroupLookup(const GroupConfig& config, const std::vector<MemberStatus>& channels);
bool NeedsPromptSlot(const Subject& subject, MemberStatus in_group);

// Under policy mute (and mute_and_delete): restrict, until verified or for mute_duration, and prompt,
// once per prompt slot. Under delete (and mute_and_delete): delete the message, every time. Under kick:
// delete the message, and once per prompt slot ban then unban (only_if_banned), with no prompt. In silent
// mode (GroupConfig::silent) no policy prompts.
Decision DecideSubject(int64_t update_id, const Subject& subject, const GroupConfig& config, const SubjectFacts& facts);

}  // namespace subguard::verifier::decide
