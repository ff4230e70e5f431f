// PermanentErrorLoop against a real Redis and PostgreSQL: the senders' permanent errors folded into
// audit_log once each, a refused restriction no longer counted, /status's latest-first read, and the
// retention prune covering the new rows.
#include "common/registry/permanent_errors.h"
#include "gtest/gtest.h"
#include "services/verifier/permanent_error_loop.h"
#include "tests/harness/postgres_fixture.h"

namespace subguard::verifier {
namespace {

constexpr int64_t kGroup = -1005;
constexpr int64_t kUser = 77;

class PermanentErrorLoopItest : public harness::PostgresRedisTest {
 protected:
  // Both tests count every error row and read the whole stream: each starts from empty ones.
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(PostgresRedisTest::SetUp());
    ASSERT_TRUE(redis_.Command({"FLUSHALL"}).ok());
    ASSERT_TRUE(pool_
                    .Transact([](pqxx::work& tx) {
                      tx.exec("TRUNCATE audit_log, active_restrictions");
                      return absl::OkStatus();
                    })
                    .ok());
  }

  registry::PermanentError Refusal(std::string action_id, std::string method, absl::Time at) {
    return {.action_id = std::move(action_id),
            .chat_id = kGroup,
            .user_id = kUser,
            .method = std::move(method),
            .reason = "not_enough_rights",
            .error_code = 400,
            .description = "Bad Request: not enough rights to restrict/unrestrict chat member",
            .at = at};
  }

  redis::Pool redis_{{.host = "127.0.0.1", .port = redis_server_->port()}};
  GroupStore store_{pool_};
};

TEST_F(PermanentErrorLoopItest, FoldsEachErrorOnceAndForgetsARefusedRestriction) {
  const std::string restrict_id = "5:restrict:-1005:77";
  ASSERT_TRUE(store_.RecordAudit({{restrict_id, kGroup, kUser, "restrict", "message"}}).ok());
  ASSERT_EQ(store_.CountRestricted(kGroup).value(), 1);

  const absl::Time now = absl::Now();
  const registry::PermanentError refused = Refusal(restrict_id, "restrictChatMember", now - absl::Minutes(2));
  ASSERT_TRUE(registry::ReportPermanentError(redis_, refused).ok());
  ASSERT_TRUE(registry::ReportPermanentError(redis_, refused).ok());  // a redelivered action, reported twice
  ASSERT_TRUE(registry::ReportPermanentError(redis_, Refusal("6:prompt:-1005:77", "sendMessage", now)).ok());
  ASSERT_TRUE(redis_.Command({"XADD", registry::kPermanentErrorsStream, "*", "junk", "1"}).ok());  // malformed

  PermanentErrorLoop loop({.consumer = "v1"}, redis_, store_);
  ASSERT_TRUE(loop.Fold().ok());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log WHERE kind = 'error'"), 2);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log WHERE kind = 'restrict'"), 1);  // its own row stays
  EXPECT_EQ(store_.CountRestricted(kGroup).value(), 0);
  EXPECT_EQ(redis_.Command({"XLEN", registry::kPermanentErrorsStream})->integer, 0);  // acknowledged, deleted

  auto recent = store_.RecentErrors(kGroup, 1);
  ASSERT_TRUE(recent.ok()) << recent.status();
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].method, "sendMessage");
  EXPECT_LT(absl::AbsDuration((*recent)[0].at - now), absl::Milliseconds(1));
  EXPECT_EQ(store_.RecentErrors(kGroup, 3)->size(), 2u);

  // Kept as long as any audit row, and pruned like one.
  ASSERT_TRUE(
      store_.RecordError(Refusal("1:restrict:-1005:77", "restrictChatMember", now - absl::Hours(24 * 100))).ok());
  EXPECT_EQ(store_.PruneAudit(absl::Hours(24 * 90)).value(), 1);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log WHERE kind = 'error'"), 2);
}

TEST_F(PermanentErrorLoopItest, AnErrorAVerifierReadAndNeverAcknowledgedIsTakenOver) {
  ASSERT_TRUE(
      registry::ReportPermanentError(redis_, Refusal("9:restrict:-1005:77", "restrictChatMember", absl::Now())).ok());
  // A verifier read it and died before folding it.
  ASSERT_TRUE(redis_
                  .Command({"XGROUP", "CREATE", registry::kPermanentErrorsStream, registry::kPermanentErrorsGroup, "0",
                            "MKSTREAM"})
                  .ok());
  ASSERT_TRUE(redis_
                  .Command({"XREADGROUP", "GROUP", registry::kPermanentErrorsGroup, "dead", "COUNT", "10", "STREAMS",
                            registry::kPermanentErrorsStream, ">"})
                  .ok());
  PermanentErrorLoop loop({.consumer = "v2", .claim_idle = absl::ZeroDuration()}, redis_, store_);
  ASSERT_TRUE(loop.Fold().ok());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log WHERE kind = 'error'"), 1);
}

}  // namespace
}  // namespace subguard::verifier
