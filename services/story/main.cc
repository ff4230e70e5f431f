// subguard-story: plays the quick-start story against a running cluster and its sandbox, printing each
// step; exits 0 only if every step happened.
#include <cstdio>

#include "absl/flags/flag.h"
#include "common/config/flags.h"
#include "services/story/story.h"

ABSL_FLAG(std::string, sandbox_url, "http://127.0.0.1:58081", "The sandbox's base URL.");
ABSL_FLAG(std::string, bot_token, "424242:sandbox-token", "The sandbox bot's token (a test value, not a secret).");
ABSL_FLAG(int, step_timeout_seconds, 30, "How long one step may take before the story fails.");

int main(int argc, char** argv) {
  subguard::config::ParseFlagsAndEnv(argc, argv, "Plays the quick-start story in the Telegram sandbox.");
  const subguard::story::StoryOptions options{
      .sandbox_url = absl::GetFlag(FLAGS_sandbox_url),
      .bot_token = absl::GetFlag(FLAGS_bot_token),
      .step_timeout = absl::Seconds(absl::GetFlag(FLAGS_step_timeout_seconds)),
  };
  const absl::Status status = subguard::story::PlayStory(options, [](const std::string& step) {
    std::printf("[story] %s\n", step.c_str());
    std::fflush(stdout);
  });
  if (!status.ok()) {
    std::printf("[story] FAILED: %s\n", std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}
