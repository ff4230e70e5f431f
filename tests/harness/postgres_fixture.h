// What PostgreSQL-backed tests share: QueryInt, a value read for an assertion, and PostgresTest, a
// gtest fixture over a private PostgreSQL server with the embedded migrations applied.
//
// Integration tests derive their fixture from PostgresTest (or PostgresRedisTest when they need Redis
// too); end-to-end tests, whose database belongs to their cluster, call QueryInt on a pool of their own.
// Not thread-safe: the fixtures' servers are started and stopped by gtest, one suite at a time.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "common/pg/pool.h"
#include "gtest/gtest.h"
#include "tests/harness/servers.h"

namespace subguard::harness {

// The first column of the one row sql returns (a count, an id), with params as $1, $2, ...; -1, and a
// test failure, when the query fails or returns another number of rows. One transaction per call.
template <typename... Params>
int64_t QueryInt(pg::Pool& pool, const std::string& sql, const Params&... params) {
  int64_t value = -1;
  const absl::Status status = pool.Transact([&](pqxx::work& tx) {
    if constexpr (sizeof...(params) == 0) {
      value = tx.exec1(sql)[0].as<int64_t>();
    } else {
      value = tx.exec_params1(sql, params...)[0].template as<int64_t>();
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return value;
}

// A suite on one PostgreSQL server, started before its first test and stopped after its last: the
// tests share the database, so each uses its own rows (or clears what it reads). Every test gets a
// fresh pool_ on it, with the migrations applied.
class PostgresTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // Applies the embedded migrations (nothing to do after the suite's first test). A fixture that
  // overrides it calls it first: ASSERT_NO_FATAL_FAILURE(PostgresTest::SetUp()).
  void SetUp() override;

  // QueryInt on pool_.
  template <typename... Params>
  int64_t QueryInt(const std::string& sql, const Params&... params) {
    return harness::QueryInt(pool_, sql, params...);
  }

  inline static PostgresServer* postgres_server_ = nullptr;
  pg::Pool pool_{{.conninfo = postgres_server_->conninfo()}};
};

// PostgresTest with a Redis server too, started and stopped with the PostgreSQL one. The tests share
// it; a test that must start from an empty Redis flushes it.
class PostgresRedisTest : public PostgresTest {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  inline static RedisServer* redis_server_ = nullptr;
};

}  // namespace subguard::harness
