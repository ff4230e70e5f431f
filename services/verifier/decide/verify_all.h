// /verifyall: what the command answers and what a job shows while it runs and once it is done. Pure.
// The job itself lives in PostgreSQL (services/verifier/verify_jobs.h) and is walked by
// services/verifier/verify_all_runner.h.
//
// The start message asks the sender to remember its id (SendMessage.remember_id_as); the job's progress
// and its summary are then edits of that message. A summary whose start message id is unknown (the
// start message was never sent, or it is in the group's chat from before an upgrade) is a message of
// its own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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
// remember_id_as: the Redis key the sender stores a new job's start message id under.
Decision DecideVerifyAll(int64_t update_id, const GroupCommand& command, const GroupConfig* config,
                         const VerifyProgress* progress, const std::string& remember_id_as);
// The start message (start_message_id) edited with the progress; no action when its id is unknown (0).
Decision DecideVerifyProgress(int64_t update_id, int64_t group_chat_id, const GroupConfig* config,
                              const VerifyProgress& progress, int64_t start_message_id);
// The summary once every seen member was checked, decided once per job: the start message edited, or a
// new message when start_message_id is 0.
Decision DecideVerifySummary(int64_t update_id, int64_t group_chat_id, const GroupConfig* config,
                             const VerifyProgress& progress, int64_t start_message_id);
// The start message's id from what the sender remembered ("<chat_id>:<message_id>",
// services/sender/sent_messages.h), or 0 when that is unreadable or names another chat than
// group_chat_id: the group was upgraded since, and message ids are per chat.
int64_t StartMessageIn(std::string_view remembered, int64_t group_chat_id);
// A check whose decision restricts, kicks or prompts the user counts as a restriction.
bool Restricts(const Decision& decision);

}  // namespace subguard::verifier::decide
