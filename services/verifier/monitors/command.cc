#include "services/verifier/monitors/command.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/substitute.h"
#include "common/base/strings.h"

namespace subguard::verifier::monitors {
namespace {

constexpr char kCommand[] = "/monitor";
constexpr char kContains[] = "contains:";
constexpr char kMedia[] = "media:";

MonitorCommand Malformed(std::string error) { return MonitorCommand{.verb = Verb::kHelp, .error = std::move(error)}; }

// The options after add's chats: a mode, "edits", "contains:<text>", "media:<filter>".
std::optional<std::string> ParseOptions(const std::vector<std::string>& words, size_t from, Monitor& spec,
                                        const decide::Catalogue& catalogue) {
  for (size_t i = from; i < words.size(); ++i) {
    absl::string_view word = words[i];
    if (std::optional<Mode> mode = ParseMode(base::ToStd(word))) {
      spec.mode = *mode;
    } else if (word == "edits") {
      spec.send_edits = true;
    } else if (absl::ConsumePrefix(&word, kContains)) {
      spec.text_contains = std::string(word);
    } else if (absl::ConsumePrefix(&word, kMedia)) {
      std::optional<MediaFilter> filter = ParseMediaFilter(base::ToStd(word));
      if (!filter.has_value()) return std::string(catalogue.monitor_bad_media);
      spec.media = *filter;
    } else {
      return absl::Substitute(base::ToAbsl(catalogue.monitor_unknown_option), words[i]);
    }
  }
  return std::nullopt;
}

MonitorCommand ParseAdd(const std::vector<std::string>& words, const decide::Catalogue& catalogue) {
  if (words.size() < 3) return Malformed(std::string(catalogue.monitor_add_usage));
  MonitorCommand command{.verb = Verb::kAdd, .source = words[2]};
  size_t options = 3;
  // "/monitor add @src record": record mode needs no destination.
  if (words.size() > 3 && ParseMode(words[3]) != Mode::kRecord) {
    command.dest = words[3];
    options = 4;
  }
  if (std::optional<std::string> error = ParseOptions(words, options, command.spec, catalogue)) {
    return Malformed(*error);
  }
  if (command.spec.mode == Mode::kRecord) {
    command.dest.clear();
  } else if (command.dest.empty()) {
    return Malformed(std::string(catalogue.monitor_need_dest));
  }
  return command;
}

}  // namespace

bool IsMonitorCommand(std::string_view text, std::string_view bot_username) {
  absl::string_view rest = base::ToAbsl(text);
  if (!absl::ConsumePrefix(&rest, kCommand)) return false;
  if (rest.empty() || absl::ascii_isspace(static_cast<unsigned char>(rest[0]))) return true;
  if (!absl::ConsumePrefix(&rest, "@")) return false;
  const absl::string_view name = rest.substr(0, rest.find_first_of(" \t\n"));
  return absl::EqualsIgnoreCase(name, base::ToAbsl(bot_username));
}

MonitorCommand ParseMonitorCommand(std::string_view text, const decide::Catalogue& catalogue) {
  const std::vector<std::string> words =
      absl::StrSplit(base::ToAbsl(text), absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
  if (words.size() < 2) return MonitorCommand{};
  const std::string verb = absl::AsciiStrToLower(words[1]);
  if (verb == "add") return ParseAdd(words, catalogue);
  if (verb == "list") return MonitorCommand{.verb = Verb::kList};
  if (verb == "status") return MonitorCommand{.verb = Verb::kStatus};
  if (verb == "remove") {
    int64_t id = 0;
    if (words.size() != 3 || !absl::SimpleAtoi(words[2], &id) || id <= 0)
      return Malformed(std::string(catalogue.monitor_remove_usage));
    return MonitorCommand{.verb = Verb::kRemove, .monitor_id = id};
  }
  return MonitorCommand{};
}

}  // namespace subguard::verifier::monitors
