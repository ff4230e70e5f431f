// Verify-all jobs (PostgreSQL verify_jobs, verify_job_users; migration 0004): batch verification of
// the members seen in a protected group (seen_members), started by /verifyall or the admin API and
// walked by VerifyAllRunner.
//
// A job is 'running' while its users are handed to the journal (cursor_user: the last one handed),
// 'summarizing' once its summary is asked for, and 'done' when the summary is decided. At most one job
// per group is not done; starting another returns that one. Counts derive from verify_job_users (one
// row per user and job), so a redelivered check never counts twice.
// Free functions over a pg::Pool; thread-safe as the pool is. Each is one short transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/pg/pool.h"

namespace subguard::verifier {

struct VerifyJob {
  int64_t id = 0;
  int64_t group_chat_id = 0;
  int64_t requested_by = 0;  // user id; 0 for the anonymous admin or the admin API
  std::string state;         // "running", "summarizing" or "done"
  int64_t cursor_user = 0;   // the last user id handed to the journal
  int64_t total = 0;         // seen members when the job started
  int64_t checked = 0;       // users decided so far
  int64_t restricted = 0;    // of them, restricted (or kicked, or prompted) under the group's policy
  int64_t created_at = 0;    // unix seconds
  int64_t updated_at = 0;
  int64_t finished_at = 0;  // 0 until done
  bool started = false;     // true: this call created the job; false: it was already under way
};

// Starts a verify-all job for group_chat_id, or returns the one not yet done. Called by the verifier
// (/verifyall, after its admin check) and by the admin API (services/admin/).
absl::StatusOr<VerifyJob> StartVerifyAll(pg::Pool& pool, int64_t group_chat_id, int64_t requested_by);
// The job with this id; kNotFound for an unknown one.
absl::StatusOr<VerifyJob> GetVerifyJob(pg::Pool& pool, int64_t job_id);
// The Redis key under which the sender remembers the job's start message id (SendMessage.remember_id_as).
std::string VerifyAllMessageKey(int64_t job_id);
// The group's latest job, nullopt when it never had one.
absl::StatusOr<std::optional<VerifyJob>> LatestVerifyAll(pg::Pool& pool, int64_t group_chat_id);

// --- For VerifyAllRunner and the Verifier.

// Jobs whose users are still being handed out, oldest first.
absl::StatusOr<std::vector<VerifyJob>> RunningVerifyJobs(pg::Pool& pool);
// Up to limit seen members of the job's group with a user id above after, ascending.
absl::StatusOr<std::vector<int64_t>> SeenMembersAfter(pg::Pool& pool, int64_t group_chat_id, int64_t after, int limit);
// Moves the cursor forward (never back); false when the job is no longer running.
absl::StatusOr<bool> AdvanceVerifyCursor(pg::Pool& pool, int64_t job_id, int64_t cursor_user);
// running -> summarizing (idempotent).
absl::Status MarkVerifySummarizing(pg::Pool& pool, int64_t job_id);
// One user's decision; a repeat for the same user and job is ignored.
absl::Status RecordVerifyResult(pg::Pool& pool, int64_t job_id, int64_t user_id, bool restricted);
// -> done (idempotent); the job with its final counts. kNotFound for an unknown job.
absl::StatusOr<VerifyJob> FinishVerifyAll(pg::Pool& pool, int64_t job_id);

}  // namespace subguard::verifier
