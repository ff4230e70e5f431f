#include "common/pg/migrations.h"

#include "gtest/gtest.h"

namespace subguard::pg {
namespace {

TEST(EmbeddedMigrationsTest, StartAtOneAndIncrease) {
  const auto migrations = EmbeddedMigrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "initial");
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_FALSE(migrations[i].sql.empty()) << migrations[i].name;
    if (i > 0) {
      EXPECT_GT(migrations[i].version, migrations[i - 1].version);
    }
  }
}

TEST(EmbeddedMigrationsTest, CarryTheFileText) {
  EXPECT_NE(EmbeddedMigrations()[0].sql.find("CREATE TABLE protected_groups"), std::string_view::npos);
}

TEST(ApplyMigrationsTest, RefusesOutOfOrderBeforeConnecting) {
  Pool pool({.conninfo = "host=127.0.0.1 port=1 dbname=none"});
  const Migration migrations[] = {{2, "b", "SELECT 1"}, {1, "a", "SELECT 1"}};
  auto applied = ApplyMigrations(pool, migrations);
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(pool.open_connections(), 0);
}

}  // namespace
}  // namespace subguard::pg
