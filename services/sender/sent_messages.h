// The ids of sent messages that a later action must name: a SendMessage with remember_id_as set (e.g.
// /verifyall's start message, edited with its progress) has "<chat_id>:<message_id>" stored in Redis
// under that key once Telegram accepted it, for the verifier to read (services/verifier/
// verifier_verify_all.cc). The chat is part of it because message ids are per chat and a group upgrade
// changes the chat's id.
//
// Called by the Executor after a successful send. Thread-safe (the pool is). Cost: one Redis round trip
// for the actions that ask, none for the rest.
#pragma once

#include <boost/json/value.hpp>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/redis/client.h"
#include "subguard/v1/action.pb.h"

namespace subguard::sender {

// How long a remembered id is kept: a day, far beyond any /verifyall. Not a flag.
inline constexpr absl::Duration kSentMessageIdTtl = absl::Hours(24);

// Stores "<chat.id>:<message_id>" of sent under action.send_message().remember_id_as (SET EX; the
// action's chat when sent names none); OK and nothing for any other action. kInvalidArgument when
// Telegram's answer carries no message_id.
absl::Status RememberSentMessage(redis::Pool& redis, const v1::Action& action, const boost::json::value& sent);

}  // namespace subguard::sender
