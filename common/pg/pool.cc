#include "common/pg/pool.h"

#include <exception>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/pg/errors.h"

namespace subguard::pg {
namespace {

std::string WithConnectTimeout(const PoolOptions& options) {
  if (absl::StrContains(options.conninfo, "connect_timeout")) return options.conninfo;
  return absl::StrCat(options.conninfo,
                      " connect_timeout=", std::max<int64_t>(1, absl::ToInt64Seconds(options.connect_timeout)));
}

}  // namespace

Pool::Pool(PoolOptions options) : options_(std::move(options)), conninfo_(WithConnectTimeout(options_)) {}

Pool::~Pool() = default;

absl::StatusOr<std::unique_ptr<pqxx::connection>> Pool::Connect() {
  try {
    auto connection = std::make_unique<pqxx::connection>(conninfo_);
    if (options_.statement_timeout > absl::ZeroDuration()) {
      connection->set_variable("statement_timeout",
                               std::to_string(absl::ToInt64Milliseconds(options_.statement_timeout)));
    }
    return connection;
  } catch (const std::exception& error) {
    return StatusFromException(error);
  }
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> Pool::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    const auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.max_connections;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&available), options_.acquire_timeout)) {
      return absl::UnavailableError(
          absl::StrCat("postgres: all ", options_.max_connections, " pooled connections stayed busy"));
    }
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;  // reserved now, connected below without holding the lock
  }
  auto connection = Connect();
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return connection;
}

void Pool::Release(std::unique_ptr<pqxx::connection> connection, const absl::Status& outcome) {
  // A connection that broke is dropped; libpqxx would otherwise try to reconnect it behind our back.
  const bool broken = absl::IsUnavailable(outcome) || absl::IsUnknown(outcome) || !connection->is_open();
  if (broken) connection.reset();  // closes outside the lock
  absl::MutexLock lock(&mu_);
  if (broken) {
    --open_;
  } else {
    idle_.push_back(std::move(connection));
  }
}

absl::Status Pool::WithConnection(absl::FunctionRef<absl::Status(pqxx::connection&)> fn) {
  auto connection = Acquire();
  if (!connection.ok()) return connection.status();
  absl::Status status;
  try {
    status = fn(**connection);
  } catch (const std::exception& error) {
    status = StatusFromException(error);
  }
  Release(std::move(*connection), status);
  return status;
}

absl::Status Pool::Transact(absl::FunctionRef<absl::Status(pqxx::work&)> fn) {
  return WithConnection([&](pqxx::connection& connection) {
    pqxx::work tx(connection);
    absl::Status status = fn(tx);
    if (status.ok()) tx.commit();  // otherwise tx's destructor rolls back
    return status;
  });
}

absl::Status Pool::Ping() {
  return WithConnection([](pqxx::connection& connection) {
    pqxx::nontransaction tx(connection);
    tx.exec("SELECT 1");
    return absl::OkStatus();
  });
}

int Pool::open_connections() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

}  // namespace subguard::pg
