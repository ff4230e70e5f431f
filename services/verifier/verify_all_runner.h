// VerifyAllRunner: walks the running verify-all jobs (verify_jobs.h). One runs in every verifier; a
// job is walked by whichever holds its Redis lease ("verifyall:<job id>", renewed per user), so a
// verifier that dies mid-job is replaced within the lease ttl and the next one resumes from the
// stored cursor.
//
// For each seen member above the cursor, in user-id order and at most `rate` per second, it appends a
// VerifyMember update to the journal in the group's partition, then advances the cursor. The Verifier
// decides it as it would a message from that user, so the restriction goes through the normal
// decide/ack/sender path, audited and exactly once. When no user is left it appends the job's summary
// update (user_id 0). Every progress_users users or progress_interval, whichever comes first, it appends
// a progress update (VerifyMember.progress), which the Verifier turns into an edit of the job's start
// message. Update ids derive from (job, user): a resumed job re-appends the same ids and the journal
// drops them, and a decision repeated anyway repeats its action ids.
// Owns one thread (Start/Stop). Thread-safe: Start and Stop from one thread.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/base/periodic_thread.h"
#include "common/journal/journal.h"
#include "common/journal/lease.h"
#include "common/pg/pool.h"
#include "services/verifier/verify_jobs.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier {

struct VerifyAllRunnerOptions {
  // --verifyall_rate / SUBGUARD_VERIFYALL_RATE: users checked per second, per job; default 10.
  double rate = 10;
  // --verifyall_poll / SUBGUARD_VERIFYALL_POLL: how often running jobs are looked for; default 2s.
  absl::Duration poll = absl::Seconds(2);
  // --verifyall_progress_users / SUBGUARD_VERIFYALL_PROGRESS_USERS: the start message shows the progress
  // after this many users; default 200.
  int progress_users = 200;
  // --verifyall_progress_interval / SUBGUARD_VERIFYALL_PROGRESS_INTERVAL: ... or after this long, whichever
  // comes first; default 30s. Edits count against the group's 20 messages a minute.
  absl::Duration progress_interval = absl::Seconds(30);
};

// The update that asks for user_id's check in job (user_id 0: the job's summary). Its id is negative
// (never Telegram's), stable for (job, user), and below the monitors' flush ids' range.
v1::Update VerifyMemberUpdate(const VerifyJob& job, int64_t user_id);
// The update that asks for the job's progress to be shown, after the users up to cursor_user.
v1::Update VerifyProgressUpdate(const VerifyJob& job, int64_t cursor_user);

class VerifyAllRunner {
 public:
  // leases: this verifier's (owner = its worker id).
  VerifyAllRunner(VerifyAllRunnerOptions options, pg::Pool& pool, journal::Journal& journal, journal::Leases& leases)
      : options_(options), pool_(pool), journal_(journal), leases_(leases) {}
  ~VerifyAllRunner() { Stop(); }

  void Start();
  void Stop();

 private:
  // Walks job while this verifier holds its lease; OK also when the lease went to another.
  absl::Status Walk(VerifyJob job);

  const VerifyAllRunnerOptions options_;
  pg::Pool& pool_;
  journal::Journal& journal_;
  journal::Leases& leases_;
  base::PeriodicThread loop_;
};

}  // namespace subguard::verifier
