#include "services/verifier/verify_all_runner.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/observability/log.h"

namespace subguard::verifier {
namespace {

// Update ids in [-kIdSpan, -1]; the monitors' flush ids are below -1e18.
constexpr uint64_t kIdSpan = 100'000'000'000'000'000ULL;

// splitmix64: the same on every verifier (absl::Hash is seeded per process).
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string LeaseName(int64_t job_id) { return absl::StrCat("verifyall:", job_id); }

v1::Update UpdateFor(const VerifyJob& job, int64_t user_id, uint64_t hash) {
  v1::Update update;
  update.set_update_id(-static_cast<int64_t>(1 + hash % kIdSpan));
  update.set_chat_id(job.group_chat_id);
  v1::VerifyMember* member = update.mutable_verify_member();
  member->set_job_id(job.id);
  member->set_group_chat_id(job.group_chat_id);
  member->set_user_id(user_id);
  return update;
}

}  // namespace

v1::Update VerifyMemberUpdate(const VerifyJob& job, int64_t user_id) {
  return UpdateFor(job, user_id, Mix(Mix(static_cast<uint64_t>(job.id)) ^ static_cast<uint64_t>(user_id)));
}

v1::Update VerifyProgressUpdate(const VerifyJob& job, int64_t cursor_user) {
  // Salted apart from the users' own ids.
  const uint64_t hash = Mix(Mix(Mix(static_cast<uint64_t>(job.id)) ^ static_cast<uint64_t>(cursor_user)) ^ 0x70);
  v1::Update update = UpdateFor(job, 0, hash);
  update.mutable_verify_member()->set_progress(true);
  return update;
}

void VerifyAllRunner::Start() {
  loop_.Start(options_.poll, [this] {
    absl::StatusOr<std::vector<VerifyJob>> jobs = RunningVerifyJobs(pool_);
    if (!jobs.ok()) {
      log::Warn("verifyall_jobs_unknown", {{"status", jobs.status()}});
      return;
    }
    for (VerifyJob& job : *jobs) {
      if (loop_.stopping()) break;
      if (absl::Status status = Walk(job); !status.ok()) {
        log::Warn("verifyall_walk_failed", {{"job_id", job.id}, {"status", status}});
      }
    }
  });
}

void VerifyAllRunner::Stop() { loop_.Stop(); }

absl::Status VerifyAllRunner::Walk(VerifyJob job) {
  const std::string lease = LeaseName(job.id);
  const absl::Duration pause = absl::Seconds(1.0 / std::max(options_.rate, 0.001));
  bool logged = false;
  // Progress counts from this walk's start: a resumed job shows it again after as many users.
  int since_progress = 0;
  absl::Time last_progress = absl::Now();
  while (!loop_.stopping()) {
    absl::StatusOr<journal::LeaseGrant> grant = leases_.AcquireOrRenew(lease);
    if (absl::IsAborted(grant.status())) return absl::OkStatus();  // another verifier walks it
    RETURN_IF_ERROR(grant.status());
    if (!logged) {
      log::Info("verifyall_walking", {{"job_id", job.id}, {"chat_id", job.group_chat_id}, {"cursor", job.cursor_user}});
      logged = true;
    }
    ASSIGN_OR_RETURN(std::vector<int64_t> users, SeenMembersAfter(pool_, job.group_chat_id, job.cursor_user, 1));
    if (users.empty()) {
      // The group may have become a supergroup (GroupStore::MoveGroup): its members are under the new id.
      ASSIGN_OR_RETURN(const VerifyJob stored, GetVerifyJob(pool_, job.id));
      if (stored.group_chat_id != job.group_chat_id && stored.state == "running") {
        job.group_chat_id = stored.group_chat_id;
        continue;
      }
      RETURN_IF_ERROR(journal_.AppendUpdate(VerifyMemberUpdate(job, 0)).status());
      RETURN_IF_ERROR(MarkVerifySummarizing(pool_, job.id));
      log::Info("verifyall_walked", {{"job_id", job.id}, {"chat_id", job.group_chat_id}});
      return leases_.Release(lease, grant->fence);
    }
    RETURN_IF_ERROR(journal_.AppendUpdate(VerifyMemberUpdate(job, users.front())).status());
    ASSIGN_OR_RETURN(bool running, AdvanceVerifyCursor(pool_, job.id, users.front()));
    if (!running) return absl::OkStatus();
    job.cursor_user = users.front();
    if (++since_progress >= options_.progress_users || absl::Now() - last_progress >= options_.progress_interval) {
      RETURN_IF_ERROR(journal_.AppendUpdate(VerifyProgressUpdate(job, job.cursor_user)).status());
      since_progress = 0;
      last_progress = absl::Now();
    }
    loop_.WaitForStop(pause);
  }
  return absl::OkStatus();
}

}  // namespace subguard::verifier
