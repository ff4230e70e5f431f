#include "services/verifier/decide/verify_all.h"

#include <string>

#include "absl/strings/substitute.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/messages.h"

namespace subguard::verifier::decide {
namespace {

constexpr char kStarted[] =
    "Checking the $0 members I have seen here against the linked channels. Whoever is not subscribed is treated "
    "as if they had just written. I will post a summary when done.";
constexpr char kRunning[] = "A check is already running: $0 of $1 members checked, $2 restricted.";
constexpr char kSummary[] = "Check finished: checked $0, restricted $1.";

}  // namespace

Decision DecideVerifyAll(int64_t update_id, const GroupCommand& command, const GroupConfig* config,
                         const VerifyProgress* progress) {
  const v1::Message& message = command.message;
  if (progress == nullptr) {
    Decision decision{.outcome = "verifyall_refused"};
    decision.actions.push_back(
        Reply(update_id, message.chat().id(), message.message_id(), CatalogueOf(config).not_protected));
    return decision;
  }
  const std::string text = progress->started
                               ? absl::Substitute(kStarted, progress->total)
                               : absl::Substitute(kRunning, progress->checked, progress->total, progress->restricted);
  Decision decision{.outcome = progress->started ? "verifyall_started" : "verifyall_progress"};
  decision.actions.push_back(Reply(update_id, message.chat().id(), message.message_id(), text));
  return decision;
}

Decision DecideVerifySummary(int64_t update_id, int64_t group_chat_id, const VerifyProgress& progress) {
  v1::SendMessage message;
  message.set_text(absl::Substitute(kSummary, progress.checked, progress.restricted));
  Decision decision{.outcome = "verifyall_done"};
  decision.actions.push_back(Send(update_id, group_chat_id, "verifyall_summary", progress.job_id, std::move(message)));
  return decision;
}

bool Restricts(const Decision& decision) {
  return decision.outcome == "restricted" || decision.outcome == "kicked" || decision.outcome == "prompted";
}

}  // namespace subguard::verifier::decide
