// /verifyall across separate processes (sandbox -> ingest -> verifiers -> sender): a protected group
// whose seen members are partly not subscribed to the linked channel; the job restricts exactly
// those, skips the admin and the bot, and leaves alone whoever already left the group. The verifier
// walking the job is SIGKILLed mid-job and left down: the other takes the job over from the stored
// cursor, and still every user is restricted once and the summary is shown once. The job's start message
// (the answer to /verifyall) is edited with the progress every few users, and at last with the summary.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/pg/pool.h"
#include "common/redis/client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "tests/e2e/admin_rights.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/replies.h"
#include "tests/harness/process.h"

namespace subguard::e2e {
namespace {

using boost::json::object;

constexpr int64_t kBotId = 424242;  // ClusterOptions' default token
constexpr int64_t kOwner = 1001;
constexpr int64_t kChannel = -1009101;
constexpr int64_t kGroup = -1008101;
constexpr int64_t kFirstUser = 2001;
constexpr int kUsers = 30;        // 2001..2030; every third is not in the channel
constexpr int64_t kAdmin = 2031;  // not in the channel, but an admin of the group: skipped
constexpr int64_t kBot = 2032;    // not in the channel, a bot: skipped (restrict_bots is off)
constexpr int64_t kGone = 2033;   // not in the channel and no longer in the group: not restricted
constexpr int kSeen = kUsers + 3;
constexpr absl::Duration kDeadline = absl::Seconds(120);

bool InChannel(int64_t user) { return (user - kFirstUser) % 3 != 0; }

class VerifyAllE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    // Two verifiers; a short lease so the survivor takes the job over soon after the kill; a slow
    // enough rate that the kill lands mid-job.
    auto cluster = Cluster::Start({.verifiers = 2,
                                   .extra_env = {{"SUBGUARD_VERIFYALL_RATE", "4"},
                                                 {"SUBGUARD_VERIFYALL_POLL", "500ms"},
                                                 {"SUBGUARD_VERIFYALL_LEASE_TTL", "3s"},
                                                 {"SUBGUARD_VERIFYALL_PROGRESS_USERS", "5"}},
                                   .sandbox_flags = {"--flood_limits=false"}});
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
    control_ = std::make_unique<sandbox::ControlClient>(cluster_->sandbox_url());
    postgres_ = std::make_unique<pg::Pool>(pg::PoolOptions{.conninfo = cluster_->postgres().conninfo()});
    ASSERT_TRUE(control_->Reset().ok());

    ASSERT_TRUE(control_->AddUser({.id = kOwner, .first_name = "Owner"}).ok());
    ASSERT_TRUE(control_->AddChat({.id = kChannel, .type = "channel", .title = "C", .username = "chan_v"}).ok());
    ASSERT_TRUE(control_->SetMember({kChannel, kBotId, "administrator", AdminRights()}).ok());
    ASSERT_TRUE(control_->AddChat({.id = kGroup, .type = "supergroup", .title = "G"}).ok());
    ASSERT_TRUE(control_->SetMember({.chat_id = kGroup, .user_id = kOwner, .status = "creator"}).ok());
    ASSERT_TRUE(control_->SetMember({kGroup, kBotId, "administrator", AdminRights()}).ok());
    for (int64_t user = kFirstUser; user <= kGone; ++user) {
      ASSERT_TRUE(control_->AddUser({.id = user, .first_name = absl::StrCat("U", user), .is_bot = user == kBot}).ok());
      const std::string status = user == kAdmin ? "administrator" : user == kGone ? "left" : "member";
      ASSERT_TRUE(control_->SetMember({.chat_id = kGroup, .user_id = user, .status = status}).ok());
      if (user < kAdmin && InChannel(user)) {
        ASSERT_TRUE(control_->SetMember({.chat_id = kChannel, .user_id = user}).ok());
      }
    }
    ASSERT_THAT(Command(kOwner, "/protect @chan_v"), ::testing::HasSubstr("chan_v"));
    // Seen before: members who wrote while subscribed (seen_members is what the job walks).
    const absl::Status seeded = postgres_->Transact([&](pqxx::work& tx) {
      for (int64_t user = kFirstUser; user <= kGone; ++user) {
        tx.exec_params("INSERT INTO seen_members (group_chat_id, user_id) VALUES ($1, $2)", kGroup, user);
      }
      return absl::OkStatus();
    });
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  std::string Command(int64_t user, std::string_view text) {
    auto sent = control_->Send(kGroup, user, text);
    EXPECT_TRUE(sent.ok()) << sent.status();
    if (!sent.ok()) return "";
    return WaitForReply(*control_, kGroup, sent->message_id, kDeadline);
  }

