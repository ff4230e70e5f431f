// Versioned schema migrations: common/pg/migrations/NNNN_name.sql, embedded in the binary at build
// time (embed_migrations.cmake generates the table EmbeddedMigrations() returns).
//
// ApplyMigrations runs at every process start. It takes a session-level pg_advisory_lock, so
// concurrent starters queue behind one another; then applies each migration not yet recorded in
// schema_migrations in its own transaction, recording it in the same transaction. A starter that
// waited finds the work done and applies nothing. A migration is never edited once released: a
// recorded version whose name differs from the embedded one is an error.
// Thread-safe (all state is in PostgreSQL).
#pragma once

#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/pg/pool.h"

namespace subguard::pg {

struct Migration {
  int version = 0;        // NNNN from the file name; strictly increasing
  std::string_view name;  // the rest of the file name, without ".sql"
  std::string_view sql;   // the file's text; may hold several statements
};

// The migrations built into this binary, by version.
std::span<const Migration> EmbeddedMigrations();

// Applies the pending migrations; returns how many this call applied. kFailedPrecondition when the
// migrations are out of order or disagree with what the database recorded; otherwise a Pool error
// (kUnavailable while PostgreSQL is unreachable: retry).
absl::StatusOr<int> ApplyMigrations(Pool& pool, std::span<const Migration> migrations = EmbeddedMigrations());

}  // namespace subguard::pg
