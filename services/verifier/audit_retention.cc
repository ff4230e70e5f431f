#include "services/verifier/audit_retention.h"

#include "common/observability/log.h"

namespace subguard::verifier {

void AuditRetention::Start() {
  thread_ = std::thread([this] {
    do {
      auto pruned = store_.PruneAudit(options_.retention);
      if (!pruned.ok()) {
        log::Warn("audit_prune_failed", {{"status", pruned.status()}});
      } else if (*pruned > 0) {
        log::Info("audit_pruned", {{"rows", *pruned}});
      }
    } while (!stop_.WaitForNotificationWithTimeout(options_.interval));
  });
}

void AuditRetention::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace subguard::verifier