  // Successful calls of method in the group, about user when user is not 0; with text_part, only
  // messages whose text contains it.
  int Calls(std::string_view method, int64_t user = 0, std::string_view text_part = "") {
    auto calls = control_->Calls(method);
    EXPECT_TRUE(calls.ok()) << calls.status();
    if (!calls.ok()) return -1;
    int count = 0;
    for (const auto& value : *calls) {
      const object& call = value.as_object();
      const object& params = call.at("params").as_object();
      if (!call.at("ok").as_bool() || ParamInt(params, "chat_id") != kGroup) continue;
      if (user != 0 && ParamInt(params, "user_id") != user) continue;
      if (!text_part.empty()) {
        const auto* text = params.if_contains("text");
        if (text == nullptr || !text->is_string() ||
            !absl::StrContains(text->as_string().c_str(), std::string(text_part)))
          continue;
      }
      ++count;
    }
    return count;
  }

  // The current text of the bot's answer to message_id; "" when there is none.
  std::string AnswerNow(int64_t message_id) {
    auto messages = control_->Messages(kGroup);
    if (!messages.ok()) return "";
    for (const auto& value : *messages) {
      const object& message = value.as_object();
      const auto* replied = message.if_contains("reply_to_message");
      if (message.at("outgoing").as_bool() && replied != nullptr &&
          replied->as_object().at("message_id").as_int64() == message_id) {
        return std::string(message.at("text").as_string());
      }
    }
    return "";
  }

  // The group's latest job's column (id or cursor_user); -1 when there is none.
  int64_t Job(std::string_view column) {
    int64_t value = -1;
    const absl::Status status = postgres_->Transact([&](pqxx::work& tx) {
      const pqxx::result rows = tx.exec_params(
          absl::StrCat("SELECT ", std::string(column), " FROM verify_jobs WHERE group_chat_id = $1 ORDER BY id DESC"),
          kGroup);
      if (!rows.empty()) value = rows[0][0].as<int64_t>();
      return absl::OkStatus();
    });
    return status.ok() ? value : -1;
  }

  // The verifier holding the lease of the group's job (its index), -1 when none does.
  int LeaseHolder() {
    redis::Pool redis({.host = "127.0.0.1", .port = cluster_->redis().port()});
    auto value = redis.Command({"GET", absl::StrCat("sg:lease:{verifyall:", Job("id"), "}")});
    if (!value.ok()) return -1;
    for (int i = 0; i < 2; ++i) {
      if (absl::EndsWith(value->str, absl::StrCat(":verifier-", i))) return i;
    }
    return -1;
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<sandbox::ControlClient> control_;
  std::unique_ptr<pg::Pool> postgres_;
};

TEST_F(VerifyAllE2e, RestrictsExactlyTheUnsubscribedOnceThoughItsVerifierDies) {
  auto started = control_->Send(kGroup, kOwner, "/verifyall");
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_THAT(WaitForReply(*control_, kGroup, started->message_id, kDeadline),
              ::testing::HasSubstr(absl::StrCat("Checking the ", kSeen, " members")));
  EXPECT_THAT(Command(kOwner, "/verifyall"), ::testing::HasSubstr("already running"));

  // Mid-job, the verifier walking it dies and stays down.
  ASSERT_TRUE(harness::WaitFor([&] { return Job("cursor_user") >= kFirstUser + 8 && LeaseHolder() >= 0; }, kDeadline));
  const int holder = LeaseHolder();
  ASSERT_GE(holder, 0);
  const int64_t cursor_at_kill = Job("cursor_user");
  cluster_->Kill(Cluster::Role::kVerifier, holder);
  EXPECT_LT(cursor_at_kill, kGone) << "the kill came after the job had walked every user";

  ASSERT_TRUE(harness::WaitFor([&] { return Calls("editMessageText", 0, "Check finished") >= 1; }, kDeadline))
      << cluster_->LogTails();
  // Once the summary is out, a /status answered proves the group's earlier updates were decided.
  EXPECT_THAT(Command(kOwner, "/status"), ::testing::HasSubstr("rotection"));

  // The summary is the start message's last edit, made once; no message of its own.
  EXPECT_EQ(AnswerNow(started->message_id),
            absl::StrCat("Check finished: checked ", kSeen, ", restricted ", kUsers / 3, "."));
  EXPECT_EQ(Calls("editMessageText", 0, "Check finished"), 1);
  EXPECT_EQ(Calls("sendMessage", 0, "Check finished"), 0);
  // Before that it showed the progress (every 5 users here).
  EXPECT_GE(Calls("editMessageText", 0, "restricted so far"), 1);
  for (int64_t user = kFirstUser; user <= kGone; ++user) {
    const bool restricted = user < kAdmin && !InChannel(user);
    EXPECT_EQ(Calls("restrictChatMember", user), restricted ? 1 : 0) << "user " << user;
  }
  EXPECT_TRUE(cluster_->Restart(Cluster::Role::kVerifier, holder).ok());
  // A new job may start once the last is done.
  EXPECT_THAT(Command(kOwner, "/verifyall"), ::testing::HasSubstr("Checking the"));
}

}  // namespace
}  // namespace subguard::e2e
