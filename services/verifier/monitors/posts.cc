#include "services/verifier/monitors/posts.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "services/verifier/decide/actions.h"

namespace subguard::verifier::monitors {

bool Takes(const Monitor& monitor, const v1::Message& post, bool edited) {
  if (edited && !monitor.send_edits && monitor.mode != Mode::kRecord) return false;
  if (monitor.media == MediaFilter::kText && post.has_media()) return false;
  if (monitor.media == MediaFilter::kMedia && !post.has_media()) return false;
  if (monitor.text_contains.empty()) return true;
  return absl::StrContains(absl::AsciiStrToLower(post.text()), absl::AsciiStrToLower(monitor.text_contains));
}

std::vector<v1::Action> PostActions(int64_t update_id, const v1::Message& post, bool edited,
                                    const std::vector<Monitor>& monitors) {
  std::vector<v1::Action> actions;
  const int64_t source = post.chat().id();
  for (const Monitor& monitor : monitors) {
    if (monitor.mode == Mode::kRecord || monitor.dest_chat_id == 0 || !Takes(monitor, post, edited)) continue;
    std::string purpose(ModeName(monitor.mode));
    if (edited) purpose += "_edit";
    v1::Action action;
    action.set_id(decide::ActionId(update_id, purpose, monitor.dest_chat_id, post.message_id()));
    action.set_chat_id(monitor.dest_chat_id);
    action.set_update_id(update_id);
    if (monitor.mode == Mode::kForward) {
      action.mutable_forward_message()->set_from_chat_id(source);
      action.mutable_forward_message()->set_message_id(post.message_id());
    } else {
      action.mutable_copy_message()->set_from_chat_id(source);
      action.mutable_copy_message()->set_message_id(post.message_id());
    }
    actions.push_back(std::move(action));
  }
  return actions;
}

bool ShouldRecord(const v1::Message& post, const std::vector<Monitor>& monitors) {
  for (const Monitor& monitor : monitors) {
    if (monitor.mode == Mode::kRecord && Takes(monitor, post, /*edited=*/false)) return true;
  }
  return false;
}

}  // namespace subguard::verifier::monitors
