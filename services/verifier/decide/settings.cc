#include "services/verifier/decide/settings.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/substitute.h"
#include "common/base/strings.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/commands.h"
#include "services/verifier/decide/messages.h"

namespace subguard::verifier::decide {
namespace {

constexpr std::pair<std::string_view, Policy> kPolicies[] = {
    {"mute", Policy::kMute},
    {"delete", Policy::kDelete},
    {"mute_and_delete", Policy::kMuteAndDelete},
    {"kick", Policy::kKick},
};

std::string PolicyName(Policy policy) {
  for (const auto& [name, value] : kPolicies) {
    if (value == policy) return std::string(name);
  }
  return "mute";
}

Decision Replied(std::string outcome, int64_t update_id, const v1::Message& message, std::string_view text) {
  Decision decision{.outcome = std::move(outcome)};
  decision.actions.push_back(Reply(update_id, message.chat().id(), message.message_id(), text));
  return decision;
}

template <typename... Args>
std::string Format(std::string_view format, const Args&... args) {
  return absl::Substitute(base::ToAbsl(format), args...);
}

// "on"/"off" (also yes/no, true/false, 1/0) -> the flag.
std::optional<bool> ParseSwitch(std::string_view text) {
  const std::string lower = absl::AsciiStrToLower(base::ToAbsl(text));
  if (lower == "on" || lower == "yes" || lower == "true" || lower == "1") return true;
  if (lower == "off" || lower == "no" || lower == "false" || lower == "0") return false;
  return std::nullopt;
}

std::string Switch(bool on, const Catalogue& catalogue) {
  return std::string(on ? catalogue.value_on : catalogue.value_off);
}

std::string PromptDeleteText(const GroupConfig& config, const Catalogue& catalogue) {
  return config.prompt_delete_after > absl::ZeroDuration() ? FormatSettingDuration(config.prompt_delete_after)
                                                           : std::string(catalogue.value_keep_prompt);
}

std::string MuteText(const GroupConfig& config, const Catalogue& catalogue) {
  return config.mute_duration > absl::ZeroDuration() ? FormatSettingDuration(config.mute_duration)
                                                     : std::string(catalogue.value_until_verified);
}

std::string PromptText(const GroupConfig& config, const Catalogue& catalogue) {
  return config.prompt_template.empty() ? std::string(catalogue.value_default_prompt) : config.prompt_template;
}

std::string ViewText(const GroupConfig& config, const Catalogue& catalogue) {
  std::vector<int64_t> exempt(config.exempt_users.begin(), config.exempt_users.end());
  std::sort(exempt.begin(), exempt.end());
  const std::string exempt_text = exempt.empty() ? std::string(catalogue.value_none) : absl::StrJoin(exempt, ", ");
  return Format(catalogue.settings_view, PolicyName(config.policy), PromptText(config, catalogue),
                PromptDeleteText(config, catalogue), MuteText(config, catalogue),
                Switch(config.check_on_join, catalogue), Switch(config.restrict_bots, catalogue), config.language,
                exempt_text, Switch(config.accept_join_requests, catalogue), Switch(config.silent, catalogue));
}

// Applies "<name> <value>" to config; the new value as shown, or nullopt when value does not fit.
// name is known (kSetters).
using Setter = std::optional<std::string> (*)(std::string_view value, const Catalogue& catalogue, GroupConfig& config);

std::optional<std::string> SetPolicy(std::string_view value, const Catalogue&, GroupConfig& config) {
  const std::string lower = absl::AsciiStrToLower(base::ToAbsl(value));
  for (const auto& [name, policy] : kPolicies) {
    if (lower != name) continue;
    config.policy = policy;
    return std::string(name);
  }
  return std::nullopt;
}

std::optional<std::string> SetPrompt(std::string_view value, const Catalogue& catalogue, GroupConfig& config) {
  if (value.empty()) return std::nullopt;
  config.prompt_template = absl::AsciiStrToLower(base::ToAbsl(value)) == "default" ? "" : std::string(value);
  return PromptText(config, catalogue);
}

std::optional<std::string> SetPromptDelete(std::string_view value, const Catalogue& catalogue, GroupConfig& config) {
  if (ParseSwitch(value) == false) {
    config.prompt_delete_after = absl::ZeroDuration();
  } else if (auto duration = ParseSettingDuration(value); duration && *duration <= kMaxPromptDelete) {
    config.prompt_delete_after = *duration;
  } else {
    return std::nullopt;
  }
  return PromptDeleteText(config, catalogue);
}

std::optional<std::string> SetMute(std::string_view value, const Catalogue& catalogue, GroupConfig& config) {
  const std::string lower = absl::AsciiStrToLower(base::ToAbsl(value));
  if (lower == "until_verified" || lower == "off" || lower == "0") {
    config.mute_duration = absl::ZeroDuration();
  } else if (auto duration = ParseSettingDuration(value); duration && *duration >= kMinMute && *duration <= kMaxMute) {
    config.mute_duration = *duration;
  } else {
    return std::nullopt;
  }
  return MuteText(config, catalogue);
}

// join, join_requests, bots, silent: an on/off switch of config.
template <bool GroupConfig::*kField>
std::optional<std::string> SetSwitch(std::string_view value, const Catalogue& catalogue, GroupConfig& config) {
  const std::optional<bool> on = ParseSwitch(value);
  if (!on.has_value()) return std::nullopt;
  config.*kField = *on;
  return Switch(*on, catalogue);
}

std::optional<std::string> SetLanguage(std::string_view value, const Catalogue&, GroupConfig& config) {
  const std::string lower = absl::AsciiStrToLower(base::ToAbsl(value));
  if (!HasCatalogue(lower)) return std::nullopt;
  config.language = lower;
  return lower;
}

// clang-format off: one setting a line.
constexpr std::pair<std::string_view, Setter> kSetters[] = {
    {"policy", SetPolicy},
    {"prompt", SetPrompt},
    {"prompt_delete", SetPromptDelete},
    {"mute", SetMute},
    {"join", SetSwitch<&GroupConfig::check_on_join>},
    {"join_requests", SetSwitch<&GroupConfig::accept_join_requests>},
    {"bots", SetSwitch<&GroupConfig::restrict_bots>},
    {"silent", SetSwitch<&GroupConfig::silent>},
    {"language", SetLanguage},
    {"check_on_join", SetSwitch<&GroupConfig::check_on_join>},  // the column's own name, for owners who read closely
};
// clang-format on

// The text after the setting's name, as written (a prompt template keeps its spaces and commas).
std::string_view ValueOf(const Command& command) {
  std::string_view rest = command.rest;
  const size_t end = rest.find_first_of(" \t\n");
  if (end == std::string_view::npos) return "";
  rest.remove_prefix(end);
  return base::ToStd(absl::StripAsciiWhitespace(base::ToAbsl(rest)));
}

// The user an /exempt or /unexempt is about: its one numeric argument, or, with no argument, the sender
// of the message it replies to. A reply to a message sent on behalf of a chat names no user.
std::optional<int64_t> ExemptionTarget(const GroupCommand& command) {
  const std::vector<std::string>& args = command.command.args;
  int64_t user_id = 0;
  if (args.empty() && command.message.has_reply_to_message()) {
    const v1::Message& replied = command.message.reply_to_message();
    if (!replied.has_sender_chat() && replied.has_from()) user_id = replied.from().id();
  } else if (args.size() == 1) {
    (void)absl::SimpleAtoi(args[0], &user_id);
  }
  if (user_id <= 0) return std::nullopt;
  return user_id;
}

}  // namespace

std::optional<absl::Duration> ParseSettingDuration(std::string_view text) {
  absl::string_view rest = base::ToAbsl(text);
  absl::Duration unit = absl::Seconds(1);
  if (!rest.empty()) {
    switch (absl::ascii_tolower(rest.back())) {
      case 's':
        rest.remove_suffix(1);
        break;
      case 'm':
        unit = absl::Minutes(1);
        rest.remove_suffix(1);
        break;
      case 'h':
        unit = absl::Hours(1);
        rest.remove_suffix(1);
        break;
      case 'd':
        unit = absl::Hours(24);
        rest.remove_suffix(1);
        break;
    }
  }
  int64_t count = 0;
  // Digits only: SimpleAtoi would take "+5" and "-5".
  if (rest.empty() || rest.size() > 9 || !std::all_of(rest.begin(), rest.end(), absl::ascii_isdigit)) {
    return std::nullopt;
  }
  if (!absl::SimpleAtoi(rest, &count) || count == 0) return std::nullopt;
  return count * unit;
}

std::string FormatSettingDuration(absl::Duration duration) {
  const int64_t seconds = absl::ToInt64Seconds(duration);
  if (seconds % 86400 == 0) return absl::StrCat(seconds / 86400, "d");
  if (seconds % 3600 == 0) return absl::StrCat(seconds / 3600, "h");
  if (seconds % 60 == 0) return absl::StrCat(seconds / 60, "m");
  return absl::StrCat(seconds, "s");
}

Decision DecideSettings(int64_t update_id, const GroupCommand& command, const GroupConfig* config) {
  const Catalogue& catalogue = CatalogueOf(config);
  const v1::Message& message = command.message;
  if (config == nullptr) return Replied("not_protected", update_id, message, catalogue.not_protected);
  if (command.command.args.empty()) return Replied("settings", update_id, message, ViewText(*config, catalogue));

  const std::string name = absl::AsciiStrToLower(command.command.args[0]);
  const std::string_view value = ValueOf(command.command);
  for (const auto& [known, setter] : kSetters) {
    if (name != known) continue;
    GroupConfig changed = *config;
    const std::optional<std::string> shown = setter(value, catalogue, changed);
    if (!shown.has_value()) {
      return Replied("settings_refused", update_id, message,
                     Format(catalogue.settings_bad_value, name, std::string(value)));
    }
    // The reply speaks the new language when the language itself changed.
    Decision decision = Replied("settings_changed", update_id, message,
                                Format(CatalogueFor(changed.language).settings_changed, name, *shown));
    decision.settings = std::move(changed);
    return decision;
  }
  return Replied("settings_refused", update_id, message, Format(catalogue.settings_unknown, command.command.args[0]));
}

Decision DecideExemption(int64_t update_id, const GroupCommand& command, const GroupConfig* config) {
  const Catalogue& catalogue = CatalogueOf(config);
  const v1::Message& message = command.message;
  if (config == nullptr) return Replied("not_protected", update_id, message, catalogue.not_protected);
  const std::optional<int64_t> target = ExemptionTarget(command);
  if (!target.has_value()) return Replied("exempt_refused", update_id, message, catalogue.exempt_usage);
  const int64_t user_id = *target;
  const bool exempt = command.command.name == CommandName::kExempt;
  if (!exempt && !config->exempt_users.contains(user_id)) {
    return Replied("not_exempted", update_id, message, Format(catalogue.not_exempted, user_id));
  }
  Decision decision = Replied(exempt ? "exempted" : "unexempted", update_id, message,
                              Format(exempt ? catalogue.exempted : catalogue.unexempted, user_id));
  decision.exemption = ExemptionChange{.chat_id = config->chat_id,
                                       .user_id = user_id,
                                       .added_by = NeedsSenderLookup(message) ? message.from().id() : 0,
                                       .exempt = exempt};
  return decision;
}

}  // namespace subguard::verifier::decide
