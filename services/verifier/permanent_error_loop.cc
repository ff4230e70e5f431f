#include "services/verifier/permanent_error_loop.h"

#include "common/observability/log.h"
#include "common/registry/permanent_errors.h"
#include "common/registry/stream_fold.h"

namespace subguard::verifier {

void PermanentErrorLoop::Start() {
  loop_.Start(options_.tick, [this] {
    if (absl::Status folded = Fold(); !folded.ok()) log::Warn("permanent_errors_fold_failed", {{"status", folded}});
  });
}

absl::Status PermanentErrorLoop::Fold() {
  const registry::StreamFoldOptions fold{.stream = registry::kPermanentErrorsStream,
                                         .group = registry::kPermanentErrorsGroup,
                                         .consumer = options_.consumer,
                                         .claim_idle = options_.claim_idle};
  return registry::FoldStream(redis_, fold, [this](const std::string& id, const redis::Reply& fields) {
    const std::optional<registry::PermanentError> error = registry::ParsePermanentError(fields);
    if (!error.has_value()) {
      log::Warn("permanent_error_malformed", {{"entry_id", id}});
      return absl::OkStatus();
    }
    return store_.RecordError(*error);
  });
}

}  // namespace subguard::verifier
