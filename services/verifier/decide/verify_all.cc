#include "services/verifier/decide/verify_all.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/substitute.h"
#include "common/base/strings.h"
#include "services/verifier/decide/actions.h"
#include "services/verifier/decide/messages.h"

namespace subguard::verifier::decide {
namespace {

template <typename... Args>
std::string Format(std::string_view format, const Args&... args) {
  return absl::Substitute(base::ToAbsl(format), args...);
}

v1::Action Edit(int64_t update_id, int64_t chat_id, std::string_view purpose, int64_t job_id, int64_t message_id,
                std::string text) {
  v1::Action action;
  action.set_id(ActionId(update_id, purpose, chat_id, job_id));
  action.set_chat_id(chat_id);
  action.set_update_id(update_id);
  v1::EditMessageText& edit = *action.mutable_edit_message_text();
  edit.set_message_id(message_id);
  edit.set_text(std::move(text));
  return action;
}

}  // namespace

Decision DecideVerifyAll(int64_t update_id, const GroupCommand& command, const GroupConfig* config,
                         const VerifyProgress* progress, const std::string& remember_id_as) {
  const v1::Message& message = command.message;
  const Catalogue& catalogue = CatalogueOf(config);
  if (progress == nullptr) {
    Decision decision{.outcome = "verifyall_refused"};
    decision.actions.push_back(Reply(update_id, message.chat().id(), message.message_id(), catalogue.not_protected));
    return decision;
  }
  if (!progress->started) {
    Decision decision{.outcome = "verifyall_progress"};
    decision.actions.push_back(
        Reply(update_id, message.chat().id(), message.message_id(),
              Format(catalogue.verifyall_running, progress->checked, progress->total, progress->restricted)));
    return decision;
  }
  Decision decision{.outcome = "verifyall_started"};
  decision.actions.push_back(Reply(update_id, message.chat().id(), message.message_id(),
                                   Format(catalogue.verifyall_started, progress->total)));
  decision.actions.back().mutable_send_message()->set_remember_id_as(remember_id_as);
  return decision;
}

Decision DecideVerifyProgress(int64_t update_id, int64_t group_chat_id, const GroupConfig* config,
                              const VerifyProgress& progress, int64_t start_message_id) {
  if (start_message_id == 0) return Decision{.outcome = "verifyall_progress_unshown"};
  Decision decision{.outcome = "verifyall_progress_shown"};
  decision.actions.push_back(
      Edit(update_id, group_chat_id, "verifyall_progress", progress.job_id, start_message_id,
           Format(CatalogueOf(config).verifyall_progress, progress.checked, progress.total, progress.restricted)));
  return decision;
}

Decision DecideVerifySummary(int64_t update_id, int64_t group_chat_id, const GroupConfig* config,
                             const VerifyProgress& progress, int64_t start_message_id) {
  std::string text = Format(CatalogueOf(config).verifyall_summary, progress.checked, progress.restricted);
  Decision decision{.outcome = "verifyall_done"};
  if (start_message_id != 0) {
    decision.actions.push_back(
        Edit(update_id, group_chat_id, "verifyall_summary", progress.job_id, start_message_id, std::move(text)));
    return decision;
  }
  v1::SendMessage message;
  message.set_text(std::move(text));
  decision.actions.push_back(Send(update_id, group_chat_id, "verifyall_summary", progress.job_id, std::move(message)));
  return decision;
}

int64_t StartMessageIn(std::string_view remembered, int64_t group_chat_id) {
  const std::vector<absl::string_view> parts = absl::StrSplit(base::ToAbsl(remembered), ':');
  int64_t chat_id = 0;
  int64_t message_id = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &chat_id) || !absl::SimpleAtoi(parts[1], &message_id) ||
      chat_id != group_chat_id) {
    return 0;
  }
  return message_id;
}

bool Restricts(const Decision& decision) {
  return decision.outcome == "restricted" || decision.outcome == "kicked" || decision.outcome == "prompted";
}

}  // namespace subguard::verifier::decide
