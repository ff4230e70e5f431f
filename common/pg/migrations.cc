#include "common/pg/migrations.h"

#include <exception>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/observability/log.h"

namespace subguard::pg {
namespace {

// pg_advisory_lock key shared by every subguard process: "subg" in ASCII.
constexpr int64_t kMigrationLockKey = 0x73756267;

constexpr char kCreateMigrationsTable[] = R"sql(
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
  ))sql";
constexpr char kSelectApplied[] = "SELECT version, name FROM schema_migrations";
constexpr char kRecordApplied[] = "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

absl::Status CheckOrder(std::span<const Migration> migrations) {
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      return absl::FailedPreconditionError(absl::StrCat("migrations out of order at version ", migrations[i].version));
    }
  }
  return absl::OkStatus();
}

// Holds the advisory lock for its lifetime. PostgreSQL releases it anyway when the session ends,
// so a failed unlock (connection gone) is harmless.
class AdvisoryLock {
 public:
  explicit AdvisoryLock(pqxx::connection& connection) : connection_(connection) {
    pqxx::nontransaction(connection_).exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
  }
  ~AdvisoryLock() {
    try {
      pqxx::nontransaction(connection_).exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    } catch (const std::exception&) {
    }
  }
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

 private:
  pqxx::connection& connection_;
};

}  // namespace

absl::StatusOr<int> ApplyMigrations(Pool& pool, std::span<const Migration> migrations) {
  if (absl::Status status = CheckOrder(migrations); !status.ok()) return status;
  int applied = 0;
  absl::Status status = pool.WithConnection([&](pqxx::connection& connection) -> absl::Status {
    AdvisoryLock lock(connection);
    pqxx::nontransaction(connection).exec(kCreateMigrationsTable);
    std::map<int, std::string> recorded;
    for (const auto& row : pqxx::nontransaction(connection).exec(kSelectApplied)) {
      recorded[row[0].as<int>()] = row[1].as<std::string>();
    }
    for (const Migration& migration : migrations) {
      if (auto it = recorded.find(migration.version); it != recorded.end()) {
        if (it->second != migration.name) {
          return absl::FailedPreconditionError(absl::StrCat("migration ", migration.version, " is recorded as '",
                                                            it->second, "' but this binary has '",
                                                            base::ToAbsl(migration.name), "'"));
        }
        continue;
      }
      pqxx::work tx(connection);
      tx.exec(std::string(migration.sql));
      tx.exec_params(kRecordApplied, migration.version, std::string(migration.name));
      tx.commit();
      ++applied;
      log::Info("pg_migration_applied", {{"version", migration.version}, {"name", migration.name}});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return applied;
}

}  // namespace subguard::pg
