// What the bot answered, as the sandbox recorded it, for end-to-end tests.
#pragma once

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

// The users a message's text names with a tg://user?id= mention, in order: the users a prompt (or a
// coalesced prompt naming several) tells to join.
std::vector<int64_t> MentionedUsers(std::string_view text);

}  // namespace subguard::e2e
