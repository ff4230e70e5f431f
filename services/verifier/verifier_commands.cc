// Verifier: group commands, through decide/commands.h. Commands are rare, so every privilege and
// rights check asks Telegram afresh.
#include <boost/json/value.hpp>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/observability/log.h"
#include "common/telegram/errors.h"
#include "services/verifier/verifier.h"

namespace subguard::verifier {
namespace {

// A permanent Bot API error means "cannot tell": the decision reports it instead of retrying.
bool IsPermanent(const absl::Status& status) { return !status.ok() && !telegram::IsRetryable(status); }

}  // namespace

absl::StatusOr<v1::ChatMember> Verifier::BotMember(int64_t chat_id) {
  auto member = deps_.bot_api.GetChatMember(chat_id, bot_.id);
  if (IsPermanent(member.status())) {
    log::Warn("bot_member_unknown", {{"chat_id", chat_id}, {"status", member.status()}});
    return v1::ChatMember();
  }
  return member;
}

absl::StatusOr<decide::ChannelLookup> Verifier::LookUpChannel(const std::string& arg) {
  decide::ChannelLookup lookup{.arg = arg};
  const std::optional<std::string> ref = decide::ChannelRefForGetChat(arg);
  if (!ref.has_value()) return lookup;
  lookup.ref = *ref;
  auto info = deps_.bot_api.GetChat(*ref);
  if (IsPermanent(info.status())) return lookup;
  if (!info.ok()) return info.status();
  lookup.found = true;
  lookup.chat = info->chat;
  if (lookup.chat.type() != "channel") return lookup;
  ASSIGN_OR_RETURN(lookup.bot, deps_.membership.Lookup(lookup.chat.id(), bot_.id, /*bypass_cache=*/true));
  if (lookup.chat.username().empty()) {
    // A private channel is joined by its invite link, which only the raw getChat result carries.
    auto raw = deps_.bot_api.Call("getChat", {{"chat_id", lookup.chat.id()}});
    if (!raw.ok() && !IsPermanent(raw.status())) return raw.status();
    if (raw.ok() && raw->is_object()) {
      if (const boost::json::value* link = raw->as_object().if_contains("invite_link"); link && link->is_string()) {
        lookup.invite_link = std::string(link->as_string());
      }
    }
  }
  return lookup;
}

absl::StatusOr<decide::ProtectFacts> Verifier::GatherProtectFacts(const decide::GroupCommand& command) {
  decide::ProtectFacts facts;
  if (!decide::ProtectNeedsLookups(command)) return facts;
  ASSIGN_OR_RETURN(facts.bot_in_group, BotMember(command.message.chat().id()));
  for (const std::string& arg : command.command.args) {
    ASSIGN_OR_RETURN(decide::ChannelLookup lookup, LookUpChannel(arg));
    facts.channels.push_back(std::move(lookup));
  }
  return facts;
}

absl::StatusOr<decide::StatusFacts> Verifier::GatherStatusFacts(int64_t chat_id, const decide::GroupConfig& config) {
  decide::StatusFacts facts;
  ASSIGN_OR_RETURN(facts.bot_in_group, BotMember(chat_id));
  for (const decide::LinkedChannel& channel : config.channels) {
    ASSIGN_OR_RETURN(decide::MemberStatus status, deps_.membership.Lookup(channel.id, bot_.id, /*bypass_cache=*/true));
    facts.bot_in_channels.push_back(status);
  }
  ASSIGN_OR_RETURN(facts.restricted, deps_.store.CountRestricted(chat_id));
  ASSIGN_OR_RETURN(facts.errors, deps_.store.RecentErrors(chat_id, decide::kStatusErrors));
  return facts;
}

absl::StatusOr<decide::Decision> Verifier::OnPrivateCommand(int64_t update_id, const decide::PrivateCommand& command) {
  if (command.command.name != decide::CommandName::kApiKey || deps_.api_keys == nullptr) {
    return decide::DecidePrivateCommand(update_id, command);
  }
  // The same update gives the same key, so a redelivery answers with the key that was stored.
  ASSIGN_OR_RETURN(std::string key, deps_.api_keys->Issue(command.message.from().id(), update_id));
  log::Info("apikey_issued", {{"update_id", update_id}});
  return decide::DecideApiKey(update_id, command.message, key);
}

absl::StatusOr<decide::Decision> Verifier::OnGroupCommand(int64_t update_id, const decide::GroupCommand& command) {
  const v1::Message& message = command.message;
  const int64_t chat_id = message.chat().id();
  ASSIGN_OR_RETURN(ConfigCache::ConfigPtr config, deps_.configs.Get(chat_id));
  decide::MemberStatus sender = decide::MemberStatus::kUnknown;
  if (decide::NeedsSenderLookup(message)) {
    ASSIGN_OR_RETURN(sender, deps_.membership.Lookup(chat_id, message.from().id(), /*bypass_cache=*/true));
  }
  switch (decide::RouteGroupCommand(command, decide::SentByGroupAdmin(message, sender), config.get())) {
    case decide::CommandRoute::kTreatAsMessage:
      return CheckSubject(update_id, decide::SubjectOf(decide::GroupMessage{message}));
    case decide::CommandRoute::kRefuse:
      return decide::DecideRefusal(update_id, command);
    case decide::CommandRoute::kRun:
      break;
  }
  switch (command.command.name) {
    case decide::CommandName::kStart:
    case decide::CommandName::kHelp:
      return decide::DecideHelp(update_id, command, config.get());
    case decide::CommandName::kProtect: {
      ASSIGN_OR_RETURN(decide::ProtectFacts facts, GatherProtectFacts(command));
      return decide::DecideProtect(update_id, command, facts, config.get());
    }
    case decide::CommandName::kUnprotect:
      return decide::DecideUnprotect(update_id, command, config.get());
    case decide::CommandName::kStatus: {
      decide::StatusFacts facts;
      if (decide::StatusNeedsLookups(config.get())) {
        ASSIGN_OR_RETURN(facts, GatherStatusFacts(chat_id, *config));
      }
      return decide::DecideStatus(update_id, command, config.get(), facts);
    }
    case decide::CommandName::kSettings:
      return decide::DecideSettings(update_id, command, config.get());
    case decide::CommandName::kExempt:
    case decide::CommandName::kUnexempt:
      return decide::DecideExemption(update_id, command, config.get());
    case decide::CommandName::kApiKey:
      return decide::DecideApiKey(update_id, message, "");
    case decide::CommandName::kVerifyAll:
      return OnVerifyAll(update_id, command, config.get());
  }
  return decide::DecideHelp(update_id, command, config.get());
}

}  // namespace subguard::verifier
