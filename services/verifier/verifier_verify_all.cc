// Verifier: /verifyall and the checks of a verify-all job (VerifyMember updates from
// VerifyAllRunner). A seen member is looked up afresh (getChatMember in the group, and in each linked
// channel bypassing the cached "not a member"), so a stale cache entry never restricts anyone. The
// job's progress and summary edit its start message, whose chat and id the sender left in Redis, while
// that message is in the job's chat (after a group upgrade the summary is a new message).
#include <string>

#include "absl/time/clock.h"
#include "common/base/status_macros.h"
#include "common/observability/log.h"
#include "common/telegram/errors.h"
#include "services/verifier/decide/membership_rule.h"
#include "services/verifier/decide/protection.h"
#include "services/verifier/decide/verify_all.h"
#include "services/verifier/verifier.h"
#include "services/verifier/verify_jobs.h"

namespace subguard::verifier {
namespace {

decide::VerifyProgress ProgressOf(const VerifyJob& job) {
  return decide::VerifyProgress{.job_id = job.id,
                                .started = job.started,
                                .total = job.total,
                                .checked = job.checked,
                                .restricted = job.restricted};
}

}  // namespace

int64_t Verifier::VerifyAllMessageId(const VerifyJob& job) {
  absl::StatusOr<redis::Reply> reply = deps_.redis.Command({"GET", VerifyAllMessageKey(job.id)});
  if (!reply.ok()) {
    // Progress is for show: an edit skipped (or a summary sent alone) is better than a held-up job.
    log::Warn("verifyall_message_unknown", {{"job_id", job.id}, {"status", reply.status()}});
    return 0;
  }
  if (reply->type != redis::Reply::Type::kString) return 0;
  return decide::StartMessageIn(reply->str, job.group_chat_id);
}

absl::StatusOr<decide::Decision> Verifier::OnVerifyAll(int64_t update_id, const decide::GroupCommand& command,
                                                       const decide::GroupConfig* config) {
  if (config == nullptr || !config->active() || deps_.postgres == nullptr) {
    return decide::DecideVerifyAll(update_id, command, config, nullptr, "");
  }
  const v1::Message& message = command.message;
  const int64_t requested_by = decide::NeedsSenderLookup(message) ? message.from().id() : 0;
  ASSIGN_OR_RETURN(VerifyJob job, StartVerifyAll(*deps_.postgres, message.chat().id(), requested_by));
  if (job.started) {
    log::Info("verifyall_started", {{"job_id", job.id}, {"chat_id", job.group_chat_id}, {"total", job.total}});
  }
  const decide::VerifyProgress progress = ProgressOf(job);
  return decide::DecideVerifyAll(update_id, command, config, &progress, VerifyAllMessageKey(job.id));
}

absl::StatusOr<decide::Decision> Verifier::OnVerifyMember(int64_t update_id, const v1::VerifyMember& request) {
  if (deps_.postgres == nullptr) return absl::FailedPreconditionError("verify-all needs PostgreSQL");
  if (request.progress()) {
    ASSIGN_OR_RETURN(VerifyJob job, GetVerifyJob(*deps_.postgres, request.job_id()));
    if (job.state == "done") return decide::Decision{.outcome = "verifyall_progress_late"};
    ASSIGN_OR_RETURN(ConfigCache::ConfigPtr config, deps_.configs.Get(job.group_chat_id));
    return decide::DecideVerifyProgress(update_id, job.group_chat_id, config.get(), ProgressOf(job),
                                        VerifyAllMessageId(job));
  }
  if (request.user_id() == 0) {
    ASSIGN_OR_RETURN(VerifyJob job, FinishVerifyAll(*deps_.postgres, request.job_id()));
    log::Info(
        "verifyall_done",
        {{"job_id", job.id}, {"chat_id", job.group_chat_id}, {"checked", job.checked}, {"restricted", job.restricted}});
    ASSIGN_OR_RETURN(ConfigCache::ConfigPtr config, deps_.configs.Get(job.group_chat_id));
    return decide::DecideVerifySummary(update_id, job.group_chat_id, config.get(), ProgressOf(job),
                                       VerifyAllMessageId(job));
  }
  ASSIGN_OR_RETURN(decide::Decision decision, CheckSeenMember(update_id, request.group_chat_id(), request.user_id()));
  RETURN_IF_ERROR(
      RecordVerifyResult(*deps_.postgres, request.job_id(), request.user_id(), decide::Restricts(decision)));
  return decision;
}

absl::StatusOr<decide::Decision> Verifier::CheckSeenMember(int64_t update_id, int64_t chat_id, int64_t user_id) {
  ASSIGN_OR_RETURN(ConfigCache::ConfigPtr config, deps_.configs.Get(chat_id));
  if (config == nullptr || !config->active()) return decide::Decision{.outcome = "not_protected"};
  ASSIGN_OR_RETURN(bool restricted, deps_.store.RestrictedBySubguard(chat_id, user_id, /*lift_action_id=*/""));
  if (restricted) return decide::Decision{.outcome = "already_restricted"};
  absl::StatusOr<v1::ChatMember> member = deps_.bot_api.GetChatMember(chat_id, user_id);
  if (!member.ok() && !telegram::IsRetryable(member.status())) {
    log::Warn("verifyall_member_unknown", {{"chat_id", chat_id}, {"user_id", user_id}, {"status", member.status()}});
    return decide::Decision{.outcome = "member_unknown"};
  }
  if (!member.ok()) return member.status();

  const decide::Subject subject{.trigger = decide::Trigger::kVerify,
                                .chat_id = chat_id,
                                .user = member->user(),
                                .date = absl::ToUnixSeconds(absl::Now())};
  decide::SubjectFacts facts{.in_group = decide::StatusOf(*member)};
  if (!decide::DecidedWithoutLookups(subject, *config).has_value() && facts.in_group != decide::MemberStatus::kAdmin) {
    ASSIGN_OR_RETURN(facts.channels, ChannelStatuses(*config, user_id, /*bypass_cache=*/true));
    if (decide::NeedsGroupLookup(*config, facts.channels) && decide::NeedsPromptSlot(subject, facts.in_group)) {
      facts.prompt_slot = deps_.prompt_slots.Claim(chat_id, user_id, update_id);
    }
  }
  return decide::DecideSubject(update_id, subject, *config, facts);
}

}  // namespace subguard::verifier
