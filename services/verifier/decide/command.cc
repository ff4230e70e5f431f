#include "services/verifier/decide/command.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/strings.h"

namespace subguard::verifier::decide {
namespace {

constexpr std::pair<std::string_view, CommandName> kCommands[] = {
    {"start", CommandName::kStart},         {"help", CommandName::kHelp},         {"protect", CommandName::kProtect},
    {"unprotect", CommandName::kUnprotect}, {"status", CommandName::kStatus},     {"settings", CommandName::kSettings},
    {"exempt", CommandName::kExempt},       {"unexempt", CommandName::kUnexempt}, {"apikey", CommandName::kApiKey},
    {"verifyall", CommandName::kVerifyAll},
};

// Telegram usernames: a letter, then letters, digits and underscores; 4 to 32 characters in all.
bool IsUsername(absl::string_view name) {
  if (name.size() < 4 || name.size() > 32 || !absl::ascii_isalpha(name[0])) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::optional<Command> ParseCommand(std::string_view text, std::string_view bot_username) {
  absl::string_view rest = base::ToAbsl(text);
  if (!absl::ConsumePrefix(&rest, "/")) return std::nullopt;
  const size_t end = rest.find_first_of(" \t\n");
  absl::string_view token = rest.substr(0, end);
  rest = end == absl::string_view::npos ? absl::string_view() : rest.substr(end);

  absl::string_view name = token;
  if (const size_t at = token.find('@'); at != absl::string_view::npos) {
    name = token.substr(0, at);
    if (!absl::EqualsIgnoreCase(token.substr(at + 1), base::ToAbsl(bot_username))) return std::nullopt;
  }
  for (const auto& [known, command_name] : kCommands) {
    if (!absl::EqualsIgnoreCase(name, base::ToAbsl(known))) continue;
    Command command{.name = command_name, .rest = std::string(absl::StripAsciiWhitespace(rest))};
    for (absl::string_view arg : absl::StrSplit(rest, absl::ByAnyChar(" \t\n,"), absl::SkipEmpty())) {
      command.args.emplace_back(arg);
    }
    return command;
  }
  return std::nullopt;
}

std::optional<std::string> ChannelRefForGetChat(std::string_view arg) {
  absl::string_view ref = base::ToAbsl(arg);
  int64_t id = 0;
  if (absl::SimpleAtoi(ref, &id) && id < 0) return std::string(ref);
  if (!absl::ConsumePrefix(&ref, "@")) {
    if (!absl::ConsumePrefix(&ref, "https://")) absl::ConsumePrefix(&ref, "http://");
    if (absl::ConsumePrefix(&ref, "t.me/") || absl::ConsumePrefix(&ref, "telegram.me/")) {
      absl::ConsumeSuffix(&ref, "/");
    }
  }
  if (!IsUsername(ref)) return std::nullopt;
  return absl::StrCat("@", ref);
}

}  // namespace subguard::verifier::decide
