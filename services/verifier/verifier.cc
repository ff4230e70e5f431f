#include "services/verifier/verifier.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <variant>

#include "common/base/status_macros.h"
#include "common/observability/log.h"
#include "common/telegram/errors.h"
#include "services/verifier/config_changes.h"

namespace subguard::verifier {
namespace {

// Worth delivering again later: the same update may well succeed then.
bool IsTransient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kUnknown:  // e.g. a commit whose outcome was lost; every write is idempotent
      return true;
    default:
      return false;
  }
}

}  // namespace

Verifier::Verifier(VerifierOptions options, decide::BotIdentity bot, VerifierDeps deps)
    : options_(options), bot_(std::move(bot)), deps_(deps) {}

dispatch::DeliveryResult Verifier::Handle(const v1::Delivery& delivery) {
  if (!delivery.has_update()) {
    log::Warn("delivery_without_update", {{"delivery_id", delivery.delivery_id()}});
    deps_.metrics.CountAnswer("skip");
    return v1::Ack();
  }
  const v1::Update& update = delivery.update();
  const int64_t update_id = update.update_id();
  absl::StatusOr<Decisions> decisions = Route(update);
  absl::Status status = decisions.status();
  if (status.ok()) {
    for (const decide::Decision& decision : *decisions) {
      status = Apply(decision);
      if (!status.ok()) break;
    }
  }
  deps_.metrics.SetConfigCacheEntries(static_cast<double>(deps_.configs.size()));

  if (!status.ok()) {
    if (IsTransient(status)) {
      const absl::Duration wait = telegram::RetryAfter(status).value_or(options_.retry_after);
      log::Warn("update_retry_later", {{"update_id", update_id}, {"attempt", delivery.attempt()}, {"status", status}});
      deps_.metrics.CountAnswer("nack");
      v1::Nack nack;
      nack.set_reason(status.ToString());
      nack.set_retry_after_ms(static_cast<uint32_t>(absl::ToInt64Milliseconds(wait)));
      return nack;
    }
    log::Error("update_skipped", {{"update_id", update_id}, {"status", status}});
    deps_.metrics.CountAnswer("skip");
    return v1::Ack();
  }

  v1::Ack ack;
  for (decide::Decision& decision : *decisions) {
    deps_.metrics.CountDecision(decision.outcome);
    const log::Level level = decision.actions.empty() ? log::Level::kDebug : log::Level::kInfo;
    log::Write(level, "decided",
               {{"update_id", update_id},
                {"outcome", decision.outcome},
                {"actions", static_cast<int64_t>(decision.actions.size())}});
    for (v1::Action& action : decision.actions) *ack.add_actions() = std::move(action);
  }
  deps_.metrics.CountAnswer("ack");
  return ack;
}

absl::StatusOr<Verifier::Decisions> Verifier::Route(const v1::Update& update) {
  if (update.has_verify_member()) {
    absl::StatusOr<decide::Decision> decision = OnVerifyMember(update.update_id(), update.verify_member());
    if (!decision.ok()) return decision.status();
    return Decisions{*std::move(decision)};
  }
  if (deps_.monitors == nullptr || !deps_.monitors->Wants(update)) {
    ASSIGN_OR_RETURN(Decisions decisions, DecideUpdate(update.update_id(), decide::Classify(update, bot_)));
    if (deps_.monitors == nullptr) return decisions;
    // Protection first; a monitor source group's message it left alone is the monitors' too.
    const bool acted = std::any_of(decisions.begin(), decisions.end(),
                                   [](const decide::Decision& decision) { return !decision.actions.empty(); });
    ASSIGN_OR_RETURN(std::optional<decide::Decision> monitored, deps_.monitors->OnGroupMessage(update, acted));
    if (monitored.has_value()) decisions.push_back(*std::move(monitored));
    return decisions;
  }
  absl::StatusOr<decide::Decision> decision = deps_.monitors->Handle(update);
  if (!decision.ok()) return decision.status();
  return Decisions{*std::move(decision)};
}

