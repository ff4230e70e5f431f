#include "services/sender/done_marks.h"

#include "absl/strings/str_cat.h"

namespace subguard::sender {

std::string RedisDoneMarks::Key(const v1::Action& action) {
  return absl::StrCat("sg:done:{c", action.chat_id(), "}:", action.id());
}

absl::StatusOr<bool> RedisDoneMarks::IsDone(const v1::Action& action) {
  absl::StatusOr<redis::Reply> reply = redis_.Command({"EXISTS", Key(action)});
  if (!reply.ok()) return reply.status();
  return reply->integer > 0;
}

absl::Status RedisDoneMarks::MarkDone(const v1::Action& action) {
  return redis_.Command({"SET", Key(action), "1", "EX", absl::StrCat(absl::ToInt64Seconds(ttl_))}).status();
}

}  // namespace subguard::sender
