#include "services/verifier/join_requests.h"

#include "absl/strings/str_cat.h"
#include "common/observability/log.h"

namespace subguard::verifier {

std::string JoinRequests::Key(int64_t channel_id, int64_t user_id) {
  return absl::StrCat("sg:joinreq:{c", channel_id, "}:", user_id);
}

absl::Status JoinRequests::Record(int64_t channel_id, int64_t user_id) {
  return redis_.Command({"SET", Key(channel_id, user_id), "1", "PX", absl::StrCat(absl::ToInt64Milliseconds(ttl_))})
      .status();
}

bool JoinRequests::Pending(int64_t channel_id, int64_t user_id) {
  auto reply = redis_.Command({"EXISTS", Key(channel_id, user_id)});
  if (!reply.ok()) {
    log::Warn("join_request_unknown", {{"channel_id", channel_id}, {"user_id", user_id}, {"status", reply.status()}});
    return false;
  }
  return reply->integer == 1;
}

}  // namespace subguard::verifier
