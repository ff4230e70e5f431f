#include "tests/harness/postgres_fixture.h"

#include <utility>

#include "common/pg/migrations.h"

namespace subguard::harness {

void PostgresTest::SetUpTestSuite() {
  auto server = PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  postgres_server_ = std::move(*server).release();
}

void PostgresTest::TearDownTestSuite() {
  delete postgres_server_;
  postgres_server_ = nullptr;
}

void PostgresTest::SetUp() {
  auto applied = pg::ApplyMigrations(pool_);
  ASSERT_TRUE(applied.ok()) << applied.status();
}

void PostgresRedisTest::SetUpTestSuite() {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  redis_server_ = std::move(*server).release();
  PostgresTest::SetUpTestSuite();
}

void PostgresRedisTest::TearDownTestSuite() {
  PostgresTest::TearDownTestSuite();
  delete redis_server_;
  redis_server_ = nullptr;
}

}  // namespace subguard::harness
