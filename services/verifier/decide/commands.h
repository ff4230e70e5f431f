// The bot's commands: who may run them, and what each answers and changes. Pure.
//
// In a group, only admins run commands (the group's anonymous admin counts as one). Anyone else's
// command is, in a protected group, an ordinary message (so a prefix cannot dodge the policy, and
// the bot never answers it); in an unprotected group /help and /start run and the rest get a short
// refusal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "services/verifier/decide/event.h"
#include "services/verifier/decide/messages.h"
#include "services/verifier/decide/types.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::decide {

enum class CommandRoute { kRun, kTreatAsMessage, kRefuse };

// The rights protection needs that the bot lacks in a group, by their names on Telegram's admin screen. A
// basic group needs only "Delete messages" (bots cannot mute there).
std::vector<std::string> MissingRights(const v1::ChatMember& bot, const Catalogue& catalogue, bool basic_group = false);

// The sender needs a getChatMember lookup unless they are the group's anonymous admin.
bool NeedsSenderLookup(const v1::Message& message);
// sender: the fresh lookup of the sender in the group (ignored for the anonymous admin).
bool SentByGroupAdmin(const v1::Message& message, MemberStatus sender);
CommandRoute RouteGroupCommand(const GroupCommand& command, bool sender_is_admin, const GroupConfig* config);

Decision DecideRefusal(int64_t update_id, const GroupCommand& command);
Decision DecidePrivateCommand(int64_t update_id, const PrivateCommand& command);
// config: the group's, when it has one; the reply speaks its language.
Decision DecideHelp(int64_t update_id, const GroupCommand& command, const GroupConfig* config = nullptr);
// /apikey: key is the owner's newly issued admin API key, or "" when the command came in a group
// (a key is only ever shown in a private chat).
Decision DecideApiKey(int64_t update_id, const v1::Message& message, std::string_view key);

// One /protect argument and what the lookups found.
struct ChannelLookup {
  std::string arg;                            // as the admin wrote it
  std::string ref;                            // what getChat was given; "" when the argument is not a channel reference
  bool found = false;                         // getChat answered
  v1::Chat chat;                              // getChat's answer
  std::string invite_link;                    // getChat's invite_link, for a channel without a username
  MemberStatus bot = MemberStatus::kUnknown;  // the bot's standing in the chat
};

struct ProtectFacts {
  v1::ChatMember bot_in_group;
  std::vector<ChannelLookup> channels;  // one per argument
};

// Lookups are needed only for a well-formed /protect in a supergroup or a basic group. In a basic group
// protection is stored and the policy deletes until Telegram upgrades it (GroupConfig::effective_policy).
bool ProtectNeedsLookups(const GroupCommand& command);
Decision DecideProtect(int64_t update_id, const GroupCommand& command, const ProtectFacts& facts,
                       const GroupConfig* config = nullptr);

Decision DecideUnprotect(int64_t update_id, const GroupCommand& command, const GroupConfig* config);

// A permanent error Telegram gave a sender for one of the group's actions (audit_log kind 'error').
struct RecordedError {
  absl::Time at;
  std::string method;       // the Bot API method, e.g. "restrictChatMember"
  std::string description;  // Telegram's, e.g. "Bad Request: not enough rights to restrict/unrestrict chat member"
};

// Up to this many of the group's latest permanent errors are shown in /status.
inline constexpr int kStatusErrors = 3;

struct StatusFacts {
  v1::ChatMember bot_in_group;
  std::vector<MemberStatus> bot_in_channels;  // one per GroupConfig::channels, in order
  int64_t restricted = 0;                     // users subguard restricted and has not released
  std::vector<RecordedError> errors;          // the latest first, at most kStatusErrors
};

// Lookups are needed only when the group is protected.
bool StatusNeedsLookups(const GroupConfig* config);
Decision DecideStatus(int64_t update_id, const GroupCommand& command, const GroupConfig* config,
                      const StatusFacts& facts);

}  // namespace subguard::verifier::decide
