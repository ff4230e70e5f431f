#include "common/pg/errors.h"

#include <pqxx/except>

#include "gtest/gtest.h"

namespace subguard::pg {
namespace {

TEST(StatusFromExceptionTest, ConnectionFailuresAreUnavailable) {
  EXPECT_EQ(StatusFromException(pqxx::broken_connection("server closed the connection")).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromException(pqxx::too_many_connections("too many")).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromException(pqxx::sql_error("terminating connection", "SELECT 1", "57P01")).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromException(pqxx::sql_error("connection failure", "", "08006")).code(),
            absl::StatusCode::kUnavailable);
}

TEST(StatusFromExceptionTest, ConstraintViolations) {
  EXPECT_EQ(StatusFromException(pqxx::unique_violation("duplicate key", "INSERT", "23505")).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(StatusFromException(pqxx::check_violation("check", "INSERT", "23514")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromException(pqxx::foreign_key_violation("fk", "INSERT", "23503")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromException(pqxx::not_null_violation("null", "INSERT", "23502")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromException(pqxx::data_exception("bad value", "INSERT", "22P02")).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StatusFromExceptionTest, RetryTheTransaction) {
  EXPECT_EQ(StatusFromException(pqxx::serialization_failure("could not serialize")).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(StatusFromException(pqxx::deadlock_detected("deadlock")).code(), absl::StatusCode::kAborted);
}

TEST(StatusFromExceptionTest, OutcomeUnknownAndTimeouts) {
  EXPECT_EQ(StatusFromException(pqxx::in_doubt_error("commit lost")).code(), absl::StatusCode::kUnknown);
  EXPECT_EQ(StatusFromException(pqxx::sql_error("canceling statement due to statement timeout", "", "57014")).code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST(StatusFromExceptionTest, BugsAreInternalAndKeepTheMessage) {
  const absl::Status status = StatusFromException(pqxx::undefined_table("relation \"x\" does not exist", "", "42P01"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_NE(status.message().find("relation \"x\" does not exist"), absl::string_view::npos);
  EXPECT_EQ(StatusFromException(pqxx::usage_error("misuse")).code(), absl::StatusCode::kInternal);
  EXPECT_EQ(StatusFromException(std::runtime_error("other")).code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace subguard::pg
