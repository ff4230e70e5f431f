// Issue 7's forward monitors across separate processes (sandbox -> ingest -> verifier -> sender): the
// /monitor commands with their owner rule, forward, copy and record modes, a filter, removal, a
// verifier and a sender crashing between posts (nothing forgotten, nothing sent twice), a destination
// the bot cannot post to (its posts held, then flushed in order once it is fixed; the bot's status
// there refreshed; a removed monitor's held posts dropped), albums sent as one group per destination
// (also across a verifier crash), a group as a source, and the chat registry's pruning.
//
// A source's posts reach each destination in order, so a marker post arriving last proves every
// earlier post was delivered.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/pg/pool.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/replies.h"
#include "tests/harness/postgres_fixture.h"

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
constexpr int64_t kSourceGroup = -1007003;
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
  // Cool-downs of 1 s doubling to 4 s, so a failing destination is retried within the test; albums
  // sent after 3 s without a new part, so a verifier can be killed after it gathered one.
  virtual ClusterOptions Options() {
    return {.extra_env = {{"SUBGUARD_MONITOR_COOLDOWN_BASE", "1s"},
                          {"SUBGUARD_MONITOR_COOLDOWN_MAX", "4s"},
                          {"SUBGUARD_MONITOR_ALBUM_QUIET", "3s"}}};
  }

  void SetUp() override {
    auto cluster = Cluster::Start(Options());
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::move(*cluster);
    control_ = std::make_unique<sandbox::ControlClient>(cluster_->sandbox_url());
    postgres_ = std::make_unique<pg::Pool>(pg::PoolOptions{.conninfo = cluster_->postgres().conninfo()});
    ASSERT_TRUE(control_->Reset().ok());
    for (const int64_t user : {kOwner, kStranger}) {
      ASSERT_TRUE(control_->AddUser({.id = user, .first_name = absl::StrCat("U", user)}).ok());
    }
    for (const int64_t chat : {kSource, kChannelDest, kRecorded}) {
      ASSERT_TRUE(control_->AddChat({.id = chat, .type = "channel", .title = absl::StrCat("C", chat)}).ok());
    }
    ASSERT_TRUE(control_->AddChat({.id = kGroupDest, .type = "supergroup", .title = "Dest"}).ok());
    ASSERT_TRUE(control_->AddChat({.id = kSourceGroup, .type = "supergroup", .title = "Talk"}).ok());
    for (const int64_t chat : {kSource, kChannelDest, kRecorded, kGroupDest, kSourceGroup}) {
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
    return WaitForReply(*control_, user, sent->message_id, kDeadline);
  }

  void Post(int64_t channel, std::string_view text) {
    auto sent = control_->Send(channel, kOwner, text);
    EXPECT_TRUE(sent.ok()) << sent.status();
  }

  // The texts (or captions) of the bot's messages in chat, in order; forwarded ones prefixed "fwd:",
  // photos "photo:" (an album's parts: the same media_group_id, one "photo:" prefix per part).
  std::vector<std::string> Delivered(int64_t chat) {
    std::vector<std::string> texts;
    auto messages = control_->Messages(chat);
    if (!messages.ok()) return texts;
    for (const auto& value : *messages) {
      const object& message = value.as_object();
      if (!message.at("outgoing").as_bool()) continue;
      const boost::json::value* text = message.if_contains("text");
      if (text == nullptr) text = message.if_contains("caption");
      std::string shown = text == nullptr ? "" : std::string(text->as_string());
      if (message.contains("photo")) shown = "photo:" + shown;
      texts.push_back(message.contains("forward_origin") ? "fwd:" + shown : shown);
    }
    return texts;
  }

  // The message_ids of each forwardMessages/copyMessages call (method) to chat, in order.
  std::vector<std::vector<int64_t>> AlbumCalls(std::string_view method, int64_t chat) {
    std::vector<std::vector<int64_t>> albums;
    auto calls = control_->Calls(method);
    if (!calls.ok()) return albums;
    for (const auto& value : *calls) {
      const object& params = value.at("params").as_object();
      if (ParamInt(params, "chat_id") != chat) continue;
      boost::json::value ids = params.at("message_ids");
      if (ids.is_string()) ids = boost::json::parse(ids.as_string());
      std::vector<int64_t>& album = albums.emplace_back();
      for (const auto& id : ids.as_array()) album.push_back(id.to_number<int64_t>());
    }
    return albums;
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

  // harness::QueryInt on the cluster's database, with $1 = chat.
  int64_t Query(const std::string& sql, int64_t chat) { return harness::QueryInt(*postgres_, sql, chat); }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<sandbox::ControlClient> control_;
  std::unique_ptr<pg::Pool> postgres_;
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
  EXPECT_EQ(Query("SELECT count(*) FROM recorded_posts WHERE source_chat_id = $1 AND text = 'kept 1'", kRecorded), 1);

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

TEST_F(MonitorsE2e, PostsForAFailingDestinationAreHeldAndFlushedInOrderOnce) {
  ASSERT_THAT(Command(kOwner, absl::StrCat("/monitor add ", kSource, " ", kGroupDest)),
              ::testing::HasSubstr("Monitor added"));
  Post(kSource, "a 1");
  ASSERT_TRUE(WaitLast(kGroupDest, "fwd:a 1")) << cluster_->LogTails();

  // The bot is removed from the destination: its sends are refused, so the posts are held.
  ASSERT_TRUE(control_->SetMember({.chat_id = kGroupDest, .user_id = kBotId, .status = "left"}).ok());
  for (const char* text : {"b 2", "b 3", "b 4"}) Post(kSource, text);
  constexpr char kHeld[] = "SELECT count(*) FROM held_posts WHERE dest_chat_id = $1";
  ASSERT_TRUE(harness::WaitFor([&] { return Query(kHeld, kGroupDest) == 3; }, kDeadline)) << cluster_->LogTails();
  EXPECT_GE(Query("SELECT failures FROM chats WHERE chat_id = $1", kGroupDest), 1);
  // The refusal refreshed the bot's status there.
  std::string status;
  EXPECT_TRUE(harness::WaitFor(
      [&] {
        status = Command(kOwner, "/monitor status");
        return absl::StrContains(status, absl::StrCat(kGroupDest, " Dest: not ready, the bot is left"));
      },
      kDeadline))
      << status;
  EXPECT_THAT(status, ::testing::HasSubstr("held 3"));
  // A few cool-downs go by (1 s, 2 s, 4 s): the flushes fail again and hold, never drop or send.
  ASSERT_TRUE(harness::WaitFor(
      [&] { return Query("SELECT consecutive_failures FROM chats WHERE chat_id = $1", kGroupDest) >= 2; }, kDeadline))
      << cluster_->LogTails();
  EXPECT_EQ(Query(kHeld, kGroupDest), 3);
  EXPECT_THAT(Delivered(kGroupDest), ::testing::ElementsAre("fwd:a 1"));

  // A verifier restarting meanwhile forgets nothing, and its startup summary names the destination.
  ASSERT_TRUE(cluster_->Crash(Cluster::Role::kVerifier, 0).ok());
  ASSERT_TRUE(cluster_->WaitReady(Cluster::Role::kVerifier, 0).ok());
  bool summarized = false;
  for (const absl::string_view line : absl::StrSplit(cluster_->LogTails(400), '\n')) {
    summarized |=
        absl::StrContains(line, "monitors_chat_not_ready") && absl::StrContains(line, absl::StrCat(kGroupDest));
  }
  EXPECT_TRUE(summarized) << cluster_->LogTails();
  EXPECT_EQ(Query(kHeld, kGroupDest), 3);

  // Fixed: the held posts arrive in order, once, and new posts follow them.
  ASSERT_TRUE(control_->SetMember({kGroupDest, kBotId, "administrator", AdminRights()}).ok());
  ASSERT_TRUE(WaitLast(kGroupDest, "fwd:b 4")) << cluster_->LogTails();
  Post(kSource, "c 5");
  ASSERT_TRUE(WaitLast(kGroupDest, "fwd:c 5")) << cluster_->LogTails();
  EXPECT_THAT(Delivered(kGroupDest), ::testing::ElementsAre("fwd:a 1", "fwd:b 2", "fwd:b 3", "fwd:b 4", "fwd:c 5"));
  ASSERT_TRUE(harness::WaitFor([&] { return Query(kHeld, kGroupDest) == 0; }, kDeadline)) << cluster_->LogTails();
  EXPECT_EQ(Query("SELECT consecutive_failures FROM chats WHERE chat_id = $1", kGroupDest), 0);
  // The success refreshed the bot's status there (it was "left" since the first refusal).
  EXPECT_TRUE(harness::WaitFor(
      [&] { return absl::StrContains(Command(kOwner, "/monitor status"), absl::StrCat(kGroupDest, " Dest: ready")); },
      kDeadline))
      << Command(kOwner, "/monitor status");
}

// An album reaches each destination as one forwardMessages/copyMessages with its parts in order,
// once: also when the verifier dies while the parts come in, and when it dies after gathering them.
TEST_F(MonitorsE2e, AlbumsArriveAsOneGroupInOrderOnceAcrossVerifierCrashes) {
  ASSERT_THAT(Command(kOwner, absl::StrCat("/monitor add ", kSource, " ", kGroupDest)),
              ::testing::HasSubstr("Monitor added"));
  ASSERT_THAT(Command(kOwner, absl::StrCat("/monitor add ", kSource, " ", kChannelDest, " copy")),
              ::testing::HasSubstr("Monitor added"));

  // The verifier dies as the parts come in.
  auto first = control_->PostAlbum(kSource, kOwner, 3, "album 1");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(cluster_->Crash(Cluster::Role::kVerifier, 0).ok());
  ASSERT_TRUE(cluster_->WaitReady(Cluster::Role::kVerifier, 0).ok());
  // The verifier dies after gathering every part, before the album is sent (the quiet period is 3 s
  // here): the restarted one sends it.
  auto second = control_->PostAlbum(kSource, kOwner, 3, "album 2");
  ASSERT_TRUE(second.ok()) << second.status();
  constexpr char kParts[] = "SELECT count(*) FROM monitor_album_parts WHERE source_chat_id = $1";
  ASSERT_TRUE(harness::WaitFor([&] { return Query(kParts, kSource) == 6; }, kDeadline)) << cluster_->LogTails();
  ASSERT_TRUE(cluster_->Crash(Cluster::Role::kVerifier, 0).ok());
  ASSERT_TRUE(cluster_->WaitReady(Cluster::Role::kVerifier, 0).ok());
  Post(kSource, "after");  // may overtake album 2 (docs/monitors.md)
  for (const int64_t dest : {kGroupDest, kChannelDest}) {
    ASSERT_TRUE(harness::WaitFor([&] { return Delivered(dest).size() >= 7; }, kDeadline)) << cluster_->LogTails();
  }

  // One call per album and destination, the parts in order; nothing sent twice.
  const std::vector<std::vector<int64_t>> albums = {first->message_ids, second->message_ids};
  EXPECT_EQ(AlbumCalls("forwardMessages", kGroupDest), albums);
  EXPECT_EQ(AlbumCalls("copyMessages", kChannelDest), albums);
  EXPECT_THAT(Delivered(kChannelDest), ::testing::UnorderedElementsAre("photo:album 1", "photo:", "photo:",
                                                                       "photo:album 2", "photo:", "photo:", "after"));
  EXPECT_THAT(Delivered(kGroupDest), ::testing::Contains("fwd:photo:album 2"));
  EXPECT_EQ(Delivered(kGroupDest).size(), 7u);
  EXPECT_EQ(Delivered(kChannelDest).size(), 7u);
}

// A group as a source: its members' messages are forwarded; another group's are not.
TEST_F(MonitorsE2e, AGroupsMessagesAreForwardedWhenItIsASource) {
  ASSERT_THAT(Command(kOwner, absl::StrCat("/monitor add ", kSourceGroup, " ", kChannelDest, " copy")),
              ::testing::HasSubstr("Monitor added"));
  ASSERT_TRUE(control_->SetMember({.chat_id = kSourceGroup, .user_id = kStranger}).ok());
  ASSERT_TRUE(control_->Send(kSourceGroup, kStranger, "hello from the group").ok());
  ASSERT_TRUE(control_->Send(kGroupDest, kStranger, "not a source").ok());
  auto album = control_->PostAlbum(kSourceGroup, kStranger, 2, "group album");
  ASSERT_TRUE(album.ok()) << album.status();
  ASSERT_TRUE(control_->Send(kSourceGroup, kOwner, "last").ok());
  ASSERT_TRUE(harness::WaitFor([&] { return Delivered(kChannelDest).size() >= 4; }, kDeadline)) << cluster_->LogTails();
  EXPECT_THAT(Delivered(kChannelDest),
              ::testing::UnorderedElementsAre("hello from the group", "photo:group album", "photo:", "last"));
  EXPECT_EQ(AlbumCalls("copyMessages", kChannelDest), std::vector<std::vector<int64_t>>{album->message_ids});
}

// A refusal refreshes the bot's status in the destination (shown by /monitor status); a removed
// monitor's held posts are dropped, never sent, even once the destination recovers. The cool-down is
// long here so that the monitor is removed before the first flush (a flush already sent goes on).
class MonitorsRemoveE2e : public MonitorsE2e {
 protected:
  ClusterOptions Options() override {
    return {.extra_env = {{"SUBGUARD_MONITOR_COOLDOWN_BASE", "20s"}, {"SUBGUARD_MONITOR_COOLDOWN_MAX", "40s"}}};
  }
};

TEST_F(MonitorsRemoveE2e, ARemovedMonitorsHeldPostsAreNotSent) {
  ASSERT_THAT(Command(kOwner, absl::StrCat("/monitor add ", kSource, " ", kGroupDest)),
              ::testing::HasSubstr("Monitor added"));
  Post(kSource, "a 1");
  ASSERT_TRUE(WaitLast(kGroupDest, "fwd:a 1")) << cluster_->LogTails();

  ASSERT_TRUE(control_->SetMember({.chat_id = kGroupDest, .user_id = kBotId, .status = "kicked"}).ok());
  for (const char* text : {"b 2", "b 3"}) Post(kSource, text);
  constexpr char kHeld[] = "SELECT count(*) FROM held_posts WHERE dest_chat_id = $1";
  ASSERT_TRUE(harness::WaitFor([&] { return Query(kHeld, kGroupDest) == 2; }, kDeadline)) << cluster_->LogTails();
  ASSERT_TRUE(harness::WaitFor(
      [&] { return absl::StrContains(Command(kOwner, "/monitor status"), "not ready, the bot is kicked"); }, kDeadline))
      << cluster_->LogTails();
  EXPECT_THAT(Command(kOwner, "/monitor status"), ::testing::HasSubstr("last error: 403"));

  const std::string list = Command(kOwner, "/monitor list");
  const size_t hash = list.find("#");
  ASSERT_NE(hash, std::string::npos);
  EXPECT_THAT(Command(kOwner, "/monitor remove " + list.substr(hash + 1, list.find(' ', hash) - hash - 1)),
              ::testing::HasSubstr("removed"));
  // The first flush (after the cool-down) drops them.
  ASSERT_TRUE(harness::WaitFor([&] { return Query(kHeld, kGroupDest) == 0; }, kDeadline)) << cluster_->LogTails();

  // Recovered, and monitored again by a new (copy) monitor: only new posts arrive.
  ASSERT_TRUE(control_->SetMember({kGroupDest, kBotId, "administrator", AdminRights()}).ok());
  ASSERT_THAT(Command(kOwner, absl::StrCat("/monitor add ", kSource, " ", kGroupDest, " copy")),
              ::testing::HasSubstr("Monitor added"));
  Post(kSource, "c 4");
  ASSERT_TRUE(WaitLast(kGroupDest, "c 4")) << cluster_->LogTails();
  EXPECT_THAT(Delivered(kGroupDest), ::testing::ElementsAre("fwd:a 1", "c 4")) << cluster_->LogTails(400);
}

// Registry entries unseen for --monitor_registry_prune_after (here 2 s) are pruned; a source seen
// again comes back, and its monitor never depended on the entry.
class MonitorsPruneE2e : public MonitorsE2e {
 protected:
  ClusterOptions Options() override { return {.extra_env = {{"SUBGUARD_MONITOR_REGISTRY_PRUNE_AFTER", "2s"}}}; }
};

TEST_F(MonitorsPruneE2e, UnseenChatsArePrunedAndSeenOnesComeBack) {
  ASSERT_THAT(Command(kOwner, absl::StrCat("/monitor add ", kSource, " ", kChannelDest, " copy")),
              ::testing::HasSubstr("Monitor added"));
  constexpr char kKnown[] = "SELECT count(*) FROM chats WHERE chat_id = $1";
  EXPECT_EQ(Query(kKnown, kSource), 1);  // recorded by /monitor add
  ASSERT_TRUE(
      harness::WaitFor([&] { return Query(kKnown, kSource) == 0 && Query(kKnown, kChannelDest) == 0; }, kDeadline))
      << cluster_->LogTails();

  Post(kSource, "still here");
  ASSERT_TRUE(WaitLast(kChannelDest, "still here")) << cluster_->LogTails();
  // The source's post and the destination's success put both back (until they are unseen again).
  ASSERT_TRUE(harness::WaitFor([&] { return Query(kKnown, kSource) == 1; }, kDeadline)) << cluster_->LogTails();
  ASSERT_TRUE(harness::WaitFor([&] { return Query(kKnown, kChannelDest) == 1; }, kDeadline)) << cluster_->LogTails();
}

}  // namespace
}  // namespace subguard::e2e
