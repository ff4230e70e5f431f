// Parsing the bot's commands out of message text. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace subguard::verifier::decide {

enum class CommandName {
  kStart,
  kHelp,
  kProtect,
  kUnprotect,
  kStatus,
  kSettings,
  kExempt,
  kUnexempt,
  kApiKey,
  kVerifyAll
};

struct Command {
  CommandName name = CommandName::kHelp;
  std::vector<std::string> args;  // split on spaces and commas
  std::string rest;               // the text after the command, trimmed (a prompt template keeps its own spacing)
};

// "/protect @a @b" or "/protect@<bot_username> @a, @b" -> {kProtect, {"@a", "@b"}}. nullopt for text
// that is not a command, a command subguard does not know (ignored, never answered), or one
// addressed to another bot ("/protect@otherbot"). The bot's username matches case-insensitively.
std::optional<Command> ParseCommand(std::string_view text, std::string_view bot_username);

// A /protect argument as getChat takes it: "@name", "name", "t.me/name", "https://t.me/name" ->
// "@name"; "-1001234" -> "-1001234". nullopt for anything else (invite links cannot be resolved).
std::optional<std::string> ChannelRefForGetChat(std::string_view arg);

}  // namespace subguard::verifier::decide