absl::StatusOr<Verifier::Decisions> Verifier::DecideUpdate(int64_t update_id, const decide::Event& event) {
  struct Visitor {
    Verifier& self;
    int64_t update_id;

    absl::StatusOr<Decisions> operator()(const decide::Ignored& ignored) {
      log::Debug("update_ignored", {{"update_id", update_id}, {"reason", ignored.reason}});
      return Decisions{{.outcome = "ignored"}};
    }
    absl::StatusOr<Decisions> operator()(const decide::GroupMessage& message) {
      return One(self.CheckSubject(update_id, decide::SubjectOf(message)));
    }
    absl::StatusOr<Decisions> operator()(const decide::GroupCommand& command) {
      return One(self.OnGroupCommand(update_id, command));
    }
    absl::StatusOr<Decisions> operator()(const decide::PrivateCommand& command) {
      return One(self.OnPrivateCommand(update_id, command));
    }
    absl::StatusOr<Decisions> operator()(const decide::MembersJoined& joined) {
      Decisions decisions;
      for (const decide::Subject& subject : decide::SubjectsOf(joined)) {
        ASSIGN_OR_RETURN(decide::Decision decision, self.CheckSubject(update_id, subject));
        decisions.push_back(std::move(decision));
      }
      return decisions;
    }
    absl::StatusOr<Decisions> operator()(const decide::CheckPressed& press) {
      return One(self.OnCheckPressed(update_id, press));
    }
    absl::StatusOr<Decisions> operator()(const decide::MemberChanged& change) {
      return self.OnMemberChanged(update_id, change);
    }
    absl::StatusOr<Decisions> operator()(const decide::JoinRequested& request) {
      return One(self.OnJoinRequested(request));
    }
    absl::StatusOr<Decisions> operator()(const decide::BotMemberChanged& change) {
      return One(self.OnBotMemberChanged(update_id, change));
    }
    absl::StatusOr<Decisions> operator()(const decide::GroupMigrated& migrated) {
      return One(self.OnGroupMigrated(migrated));
    }

    static absl::StatusOr<Decisions> One(absl::StatusOr<decide::Decision> decision) {
      if (!decision.ok()) return decision.status();
      return Decisions{std::move(*decision)};
    }
  };
  return std::visit(Visitor{*this, update_id}, event);
}

void Verifier::ConfigChanged(int64_t chat_id) {
  deps_.configs.Invalidate(chat_id);
  // Other verifiers reload within their cache TTL even when this notification is lost.
  if (absl::Status status = PublishConfigChange(deps_.redis, chat_id); !status.ok()) {
    log::Warn("config_change_not_published", {{"chat_id", chat_id}, {"status", status}});
  }
}

absl::Status Verifier::Apply(const decide::Decision& decision) {
  std::optional<int64_t> changed;
  if (decision.protect.has_value()) {
    RETURN_IF_ERROR(deps_.store.Protect(*decision.protect));
    changed = decision.protect->chat_id;
  }
  if (decision.unprotect.has_value()) {
    RETURN_IF_ERROR(deps_.store.Unprotect(*decision.unprotect));
    changed = *decision.unprotect;
  }
  if (decision.settings.has_value()) {
    RETURN_IF_ERROR(deps_.store.SaveSettings(*decision.settings));
    changed = decision.settings->chat_id;
  }
  if (decision.exemption.has_value()) {
    RETURN_IF_ERROR(deps_.store.SetExemption(*decision.exemption));
    changed = decision.exemption->chat_id;
  }
  if (changed.has_value()) {
    ConfigChanged(*changed);
    log::Info("group_config_changed", {{"chat_id", *changed}, {"outcome", decision.outcome}});
  }
  // The audit trail must not hold up a restriction: with PostgreSQL away it is logged instead.
  if (absl::Status status = deps_.store.RecordAudit(decision.audit); !status.ok()) {
    log::Warn("audit_not_recorded", {{"entries", static_cast<int64_t>(decision.audit.size())}, {"status", status}});
  }
  return absl::OkStatus();
}

}  // namespace subguard::verifier
