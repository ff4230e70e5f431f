// A basic group upgraded to a supergroup answers every call naming its old id with 400 "group chat was
// upgraded to a supergroup chat" and parameters.migrate_to_chat_id. The verifiers move the group's
// protection on the migrate message (services/verifier/verifier_migrate.cc); actions decided before that
// still name the old id, and the Executor carries them out in the supergroup instead.
//
// Pure. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "subguard/v1/action.pb.h"

namespace subguard::sender {

// Whether chat_id is a basic group's (-10^12 < id < 0; supergroups and channels are -100...).
bool IsBasicGroupId(int64_t chat_id);

// action as it is to run in the supergroup to_chat_id, or nullopt when it cannot move: deleting or
// editing a message names the message by its id in the old chat, which means another message in the new.
// Only an action whose chat is a basic group moves, and a forward or copy only when its source
// (from_chat_id) is not one too: the error may name the source's supergroup, not the destination's.
// A reply there is sent without the reply, a coalesced prompt as its own user's prompt.
std::optional<v1::Action> InMigratedChat(const v1::Action& action, int64_t to_chat_id);

}  // namespace subguard::sender
