#include "services/verifier/decide/commands.h"

#include <string_view>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/substitute.h"
#include "common/base/strings.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/messages.h"

namespace subguard::verifier::decide {
namespace {

const Catalogue& English() { return CatalogueFor("en"); }

Decision Replied(std::string outcome, int64_t update_id, const v1::Message& message, std::string_view text) {
  Decision decision{.outcome = std::move(outcome)};
  decision.actions.push_back(Reply(update_id, message.chat().id(), message.message_id(), text));
  return decision;
}

template <typename... Args>
std::string Format(std::string_view format, const Args&... args) {
  return absl::Substitute(base::ToAbsl(format), args...);
}

LinkedChannel ToLinkedChannel(const ChannelLookup& lookup) {
  return LinkedChannel{.id = lookup.chat.id(),
                       .username = lookup.chat.username(),
                       .title = lookup.chat.title(),
                       .invite_link = lookup.invite_link};
}

// The problem with one /protect argument, or "" when it can be linked.
std::string ChannelProblem(const ChannelLookup& lookup, const Catalogue& catalogue) {
  if (lookup.ref.empty()) return Format(catalogue.channel_bad_ref, lookup.arg);
  if (!lookup.found) return Format(catalogue.channel_not_found, lookup.arg);
  if (lookup.chat.type() != "channel") return Format(catalogue.channel_wrong_type, lookup.arg);
  if (lookup.bot != MemberStatus::kAdmin) {
    return Format(catalogue.channel_bot_not_admin, ChannelName(ToLinkedChannel(lookup)));
  }
  return "";
}

}  // namespace

std::vector<std::string> MissingRights(const v1::ChatMember& bot, const Catalogue& catalogue, bool basic_group) {
  const bool admin = bot.status() == "administrator";
  std::vector<std::string> missing;
  if (!basic_group && (!admin || !bot.can_restrict_members())) missing.emplace_back(catalogue.right_restrict);
  if (!admin || !bot.can_delete_messages()) missing.emplace_back(catalogue.right_delete);
  return missing;
}

bool NeedsSenderLookup(const v1::Message& message) {
  return !(message.has_sender_chat() && message.sender_chat().id() == message.chat().id());
}

bool SentByGroupAdmin(const v1::Message& message, MemberStatus sender) {
  return !NeedsSenderLookup(message) || sender == MemberStatus::kAdmin;
}

CommandRoute RouteGroupCommand(const GroupCommand& command, bool sender_is_admin, const GroupConfig* config) {
  if (sender_is_admin) return CommandRoute::kRun;
  if (config != nullptr && config->active()) return CommandRoute::kTreatAsMessage;
  const CommandName name = command.command.name;
  return name == CommandName::kHelp || name == CommandName::kStart ? CommandRoute::kRun : CommandRoute::kRefuse;
}

Decision DecideRefusal(int64_t update_id, const GroupCommand& command) {
  return Replied("not_admin", update_id, command.message, English().not_admin);
}

Decision DecidePrivateCommand(int64_t update_id, const PrivateCommand& command) {
  const CommandName name = command.command.name;
  if (name == CommandName::kHelp || name == CommandName::kStart) {
    return Replied("help", update_id, command.message, English().help_private);
  }
  return Replied("use_in_group", update_id, command.message, English().use_in_group);
}

Decision DecideApiKey(int64_t update_id, const v1::Message& message, std::string_view key) {
  if (key.empty()) return Replied("apikey_in_group", update_id, message, English().apikey_private_only);
  return Replied("apikey", update_id, message, Format(English().apikey_issued, std::string(key)));
}

Decision DecideHelp(int64_t update_id, const GroupCommand& command, const GroupConfig* config) {
  return Replied("help", update_id, command.message, CatalogueOf(config).help_group);
}

bool ProtectNeedsLookups(const GroupCommand& command) {
  const std::string& type = command.message.chat().type();
  return (type == "supergroup" || type == "group") && !command.command.args.empty();
}

Decision DecideProtect(int64_t update_id, const GroupCommand& command, const ProtectFacts& facts,
                       const GroupConfig* config) {
  const Catalogue& catalogue = CatalogueOf(config);
  const v1::Message& message = command.message;
  const bool basic_group = message.chat().type() == "group";
  if (message.chat().type() != "supergroup" && !basic_group) {
    return Replied("protect_refused", update_id, message, catalogue.need_supergroup);
  }
  if (command.command.args.empty()) return Replied("protect_refused", update_id, message, catalogue.protect_usage);

  std::vector<std::string> problems;
  if (const auto missing = MissingRights(facts.bot_in_group, catalogue, basic_group); !missing.empty()) {
    problems.push_back(Format(catalogue.bot_needs_rights, absl::StrJoin(missing, ", ")));
  }
  Protection protection{.chat_id = message.chat().id(), .title = message.chat().title(), .basic_group = basic_group};
  if (NeedsSenderLookup(message)) protection.owner = message.from();  // else the anonymous admin: id 0
  absl::flat_hash_set<int64_t> seen;
  for (const ChannelLookup& lookup : facts.channels) {
    if (std::string problem = ChannelProblem(lookup, catalogue); !problem.empty()) {
      problems.push_back(std::move(problem));
    } else if (seen.insert(lookup.chat.id()).second) {
      protection.channels.push_back(ToLinkedChannel(lookup));
    }
  }
  if (!problems.empty()) {
    return Replied("protect_refused", update_id, message,
                   Format(catalogue.protect_failed, absl::StrJoin(problems, "\n")));
  }
  Decision decision = Replied("protected", update_id, message,
                              Format(basic_group ? catalogue.protected_basic_group : catalogue.protected_ok,
                                     ChannelNames(protection.channels)));
  decision.protect = std::move(protection);
  return decision;
}

Decision DecideUnprotect(int64_t update_id, const GroupCommand& command, const GroupConfig* config) {
  const Catalogue& catalogue = CatalogueOf(config);
  if (config == nullptr || !config->enabled) {
    return Replied("not_protected", update_id, command.message, catalogue.not_protected);
  }
  Decision decision = Replied("unprotected", update_id, command.message, catalogue.unprotected);
  decision.unprotect = config->chat_id;
  return decision;
}

bool StatusNeedsLookups(const GroupConfig* config) { return config != nullptr && config->active(); }

Decision DecideStatus(int64_t update_id, const GroupCommand& command, const GroupConfig* config,
                      const StatusFacts& facts) {
  const Catalogue& catalogue = CatalogueOf(config);
  if (config == nullptr) return Replied("status", update_id, command.message, catalogue.not_protected);
  if (!StatusNeedsLookups(config)) return Replied("status", update_id, command.message, catalogue.status_off);
  std::vector<std::string> lines;
  for (size_t i = 0; i < config->channels.size(); ++i) {
    const MemberStatus bot = i < facts.bot_in_channels.size() ? facts.bot_in_channels[i] : MemberStatus::kUnknown;
    const std::string name = ChannelName(config->channels[i]);
    if (bot == MemberStatus::kAdmin) {
      lines.push_back(Format(catalogue.status_channel_ok, name));
    } else if (bot == MemberStatus::kUnknown) {
      lines.push_back(Format(catalogue.status_channel_unseen, name));
    } else {
      lines.push_back(Format(catalogue.status_channel_not_admin, name));
    }
  }
  const auto missing = MissingRights(facts.bot_in_group, catalogue, config->basic_group);
  const std::string rights = missing.empty() ? std::string(catalogue.status_rights_ok)
                                             : Format(catalogue.status_rights_missing, absl::StrJoin(missing, ", "));
  std::string text = Format(catalogue.status_on, absl::StrJoin(lines, "\n"), rights, facts.restricted);
  if (config->silent) text.append("\n").append(catalogue.status_silent);
  if (!facts.errors.empty()) {
    std::vector<std::string> errors;
    for (const RecordedError& error : facts.errors) {
      errors.push_back(Format(catalogue.status_error, absl::FormatTime("%Y-%m-%d %H:%M", error.at, absl::UTCTimeZone()),
                              error.method, error.description));
    }
    absl::StrAppend(&text, "\n\n", Format(catalogue.status_errors, absl::StrJoin(errors, "\n")));
  }
  return Replied("status", update_id, command.message, text);
}

}  // namespace subguard::verifier::decide
