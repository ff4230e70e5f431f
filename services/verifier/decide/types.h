// The plain values the pure decision code works on: a group's configuration, what lookups said about
// a user, and the Decision it returns. No I/O anywhere in decide/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "subguard/v1/action.pb.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::decide {

// What a non-member's message gets (protected_groups.policy).
enum class Policy { kMute, kDelete, kMuteAndDelete, kKick };

// A channel a group's members must join (linked_channels).
struct LinkedChannel {
  int64_t id = 0;
  std::string username;  // without '@'; "" for a private channel
  std::string title;
  std::string invite_link;  // used when there is no username
};

// A protected group's configuration (protected_groups and its linked rows).
struct GroupConfig {
  int64_t chat_id = 0;
  std::string title;
  int64_t owner_user_id = 0;  // who ran /protect; 0 when the group's anonymous admin did
  bool enabled = true;
  Policy policy = Policy::kMute;
  std::vector<LinkedChannel> channels;
  absl::flat_hash_set<int64_t> exempt_users;
  std::string prompt_template;                                // "" uses the catalogue's
  absl::Duration prompt_delete_after = absl::ZeroDuration();  // 0 keeps the prompt
  absl::Duration mute_duration = absl::ZeroDuration();        // 0 mutes until verified
  bool check_on_join = true;
  bool accept_join_requests = false;  // a pending request to join a linked channel counts as joined
  bool restrict_bots = false;
  std::string language = "en";
  // Silent mode: the policy applies with no prompt; a channel join lifts subguard's mute (docs/usage.md).
  bool silent = false;
  // A basic group (chats.type 'group'): Telegram lets bots delete there but not mute, nor unban.
  bool basic_group = false;

  // Enabled with at least one channel: the policy applies.
  bool active() const { return enabled && !channels.empty(); }
  // The policy that applies: in a basic group every policy deletes and prompts (docs/usage.md); the
  // stored one applies once the group is a supergroup.
  Policy effective_policy() const { return basic_group ? Policy::kDelete : policy; }
};

// What a getChatMember lookup says about a user in a chat, by the Bot API server's own rule
// (membership_rule.h). kUnknown: the lookup failed permanently (the bot cannot see the chat); a
// decision never restricts on an unknown.
enum class MemberStatus { kUnknown, kNotMember, kMember, kAdmin };

inline bool IsMember(MemberStatus status) { return status == MemberStatus::kMember || status == MemberStatus::kAdmin; }

// The bot itself, from getMe at start.
struct BotIdentity {
  int64_t id = 0;
  std::string username;  // without '@'
};

// A restriction or release to record in audit_log.
struct AuditEntry {
  std::string action_id;
  int64_t group_chat_id = 0;
  int64_t user_id = 0;
  std::string kind;  // "restrict", "release", "delete", "kick"
  std::string reason;
};

// /protect's result, stored in PostgreSQL before the confirmation goes out.
struct Protection {
  int64_t chat_id = 0;
  std::string title;
  v1::User owner;            // id 0 when the group's anonymous admin set it up
  bool basic_group = false;  // a basic group, not a supergroup
  std::vector<LinkedChannel> channels;
};

// /exempt or /unexempt of one user in a protected group.
struct ExemptionChange {
  int64_t chat_id = 0;
  int64_t user_id = 0;
  int64_t added_by = 0;  // the admin who ran the command; 0 for the anonymous admin
  bool exempt = true;    // false: remove the exemption
};

// What the verifier does about one update. The adapter applies the state changes (protect,
// unprotect, release_prompt_slot) and only then acknowledges the update with the actions.
struct Decision {
  // subguard_verifier_decisions_total{outcome}: a short, fixed label.
  std::string outcome;
  std::vector<v1::Action> actions;
  std::vector<AuditEntry> audit;
  std::optional<Protection> protect;
  std::optional<int64_t> unprotect;  // the chat whose protection to switch off
  // /settings changed a setting: the group's whole configuration as it is to be stored (the settings
  // columns of protected_groups; channels and exemptions are not written from here).
  std::optional<GroupConfig> settings;
  std::optional<ExemptionChange> exemption;
  bool release_prompt_slot = false;  // the user verified: their next failure may prompt again
};

}  // namespace subguard::verifier::decide
