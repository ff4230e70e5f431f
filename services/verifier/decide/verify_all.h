// /verifyall: what the command answers and what a finished job reports. Pure. The job itself lives
// in PostgreSQL (services/verifier/verify_jobs.h) and is walked by services/verifier/verify_all_runner.h.
#pragma once

#include <cstdint>

#include "services/verifier/decide/event.h"
#include "services/verifier/decide/types.h"

namespace subguard::verifier::decide {

// The state of a verify-all job, as the answers need it.
struct VerifyProgress {
  int64_t job_id = 0;
  bool started = false;  // true: this /verifyall started it; false: it was already running
  int64_t total = 0;     // seen members when it started
  int64_t checked = 0;
  int64_t restricted = 0;
};

// The answer to an admin's /verifyall; progress is null when the group is not protected (no job).
Decision DecideVerifyAll(int64_t update_id, const GroupCommand& command, const GroupConfig* config,
                         const VerifyProgress* progress);
// The message in the group once every seen member was checked, sent once per job.
Decision DecideVerifySummary(int64_t update_id, int64_t group_chat_id, const VerifyProgress& progress);
// A check whose decision restricts, kicks or prompts the user counts as a restriction.
bool Restricts(const Decision& decision);

}  // namespace subguard::verifier::decide
