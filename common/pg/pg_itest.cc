// Integration tests of the pool and the migrations runner against a real PostgreSQL.
#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "common/pg/migrations.h"
#include "common/pg/pool.h"
#include "gtest/gtest.h"
#include "tests/harness/postgres_fixture.h"

namespace subguard::pg {
namespace {

class PgTest : public harness::PostgresTest {
 protected:
  // These tests apply the migrations themselves, on pools of their own.
  void SetUp() override {}

  static int64_t QueryInt(Pool& pool, const std::string& sql) { return harness::QueryInt(pool, sql); }
};

TEST_F(PgTest, MigrationsApplyOnceWhenStartersRace) {
  constexpr int kStarters = 4;
  std::atomic<int> applied = 0;
  std::atomic<int> failures = 0;
  std::vector<std::thread> starters;
  for (int i = 0; i < kStarters; ++i) {
    starters.emplace_back([&] {
      Pool pool({.conninfo = postgres_server_->conninfo(), .max_connections = 1});
      auto result = ApplyMigrations(pool);
      if (result.ok()) {
        applied += *result;
      } else {
        ++failures;
        ADD_FAILURE() << result.status();
      }
    });
  }
  for (auto& starter : starters) starter.join();
  EXPECT_EQ(failures, 0);
  const int total = static_cast<int>(EmbeddedMigrations().size());
  EXPECT_EQ(applied, total);

  Pool pool({.conninfo = postgres_server_->conninfo()});
  EXPECT_EQ(QueryInt(pool, "SELECT count(*) FROM schema_migrations"), total);
  auto again = ApplyMigrations(pool);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(QueryInt(pool, "SELECT count(*) FROM protected_groups"), 0);
}

TEST_F(PgTest, RenamedMigrationIsRefused) {
  Pool pool({.conninfo = postgres_server_->conninfo()});
  ASSERT_TRUE(ApplyMigrations(pool).ok());
  const Migration renamed[] = {{1, "renamed", "SELECT 1"}};
  EXPECT_EQ(ApplyMigrations(pool, renamed).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(PgTest, PoolDropsABrokenConnectionAndReconnects) {
  Pool pool({.conninfo = postgres_server_->conninfo(), .max_connections = 1});
  const int64_t first_pid = QueryInt(pool, "SELECT pg_backend_pid()");
  ASSERT_GT(first_pid, 0);

  Pool admin({.conninfo = postgres_server_->conninfo()});
  ASSERT_EQ(QueryInt(admin, "SELECT count(*) FROM pg_terminate_backend(" + std::to_string(first_pid) + ")"), 1);

  // The pooled connection is dead: the next call may fail with kUnavailable (and drop it); a call
  // after that runs on a fresh connection.
  int64_t second_pid = -1;
  for (int attempt = 0; attempt < 2 && second_pid <= 0; ++attempt) {
    absl::Status status = pool.Transact([&](pqxx::work& tx) {
      second_pid = tx.exec1("SELECT pg_backend_pid()")[0].as<int64_t>();
      return absl::OkStatus();
    });
    if (!status.ok()) {
      EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
    }
  }
  EXPECT_GT(second_pid, 0);
  EXPECT_NE(second_pid, first_pid);
  EXPECT_EQ(pool.open_connections(), 1);
}

TEST_F(PgTest, ViolationsBecomeStatusesAndRollBack) {
  Pool pool({.conninfo = postgres_server_->conninfo()});
  ASSERT_TRUE(ApplyMigrations(pool).ok());
  const auto insert_owner = [&](int64_t id) {
    return pool.Transact([&](pqxx::work& tx) {
      tx.exec_params("INSERT INTO owners (user_id) VALUES ($1)", id);
      return absl::OkStatus();
    });
  };
  ASSERT_TRUE(insert_owner(42).ok());
  EXPECT_EQ(insert_owner(42).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(pool.Transact([](pqxx::work& tx) {
                  tx.exec("INSERT INTO protected_groups (chat_id, policy) VALUES (-1, 'explode')");
                  return absl::OkStatus();
                })
                .code(),
            absl::StatusCode::kInvalidArgument);

  // A callback's error rolls its transaction back.
  EXPECT_EQ(pool.Transact([](pqxx::work& tx) {
                  tx.exec("INSERT INTO owners (user_id) VALUES (43)");
                  return absl::CancelledError("changed my mind");
                })
                .code(),
            absl::StatusCode::kCancelled);
  EXPECT_EQ(QueryInt(pool, "SELECT count(*) FROM owners WHERE user_id = 43"), 0);
}

TEST_F(PgTest, PoolIsBounded) {
  Pool pool(
      {.conninfo = postgres_server_->conninfo(), .max_connections = 1, .acquire_timeout = absl::Milliseconds(50)});
  absl::Notification holding;
  absl::Notification release;
  std::thread holder([&] {
    EXPECT_TRUE(pool.WithConnection([&](pqxx::connection&) {
                      holding.Notify();
                      release.WaitForNotification();
                      return absl::OkStatus();
                    })
                    .ok());
  });
  holding.WaitForNotification();
  EXPECT_EQ(pool.Ping().code(), absl::StatusCode::kUnavailable);
  release.Notify();
  holder.join();
  EXPECT_TRUE(pool.Ping().ok());
  EXPECT_EQ(pool.open_connections(), 1);
}

TEST(PgUnreachableTest, ConnectFailureIsUnavailable) {
  Pool pool({.conninfo = "host=127.0.0.1 port=1 user=postgres dbname=subguard"});
  EXPECT_EQ(pool.Ping().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ApplyMigrations(pool).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(pool.open_connections(), 0);
}

}  // namespace
}  // namespace subguard::pg
