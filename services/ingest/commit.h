// The Dispatchers' completion callbacks: what the ingest does when a worker has answered.
//   verifier Ack  -> journal::CommitUpdate: record the Ack's actions, acknowledge the update
//   sender Ack    -> journal::CommitAction (a failed outcome is logged and counted first)
//   give up       -> journal::DeadLetter
// Each is fenced by the partition lease the Item was read under. A stale fence (the partition moved
// to another owner, or this one re-acquired it) answers OK: the Item is forgotten here, and the
// partition's owner delivers it again from the journal. A Redis error is returned, so the
// Dispatcher retries the completion.
// Thread-safe: run on the Dispatchers' completion threads.
#pragma once

#include "common/dispatch/dispatcher.h"
#include "common/journal/journal.h"
#include "common/observability/metrics.h"

namespace subguard::ingest {

dispatch::DispatcherCallbacks VerifierCallbacks(journal::Journal& journal, observability::Registry& registry);
dispatch::DispatcherCallbacks SenderCallbacks(journal::Journal& journal, observability::Registry& registry);

}  // namespace subguard::ingest
