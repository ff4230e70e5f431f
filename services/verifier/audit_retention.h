// AuditRetention: keeps audit_log within its retention bound by pruning older rows every interval.
// Every verifier runs one; concurrent prunes delete disjoint rows or nothing. Owns one thread; Start
// and Stop are called once each, from main.
#pragma once

#include "absl/time/time.h"
#include "common/base/periodic_thread.h"
#include "services/verifier/group_store.h"

namespace subguard::verifier {

struct AuditRetentionOptions {
  // --audit_retention / SUBGUARD_AUDIT_RETENTION: rows older than this are deleted; default 2160h (90 days).
  absl::Duration retention = absl::Hours(24 * 90);
  // How often to prune. Fixed: 1h.
  absl::Duration interval = absl::Hours(1);
};

class AuditRetention {
 public:
  AuditRetention(AuditRetentionOptions options, GroupStore& store) : options_(options), store_(store) {}
  ~AuditRetention() { Stop(); }

  void Start();
  void Stop();

 private:
  const AuditRetentionOptions options_;
  GroupStore& store_;
  base::PeriodicThread loop_;
};

}  // namespace subguard::verifier
