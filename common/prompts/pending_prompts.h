// Pending prompts: prompt coalescing for a group whose prompts back up (issue 6's raids).
//
// A group takes 20 messages a minute, so in a raid one prompt per newcomer cannot keep up. Instead the
// verifier puts each user it prompts on the group's list of pending prompts (AddPending) and emits the
// prompt action as before (SendMessage.batch set). When a sender's limiter lets that action go, it
// takes everyone still pending off the list at once (Gather) and sends one prompt naming them all
// (Named); the actions of the users it named then find their user gone (StillNeeded false) and are
// acknowledged without a call. With no backlog the list holds one user and the prompt is the usual one.
//
// Redis keys, all under the group's hash tag {c<chat>}:
//   sg:pp:{c<chat>}:pending              hash user id -> mention, expires ttl after the last AddPending
//   sg:pp:{c<chat>}:batch:<action id>    list of the mentions that action's prompt names, for ttl
// The batch key makes a redelivered action (a crash or a 5xx after Gather) send the same prompt again,
// never an empty or a different one; each user is taken off the list by exactly one action.
//
// Called by the verifier (AddPending) and the sender's Executor (StillNeeded, Gather, Named). Free
// functions; thread-safe as the redis::Pool is.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/prompts/users_marker.h"
#include "common/redis/client.h"
#include "subguard/v1/action.pb.h"

namespace subguard::prompts {

// True for a prompt that takes part in coalescing: a send_message with its batch set.
bool IsBatched(const v1::Action& action);

// Puts the prompt's user on its group's pending list (idempotent). kUnavailable without Redis.
absl::Status AddPending(redis::Pool& redis, const v1::Action& prompt, absl::Duration ttl);

// Whether the prompt still has to go: its user is pending, or this action gathered its batch already.
absl::StatusOr<bool> StillNeeded(redis::Pool& redis, const v1::Action& prompt);

// The mentions this action's prompt names: the batch it gathered before, or else its own user's and
// up to max_users - 1 more taken off the pending list, remembered for ttl. Empty when another prompt
// named the user meanwhile.
absl::StatusOr<std::vector<std::string>> Gather(redis::Pool& redis, const v1::Action& prompt, int max_users,
                                                absl::Duration ttl);

// The message naming mentions: the prompt's own message when it names its user alone, else the batch
// text with the names and the shared "I have joined" button. Pure.
v1::SendMessage Named(const v1::SendMessage& message, const std::vector<std::string>& mentions);

}  // namespace subguard::prompts
