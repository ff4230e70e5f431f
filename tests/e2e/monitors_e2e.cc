// Issue 7's forward monitors across separate processes (sandbox -> ingest -> verifier -> sender): the
// /monitor commands with their owner rule, forward, copy and record modes, a filter, removal, and a
// verifier and a sender crashing between posts (nothing forgotten, nothing sent twice).
//
// A source's posts reach each destination in order, so a marker post arriving last proves every
// earlier post was delivered.
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/pg/pool.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "tests/e2e/cluster.h"

namespace subguard::e2e {
namespace {

using boost::json::object;

constexpr int64_t kBotId = 424242;  // ClusterOptions' default token
constexpr int64_t kOwner = 2001;
constexpr int64_t kStranger = 2002;
constexpr int64_t kSource = -1007001;
constexpr int64_t kGroupDest = -1007101;
constexpr int64_t kChannelDest = -1007102;
constexpr int64_t kRecorded = -1007002;
constexpr absl::Duration kDeadline = absl::Seconds(90);

const object& AdminRights() {
  static const object rights = {{"can_post_messages", true},
                                {"can_delete_messages", true},
                                {"can_restrict_members", true},
                                {"can_invite_users", true}};
  return rights;
}

class MonitorsE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = Cluster::Start({});
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::move(*cluster);
    control_ = std::make_unique<sandbox::ControlClient>(cluster_->sandbox_url());
    ASSERT_TRUE(control_->Reset().ok());
    for (const int64_t user : {kOwner, kStranger}) {
      ASSERT_TRUE(control_->AddUser({.id = user, .first_name = absl::StrCat("U", user)}).ok());
    }
    for (const int64_t chat : {kSource, kChannelDest, kRecorded}) {
      ASSERT_TRUE(control_->AddChat({.id = chat, .type = "channel", .title = absl::StrCat("C", chat)}).ok());
    }
    ASSERT_TRUE(control_->AddChat({.id = kGroupDest, .type = "supergroup", .title = "Dest"}).ok());
    for (const int64_t chat : {kSource, kChannelDest, kRecorded, kGroupDest}) {
      ASSERT_TRUE(control_->SetMember({.chat_id = chat, .user_id = kOwner, .status = "creator"}).ok());
      ASSERT_TRUE(control_->SetMember({chat, kBotId, "administrator", AdminRights()}).ok());
    }
    ASSERT_TRUE(control_->SetMember({.chat_id = kGroupDest, .user_id = kStranger}).ok());
  }

  // Sends text to the bot in user's private chat and returns the bot's reply ("" when none came).
  std::string Command(int64_t user, std::string_view text) {
    auto sent = control_->Send(user, user, text);
    EXPECT_TRUE(sent.ok()) << sent.status();
    if (!sent.ok()) return "";
    std::string reply;
    harness::WaitFor(
        [&] {
          auto messages = control_->Messages(user);
          if (!messages.ok()) return false;
          for (const auto& value : *messages) {
            const object& message = value.as_object();
            const auto* replied = message.if_contains("reply_to_message");
            if (!message.at("outgoing").as_bool() || replied == nullptr ||
                replied->as_object().at("message_id").as_int64() != sent->message_id) {
              continue;
            }
            reply = std::string(message.at("text").as_string());
            return true;
          }
          return false;
        },
        kDeadline);
    return reply;
  }

  void Post(int64_t channel, std::string_view text) {
    auto sent = control_->Send(channel, kOwner, text);
    EXPECT_TRUE(sent.ok()) << sent.status();
  }

  // The texts of the bot's messages in chat, in order; forwarded ones prefixed "fwd:".
  std::vector<std::string> Delivered(int64_t chat) {
    std::vector<std::string> texts;
    auto messages = control_->Messages(chat);
    if (!messages.ok()) return texts;
    for (const auto& value : *messages) {
      const object& message = value.as_object();
      if (!message.at("outgoing").as_bool()) continue;
      const std::string text(message.at("text").as_string());
      texts.push_back(message.contains("forward_origin") ? "fwd:" + text : text);
    }
    return texts;
  }

