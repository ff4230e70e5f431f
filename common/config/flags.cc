#include "common/config/flags.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace subguard::config {

std::string EnvNameForFlag(std::string_view flag_name) {
  return absl::StrCat("SUBGUARD_", absl::AsciiStrToUpper(std::string(flag_name)));
}

std::vector<std::string> ParseFlagsAndEnv(int argc, char** argv, std::string_view usage) {
  absl::SetProgramUsageMessage(std::string(usage));
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    const std::string env_name = EnvNameForFlag(std::string(name));
    const char* value = std::getenv(env_name.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      std::fprintf(stderr, "subguard: bad value in %s: %s\n", env_name.c_str(), error.c_str());
      std::exit(2);
    }
  }
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  return std::vector<std::string>(positional.begin() + 1, positional.end());
}

absl::StatusOr<std::string> ReadSecret(std::string_view env_name) {
  const std::string name(env_name);
  if (const char* value = std::getenv(name.c_str()); value != nullptr && *value != '\0') {
    return std::string(absl::StripAsciiWhitespace(value));
  }
  const std::string file_var = name + "_FILE";
  if (const char* path = std::getenv(file_var.c_str()); path != nullptr && *path != '\0') {
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(absl::StrCat(file_var, " names a file that cannot be read"));
    std::stringstream contents;
    contents << in.rdbuf();
    return std::string(absl::StripAsciiWhitespace(contents.str()));
  }
  return absl::NotFoundError(absl::StrCat(name, " is not set (nor ", file_var, ")"));
}

}  // namespace subguard::config
