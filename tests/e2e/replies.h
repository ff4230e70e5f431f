// What the bot did and answered, as the sandbox recorded it, for end-to-end tests.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "services/sandbox/control_client.h"

namespace subguard::e2e {

// The text of the bot's message in chat that replies to message_id, waiting up to deadline for it;
// "" when none came.
std::string WaitForReply(sandbox::ControlClient& control, int64_t chat, int64_t message_id, absl::Duration deadline);

// An integer parameter of a recorded Bot API call (the sandbox keeps it as sent: a number or a
// string of digits); 0 when absent or not a number.
int64_t ParamInt(const boost::json::object& params, std::string_view key);

// The users a message's text names with a tg://user?id= mention, in order: the users a prompt (or a
// coalesced prompt naming several) tells to join.
std::vector<int64_t> MentionedUsers(std::string_view text);

}  // namespace subguard::e2e
