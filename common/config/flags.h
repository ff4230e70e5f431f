// Command-line flags with SUBGUARD_* environment variables.
//
// Every flag --some_name can also be set as SUBGUARD_SOME_NAME; the command line wins over the
// environment, and the environment over the default. Only main() calls this; below main, options
// travel as plain structs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace subguard::config {

// "bot_token" -> "SUBGUARD_BOT_TOKEN".
std::string EnvNameForFlag(std::string_view flag_name);

// Applies SUBGUARD_* variables to the matching flags, then parses argv. Exits with a one-line error
// naming the variable when a value does not parse. Returns the positional arguments.
std::vector<std::string> ParseFlagsAndEnv(int argc, char** argv, std::string_view usage);

// A secret from the environment: the variable itself, or the file named by <variable>_FILE.
// Secrets are never flags, so they never show in `ps` or /proc/<pid>/cmdline.
// kNotFound when neither is set; the message names the variable.
absl::StatusOr<std::string> ReadSecret(std::string_view env_name);

}  // namespace subguard::config
