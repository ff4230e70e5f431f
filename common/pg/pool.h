// Pool: a bounded pool of PostgreSQL connections (libpqxx), and the edge where libpqxx's exceptions
// become a Status (StatusFromException in errors.h).
//
// Connections are opened lazily, up to max_connections; a caller finding all of them busy waits up to
// acquire_timeout. A connection that broke (or whose work failed with kUnavailable) is dropped, never
// returned to the pool, so the next caller opens a fresh one.
//
// Callers write their SQL against pqxx inside the callback and may let pqxx throw: the pool catches
// every std::exception. Keep callbacks free of other side effects, since a kAborted or kUnavailable
// result invites the caller to run the whole callback again.
// Thread-safe. Cost: one round trip per statement plus BEGIN/COMMIT; connecting costs a few ms.
#pragma once

#include <memory>
#include <string>
#include <vector>

// All of libpqxx, so callbacks can use results, rows and fields.
#include <pqxx/pqxx>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace subguard::pg {

struct PoolOptions {
  // libpq connection string. --postgres / SUBGUARD_POSTGRES in the services;
  // default "host=127.0.0.1 port=5432 user=postgres dbname=subguard".
  std::string conninfo = "host=127.0.0.1 port=5432 user=postgres dbname=subguard";
  // Connections open at once, busy or idle. Default 8.
  int max_connections = 8;
  // How long a caller waits for a free connection before kUnavailable. Default 5 s.
  absl::Duration acquire_timeout = absl::Seconds(5);
  // libpq connect_timeout, added to conninfo unless it sets one. Default 5 s.
  absl::Duration connect_timeout = absl::Seconds(5);
  // statement_timeout set on every connection (0: the server's default). Default 10 s.
  absl::Duration statement_timeout = absl::Seconds(10);
};

class Pool {
 public:
  explicit Pool(PoolOptions options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Runs fn in one read-committed transaction: commits when fn returns OK, rolls back otherwise (and
  // returns fn's status). A libpqxx exception from fn or the commit is classified and returned.
  absl::Status Transact(absl::FunctionRef<absl::Status(pqxx::work&)> fn);

  // Runs fn on a connection held for the whole call, for session state such as advisory locks. fn
  // manages its own transactions. Exceptions are classified as in Transact.
  absl::Status WithConnection(absl::FunctionRef<absl::Status(pqxx::connection&)> fn);

  // SELECT 1 on a pooled connection.
  absl::Status Ping();

  // Connections open now, busy or idle.
  int open_connections() const;

 private:
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Acquire();
  void Release(std::unique_ptr<pqxx::connection> connection, const absl::Status& outcome);
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect();

  const PoolOptions options_;
  const std::string conninfo_;  // options_.conninfo with connect_timeout
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace subguard::pg
