#include "common/pg/errors.h"

#include <pqxx/except>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace subguard::pg {
namespace {

// SQLSTATE classes and codes (PostgreSQL appendix A) that libpqxx 6.4 has no exception class for.
bool IsUnavailableState(const std::string& state) {
  return absl::StartsWith(state, "08") ||   // connection exception
         absl::StartsWith(state, "57P") ||  // operator intervention: admin/crash shutdown, cannot connect now
         state == "53300";                  // too many connections
}

}  // namespace

absl::Status StatusFromException(const std::exception& error) {
  const std::string message = absl::StrCat("postgres: ", error.what());
  // Most specific classes first: several derive from one another.
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) return absl::UnknownError(message);
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) return absl::UnavailableError(message);
  if (dynamic_cast<const pqxx::transaction_rollback*>(&error) != nullptr) return absl::AbortedError(message);
  if (dynamic_cast<const pqxx::unique_violation*>(&error) != nullptr) return absl::AlreadyExistsError(message);
  if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&error) != nullptr ||
      dynamic_cast<const pqxx::data_exception*>(&error) != nullptr) {
    return absl::InvalidArgumentError(message);
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error); sql != nullptr) {
    const std::string& state = sql->sqlstate();
    if (IsUnavailableState(state)) return absl::UnavailableError(message);
    if (state == "57014") return absl::DeadlineExceededError(message);  // query_canceled (statement_timeout)
    return absl::InternalError(message);
  }
  return absl::InternalError(message);
}

}  // namespace subguard::pg
