// The quick-start story (docs/running.md): a scripted scene in the sandbox that exercises the core of
// protection through the real processes. ./run.sh plays it for a new user; the e2e test plays it too.
//
// It only scripts the sandbox's world and watches what the bot did (the call log, members, messages):
// it never talks to subguard itself, so it proves the behaviour from the outside.
#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace subguard::story {

struct StoryOptions {
  std::string sandbox_url;                       // e.g. http://127.0.0.1:58081
  std::string bot_token;                         // the sandbox's bot token; its number is the bot's user id
  absl::Duration step_timeout = absl::Seconds(30);  // how long one step may take before it counts as failed
};

// The cast, fixed so logs and tests can name them.
inline constexpr int64_t kAlice = 1001;  // owns the group
inline constexpr int64_t kBob = 1002;    // has joined the channel
inline constexpr int64_t kCarol = 1003;  // has not
inline constexpr int64_t kGroup = -1001000000001;
inline constexpr int64_t kChannel = -1001000000002;
inline constexpr char kChannelUsername[] = "demo_channel";

// Plays every step in order, calling report(step description) as each one is seen to happen.
// Returns the first step that did not happen, as an error naming it and what was seen instead.
absl::Status PlayStory(const StoryOptions& options, const std::function<void(const std::string&)>& report);

}  // namespace subguard::story
