#include "services/verifier/audit_retention.h"

#include "common/observability/log.h"

namespace subguard::verifier {

void AuditRetention::Start() {
  loop_.Start(options_.interval, [this] {
    auto pruned = store_.PruneAudit(options_.retention);
    if (!pruned.ok()) {
      log::Warn("audit_prune_failed", {{"status", pruned.status()}});
    } else if (*pruned > 0) {
      log::Info("audit_pruned", {{"rows", *pruned}});
    }
  });
}

void AuditRetention::Stop() { loop_.Stop(); }

}  // namespace subguard::verifier
