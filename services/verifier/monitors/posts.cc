#include "services/verifier/monitors/posts.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "services/verifier/decide/actions.h"

namespace subguard::verifier::monitors {

bool Takes(const Monitor& monitor, const v1::Message& post, bool edited) {
  if (post.service()) return false;
  if (edited && !monitor.send_edits && monitor.mode != Mode::kRecord) return false;
  if (monitor.media == MediaFilter::kText && post.has_media()) return false;
  if (monitor.media == MediaFilter::kMedia && !post.has_media()) return false;
  if (monitor.text_contains.empty()) return true;
  return absl::StrContains(absl::AsciiStrToLower(post.text()), absl::AsciiStrToLower(monitor.text_contains));
}

bool Unsendable(int error_code, std::string_view description) {
  if (error_code != 400) return false;
  const std::string lower = absl::AsciiStrToLower(base::ToAbsl(description));
  for (const std::string_view refusal :
       {"can't be forwarded", "can't be copied", "to forward not found", "to copy not found", "message_id_invalid"}) {
    if (absl::StrContains(lower, base::ToAbsl(refusal))) return true;
  }
  return false;
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

std::vector<v1::Action> AlbumActions(const std::vector<AlbumPart>& parts, const std::vector<Monitor>& monitors) {
  std::vector<v1::Action> actions;
  if (parts.empty()) return actions;
  const AlbumPart& first = parts.front();
  for (const Monitor& monitor : monitors) {
    if (monitor.mode == Mode::kRecord || monitor.dest_chat_id == 0) continue;
    const bool taken = std::any_of(parts.begin(), parts.end(),
                                   [&](const AlbumPart& part) { return Takes(monitor, part.post, /*edited=*/false); });
    if (!taken) continue;
    v1::Action action;
    action.set_id(decide::ActionId(first.update_id, absl::StrCat(base::ToAbsl(ModeName(monitor.mode)), "_album"),
                                   monitor.dest_chat_id, first.post.message_id()));
    action.set_chat_id(monitor.dest_chat_id);
    action.set_update_id(first.update_id);
    v1::ForwardMessages& album = *action.mutable_forward_messages();
    album.set_from_chat_id(first.post.chat().id());
    album.set_copy(monitor.mode == Mode::kCopy);
    for (const AlbumPart& part : parts) album.add_message_ids(part.post.message_id());
    actions.push_back(std::move(action));
  }
  return actions;
}

std::optional<ActionSource> SourceOf(const v1::Action& action) {
  switch (action.kind_case()) {
    case v1::Action::kForwardMessage:
      return ActionSource{action.forward_message().from_chat_id(), Mode::kForward};
    case v1::Action::kCopyMessage:
      return ActionSource{action.copy_message().from_chat_id(), Mode::kCopy};
    case v1::Action::kForwardMessages:
      return ActionSource{action.forward_messages().from_chat_id(),
                          action.forward_messages().copy() ? Mode::kCopy : Mode::kForward};
    default:
      return std::nullopt;
  }
}

bool HasMonitor(const v1::Action& action, const std::vector<Monitor>& monitors) {
  const std::optional<ActionSource> source = SourceOf(action);
  return source.has_value() && std::any_of(monitors.begin(), monitors.end(), [&](const Monitor& monitor) {
           return monitor.source_chat_id == source->source_chat_id && monitor.dest_chat_id == action.chat_id() &&
                  monitor.mode == source->mode;
         });
}

}  // namespace subguard::verifier::monitors
