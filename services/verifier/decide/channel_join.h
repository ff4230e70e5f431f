// A user joined a channel linked to a group in silent mode: silent mode sends no prompt and so no
// button, so joining is how a silently muted user is let back in. Only subguard's own restriction is
// lifted, once the user is in every linked channel. Pure; the adapter (verifier_protection.cc) calls it
// for each enabled group linked to the channel.
#pragma once

#include <cstdint>
#include <vector>

#include "services/verifier/decide/types.h"
#include "subguard/v1/action.pb.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::decide {

struct ChannelJoinFacts {
  // subguard's own restriction of the user is in place in the group (active_restrictions), or this
  // update's own lift released it (a redelivery: GroupStore::RestrictedBySubguard).
  bool restricted_by_us = false;
  // Fresh lookups (the cache bypassed), one per GroupConfig::channels, in order; gathered only when
  // restricted_by_us.
  std::vector<MemberStatus> channels;
  // The group's default member permissions, restored when the restriction is lifted.
  v1::ChatPermissions permissions;
};

// Only a protected group in silent mode lifts on a channel join (elsewhere the prompt's button does).
bool ChannelJoinLifts(const GroupConfig& config);

// Lifts subguard's restriction of user in config's group when the facts say they are now in every
// linked channel (a failed lookup never blocks it); otherwise nothing.
Decision DecideChannelJoin(int64_t update_id, const v1::User& user, const GroupConfig& config,
                           const ChannelJoinFacts& facts);

}  // namespace subguard::verifier::decide