  // Waits until chat's last delivered message is last.
  bool WaitLast(int64_t chat, const std::string& last) {
    return harness::WaitFor(
        [&] {
          const std::vector<std::string> texts = Delivered(chat);
          return !texts.empty() && texts.back() == last;
        },
        kDeadline);
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<sandbox::ControlClient> control_;
};

TEST_F(MonitorsE2e, ForwardCopyRecordAndRestartsDeliverEachPostOnce) {
  EXPECT_THAT(Command(kOwner, absl::StrCat("/monitor add ", kSource, " ", kGroupDest)),
              ::testing::HasSubstr("Monitor added"));
  EXPECT_THAT(Command(kOwner, absl::StrCat("/monitor add ", kSource, " ", kChannelDest, " copy contains:news")),
              ::testing::HasSubstr("Monitor added"));
  EXPECT_THAT(Command(kOwner, absl::StrCat("/monitor add ", kRecorded, " record")),
              ::testing::HasSubstr("Monitor added"));
  // The owner rule: a member of the destination who is not an admin of the source.
  EXPECT_THAT(Command(kStranger, absl::StrCat("/monitor add ", kSource, " ", kGroupDest)),
              ::testing::HasSubstr("must be an administrator"));

  Post(kSource, "news 1");
  Post(kSource, "weather 2");  // not for the copy monitor's filter
  Post(kRecorded, "kept 1");
  ASSERT_TRUE(WaitLast(kGroupDest, "fwd:weather 2")) << cluster_->LogTails();
  ASSERT_TRUE(WaitLast(kChannelDest, "news 1")) << cluster_->LogTails();

  // Crashes between posts: the journal redelivers what was in flight, with the same action ids.
  ASSERT_TRUE(cluster_->Crash(Cluster::Role::kVerifier, 0).ok());
  Post(kSource, "news 3");
  ASSERT_TRUE(cluster_->Crash(Cluster::Role::kSender, 0).ok());
  Post(kSource, "news 4");
  ASSERT_TRUE(cluster_->WaitReady(Cluster::Role::kVerifier, 0).ok());
  ASSERT_TRUE(cluster_->WaitReady(Cluster::Role::kSender, 0).ok());
  Post(kSource, "news 5");
  ASSERT_TRUE(WaitLast(kGroupDest, "fwd:news 5")) << cluster_->LogTails();
  ASSERT_TRUE(WaitLast(kChannelDest, "news 5")) << cluster_->LogTails();
  EXPECT_THAT(Delivered(kGroupDest),
              ::testing::ElementsAre("fwd:news 1", "fwd:weather 2", "fwd:news 3", "fwd:news 4", "fwd:news 5"));
  EXPECT_THAT(Delivered(kChannelDest), ::testing::ElementsAre("news 1", "news 3", "news 4", "news 5"));

  // The record monitor stored its post without any destination.
  pg::Pool postgres({.conninfo = cluster_->postgres().conninfo()});
  int64_t recorded = 0;
  ASSERT_TRUE(postgres
                  .Transact([&](pqxx::work& tx) {
                    recorded = tx.exec_params1(
                                     "SELECT count(*) FROM recorded_posts WHERE source_chat_id = $1 "
                                     "AND text = 'kept 1'",
                                     kRecorded)[0]
                                   .as<int64_t>();
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(recorded, 1);

  // list survives the restart (the monitors live in PostgreSQL); remove stops the forwards.
  const std::string list = Command(kOwner, "/monitor list");
  EXPECT_THAT(list, ::testing::HasSubstr(absl::StrCat(kSource, " forward -> ", kGroupDest)));
  EXPECT_THAT(list, ::testing::HasSubstr(absl::StrCat(kRecorded, " record")));
  const size_t hash = list.find("#");
  ASSERT_NE(hash, std::string::npos);
  const std::string first_id = list.substr(hash + 1, list.find(' ', hash) - hash - 1);
  EXPECT_THAT(Command(kOwner, "/monitor remove " + first_id), ::testing::HasSubstr("removed"));
  EXPECT_THAT(Command(kOwner, "/monitor status"), ::testing::HasSubstr("ready"));
  Post(kSource, "news 6");
  ASSERT_TRUE(WaitLast(kChannelDest, "news 6")) << cluster_->LogTails();
  EXPECT_EQ(Delivered(kGroupDest).back(), "fwd:news 5");
}

}  // namespace
}  // namespace subguard::e2e
