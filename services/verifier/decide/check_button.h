// The "I have joined" button: re-check, then lift the restriction and remove the prompt, or say what
// is still missing. Pure.
#pragma once

#include <vector>

#include "services/verifier/decide/event.h"
#include "services/verifier/decide/types.h"
#include "subguard/v1/action.pb.h"

namespace subguard::verifier::decide {

struct CheckFacts {
  // Fresh lookups (the cache bypassed), one per GroupConfig::channels, in order.
  std::vector<MemberStatus> channels;
  // The group's default member permissions, restored when the restriction is lifted.
  v1::ChatPermissions permissions;
  // subguard's own restriction of the user is in place (active_restrictions), or this press's own lift
  // released it (a redelivery: GroupStore::RestrictedBySubguard): only that is lifted, so a user muted
  // by the admins stays muted.
  bool restricted_by_us = true;
  // The bot is still an admin of the group with "Ban users"; without it nothing can be lifted.
  bool bot_can_restrict = true;
  // On a shared prompt (CheckPressed.shared): the presser holds a prompt slot in the group, i.e. a
  // prompt named them. Either this or restricted_by_us lets them through.
  bool named = true;
};

// Only the prompted user's own press is looked into.
inline bool CheckNeedsLookups(const CheckPressed& press) { return press.from.id() == press.target_user_id; }

// config is null when the group is not (or no longer) in PostgreSQL: nothing is left to join then.
// A channel whose lookup failed permanently never blocks the release. The bot's rights are checked
// first: without them the user is told to ask the admins, and nothing changes. On a shared prompt only
// a user it named (or one subguard restricted) gets through, and the prompt stays for the others.
Decision DecideCheck(int64_t update_id, const CheckPressed& press, const GroupConfig* config, const CheckFacts& facts);

}  // namespace subguard::verifier::decide
