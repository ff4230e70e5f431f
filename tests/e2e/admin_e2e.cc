// The admin API end to end: subguard-admin as a process beside the cluster, called by a real gRPC
// client. Authentication (operator token, /apikey keys, none, wrong), owner isolation, a group
// protected through the API muting a non-member (the verifier saw the change at once: its config
// cache TTL is an hour here), monitors through the API, and dead letters listed, replayed once and
// deleted.
//
// One cluster serves the suite; each test uses its own chats.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/journal/keys.h"
#include "common/redis/client.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "subguard/v1/admin.grpc.pb.h"
#include "tests/e2e/admin_rights.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/replies.h"
#include "tests/harness/process.h"

namespace subguard::e2e {
namespace {

using boost::json::object;

constexpr int64_t kBotId = 424242;  // ClusterOptions' default token
constexpr int64_t kOwnerA = 3001;
constexpr int64_t kOwnerB = 3002;
constexpr int64_t kMember = 3003;  // in kChannel
constexpr int64_t kStranger = 3004;
constexpr int64_t kChannel = -1003001;
constexpr absl::Duration kDeadline = absl::Seconds(90);
constexpr char kOperatorToken[] = "e2e-operator-token";

class AdminE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // An hour-long config cache: a change reaches the verifier only by its notification.
    auto cluster = Cluster::Start(
        {.extra_env = {{"SUBGUARD_CONFIG_CACHE_TTL", "1h"}}, .admin = true, .admin_token = kOperatorToken});
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::move(*cluster).release();
    sandbox::ControlClient control(cluster_->sandbox_url());
    ASSERT_TRUE(control.Reset().ok());
    for (const int64_t user : {kOwnerA, kOwnerB, kMember, kStranger}) {
      ASSERT_TRUE(control.AddUser({.id = user, .first_name = absl::StrCat("U", user)}).ok());
    }
    ASSERT_TRUE(control.AddChat({.id = kChannel, .type = "channel", .title = "News", .username = "news_e2e"}).ok());
    ASSERT_TRUE(control.SetMember({kChannel, kBotId, "administrator", AdminRights()}).ok());
    ASSERT_TRUE(control.SetMember({.chat_id = kChannel, .user_id = kOwnerA, .status = "creator"}).ok());
    ASSERT_TRUE(control.SetMember({.chat_id = kChannel, .user_id = kMember}).ok());
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(cluster_, nullptr);
    control_ = std::make_unique<sandbox::ControlClient>(cluster_->sandbox_url());
    stub_ = v1::Admin::NewStub(grpc::CreateChannel(cluster_->admin_address(), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (HasFailure() && cluster_ != nullptr) std::cerr << cluster_->LogTails(20);
  }

  // A new supergroup created by owner, the bot an admin, kMember and kStranger in it.
  int64_t NewGroup(int64_t owner) {
    const int64_t group = -1003100 - ++groups_;
    EXPECT_TRUE(control_->AddChat({.id = group, .type = "supergroup", .title = absl::StrCat("G", group)}).ok());
    EXPECT_TRUE(control_->SetMember({.chat_id = group, .user_id = owner, .status = "creator"}).ok());
    EXPECT_TRUE(control_->SetMember({group, kBotId, "administrator", AdminRights()}).ok());
    for (const int64_t user : {kMember, kStranger}) EXPECT_TRUE(control_->SetMember({group, user}).ok());
    return group;
  }

  // Calls method with "authorization: Bearer <credential>" ("" sends none).
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (v1::Admin::Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& credential, const Request& request, Response* response) {
    grpc::ClientContext context;
    if (!credential.empty()) context.AddMetadata("authorization", "Bearer " + credential);
    context.set_deadline(absl::ToChronoTime(absl::Now() + kDeadline));
    return (stub_.get()->*method)(&context, request, response);
  }

  v1::GroupInfo Protect(const std::string& credential, int64_t group, int64_t owner, grpc::StatusCode expected) {
    v1::ProtectGroupRequest request;
    request.set_chat_id(group);
    request.set_owner_user_id(owner);
    request.add_channels()->set_id(kChannel);
    v1::GroupInfo info;
    const grpc::Status status = Call(&v1::Admin::Stub::ProtectGroup, credential, request, &info);
    EXPECT_EQ(status.error_code(), expected) << status.error_message();
    return info;
  }

  // The text of the bot's reply to message_id in chat ("" when none came).
  std::string ReplyTo(int64_t chat, int64_t message_id) { return WaitForReply(*control_, chat, message_id, kDeadline); }

  // Sends /apikey in user's private chat and returns the key from the reply ("" when none).
  std::string IssueKey(int64_t user) {
    auto sent = control_->Send(user, user, "/apikey");
    EXPECT_TRUE(sent.ok()) << sent.status();
    if (!sent.ok()) return "";
    const std::string reply = ReplyTo(user, sent->message_id);
    const size_t at = reply.find("sgk_");
    return at == std::string::npos ? "" : reply.substr(at, 4 + 64);
  }

  // Waits until every earlier update of group was decided: an admin's /status is answered in order.
  void Settle(int64_t group, int64_t admin) {
    auto sent = control_->Send(group, admin, "/status");
    ASSERT_TRUE(sent.ok()) << sent.status();
    ASSERT_FALSE(ReplyTo(group, sent->message_id).empty());
  }

  bool WaitRestricted(int64_t group, int64_t user) {
    return harness::WaitFor(
        [&] {
          auto member = control_->Member(group, user);
          return member.ok() && member->at("status").as_string() == "restricted";
        },
        kDeadline);
  }

  std::string MemberStatus(int64_t group, int64_t user) {
    auto member = control_->Member(group, user);
    return member.ok() ? std::string(member->at("status").as_string()) : member.status().ToString();
  }

  static Cluster* cluster_;
  static int groups_;
  std::unique_ptr<sandbox::ControlClient> control_;
  std::unique_ptr<v1::Admin::Stub> stub_;
};

Cluster* AdminE2e::cluster_ = nullptr;
int AdminE2e::groups_ = 0;

// grpc.health.v1.Health/Check for the whole server, without credentials (probes carry none). The
// request is empty; a SERVING reply is field 1 = 1, the bytes 08 01.
TEST_F(AdminE2e, StandardHealthCheckSaysServing) {
  grpc::GenericStub generic(grpc::CreateChannel(cluster_->admin_address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kDeadline));
  grpc::Slice empty("", 0);  // a HealthCheckRequest with every field unset
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Notification done;
  generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                    [&](grpc::Status result) {
                      status = std::move(result);
                      done.Notify();
                    });
  done.WaitForNotification();
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

TEST_F(AdminE2e, EveryCallNeedsACredential) {
  v1::ListGroupsResponse groups;
  EXPECT_EQ(Call(&v1::Admin::Stub::ListGroups, "", {}, &groups).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Call(&v1::Admin::Stub::ListGroups, "wrong", {}, &groups).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Call(&v1::Admin::Stub::ListGroups, "sgk_0000", {}, &groups).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Call(&v1::Admin::Stub::ListGroups, kOperatorToken, {}, &groups).ok());
  v1::GroupInfo info;
  v1::GetGroupRequest get;
  get.set_chat_id(42);
  EXPECT_EQ(Call(&v1::Admin::Stub::GetGroup, kOperatorToken, get, &info).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AdminE2e, ProtectThroughTheApiMutesANonMemberAtOnce) {
  const int64_t group = NewGroup(kOwnerA);
  // The verifier decides a message while the group is unprotected, and caches that for an hour.
  ASSERT_TRUE(control_->Send(group, kStranger, "before").ok());
  Settle(group, kOwnerA);
  EXPECT_EQ(MemberStatus(group, kStranger), "member");

  const v1::GroupInfo info = Protect(kOperatorToken, group, kOwnerA, grpc::StatusCode::OK);
  EXPECT_TRUE(info.enabled());
  EXPECT_EQ(info.owner_user_id(), kOwnerA);
  ASSERT_EQ(info.channels_size(), 1);
  EXPECT_EQ(info.channels(0).id(), kChannel);
  ASSERT_TRUE(control_->Send(group, kMember, "member writes").ok());
  ASSERT_TRUE(control_->Send(group, kStranger, "after").ok());
  EXPECT_TRUE(WaitRestricted(group, kStranger)) << MemberStatus(group, kStranger);
  EXPECT_EQ(MemberStatus(group, kMember), "member");

  // Unprotected through the API: the next stranger is left alone.
  v1::UnprotectGroupRequest unprotect;
  unprotect.set_chat_id(group);
  v1::GroupInfo off;
  ASSERT_TRUE(Call(&v1::Admin::Stub::UnprotectGroup, kOperatorToken, unprotect, &off).ok());
  EXPECT_FALSE(off.enabled());
}

TEST_F(AdminE2e, OwnersSeeAndChangeOnlyTheirOwnGroups) {
  const int64_t group_a = NewGroup(kOwnerA);
  const int64_t group_b = NewGroup(kOwnerB);
  Protect(kOperatorToken, group_a, kOwnerA, grpc::StatusCode::OK);
  Protect(kOperatorToken, group_b, kOwnerB, grpc::StatusCode::OK);
  const std::string key_a = IssueKey(kOwnerA);
  const std::string key_b = IssueKey(kOwnerB);
  ASSERT_FALSE(key_a.empty());
  ASSERT_FALSE(key_b.empty());
  ASSERT_NE(key_a, key_b);

  v1::ListGroupsResponse listed;
  ASSERT_TRUE(Call(&v1::Admin::Stub::ListGroups, key_a, {}, &listed).ok());
  for (const v1::GroupInfo& group : listed.groups()) EXPECT_EQ(group.owner_user_id(), kOwnerA);
  bool found = false;
  for (const v1::GroupInfo& group : listed.groups()) found |= group.chat_id() == group_a;
  EXPECT_TRUE(found);

  v1::GetGroupRequest get;
  get.set_chat_id(group_a);
  v1::GroupInfo info;
  EXPECT_TRUE(Call(&v1::Admin::Stub::GetGroup, key_a, get, &info).ok());
  EXPECT_EQ(Call(&v1::Admin::Stub::GetGroup, key_b, get, &info).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::UpdateSettingsRequest settings;
  settings.set_chat_id(group_a);
  settings.set_policy(v1::POLICY_MUTE_AND_DELETE);
  EXPECT_EQ(Call(&v1::Admin::Stub::UpdateSettings, key_b, settings, &info).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Call(&v1::Admin::Stub::UpdateSettings, key_a, settings, &info).ok());
  EXPECT_EQ(info.settings().policy(), v1::POLICY_MUTE_AND_DELETE);
  settings.clear_policy();
  settings.set_mute_seconds(5);
  const grpc::Status bad = Call(&v1::Admin::Stub::UpdateSettings, key_a, settings, &info);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("mute_seconds"), std::string::npos) << bad.error_message();

  v1::SetExemptionRequest exempt;
  exempt.set_chat_id(group_a);
  exempt.set_user_id(kStranger);
  exempt.set_exempt(true);
  ASSERT_TRUE(Call(&v1::Admin::Stub::SetExemption, key_a, exempt, &info).ok());
  ASSERT_EQ(info.exempt_user_ids_size(), 1);
  EXPECT_EQ(info.exempt_user_ids(0), kStranger);
  // The exempted stranger writes in the protected group and stays a member.
  ASSERT_TRUE(control_->Send(group_a, kStranger, "exempt").ok());
  Settle(group_a, kOwnerA);
  EXPECT_EQ(MemberStatus(group_a, kStranger), "member");

  // An owner re-protects only their own group, names no owner, and never reaches operator calls.
  Protect(key_b, group_a, 0, grpc::StatusCode::NOT_FOUND);
  Protect(key_a, group_a, kOwnerB, grpc::StatusCode::PERMISSION_DENIED);
  Protect(key_a, group_a, 0, grpc::StatusCode::OK);

  // Verify-all of their own group only.
  v1::StartVerifyAllRequest start;
  start.set_chat_id(group_a);
  v1::VerifyAllJob job;
  EXPECT_EQ(Call(&v1::Admin::Stub::StartVerifyAll, key_b, start, &job).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Call(&v1::Admin::Stub::StartVerifyAll, key_a, start, &job).ok());
  EXPECT_EQ(job.chat_id(), group_a);
  v1::GetVerifyAllRequest progress;
  progress.set_chat_id(group_a);
  ASSERT_TRUE(Call(&v1::Admin::Stub::GetVerifyAll, key_a, progress, &job).ok());
  EXPECT_FALSE(job.state().empty());
  v1::ListDeadLettersResponse dead;
  EXPECT_EQ(Call(&v1::Admin::Stub::ListDeadLetters, key_a, {}, &dead).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListChatsResponse chats;
  EXPECT_EQ(Call(&v1::Admin::Stub::ListChats, key_a, {}, &chats).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // A new /apikey replaces the old key; /apikey in a group shows none.
  const std::string key_a2 = IssueKey(kOwnerA);
  ASSERT_FALSE(key_a2.empty());
  EXPECT_EQ(Call(&v1::Admin::Stub::ListGroups, key_a, {}, &listed).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Call(&v1::Admin::Stub::ListGroups, key_a2, {}, &listed).ok());
  auto sent = control_->Send(group_a, kOwnerA, "/apikey");
  ASSERT_TRUE(sent.ok());
  const std::string reply = ReplyTo(group_a, sent->message_id);
  EXPECT_NE(reply.find("private chat"), std::string::npos) << reply;
  EXPECT_EQ(reply.find("sgk_"), std::string::npos);
}

TEST_F(AdminE2e, MonitorsThroughTheApiForwardAndStayTheOwners) {
  const int64_t dest = NewGroup(kOwnerA);
  const std::string key_a = IssueKey(kOwnerA);
  const std::string key_b = IssueKey(kOwnerB);
  ASSERT_FALSE(key_a.empty());
  ASSERT_FALSE(key_b.empty());

  v1::AddMonitorRequest add;
  add.mutable_monitor()->set_source_chat_id(kChannel);
  add.mutable_monitor()->set_dest_chat_id(dest);
  add.mutable_monitor()->set_mode(v1::MONITOR_MODE_FORWARD);
  v1::MonitorInfo monitor;
  // kOwnerB administers neither chat.
  EXPECT_EQ(Call(&v1::Admin::Stub::AddMonitor, key_b, add, &monitor).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(&v1::Admin::Stub::AddMonitor, key_a, add, &monitor).ok());
  EXPECT_GT(monitor.id(), 0);
  EXPECT_EQ(monitor.owner_user_id(), kOwnerA);

  ASSERT_TRUE(control_->Send(kChannel, kOwnerA, "post through the api monitor").ok());
  EXPECT_TRUE(harness::WaitFor(
      [&] {
        auto messages = control_->Messages(dest);
        if (!messages.ok()) return false;
        for (const auto& value : *messages) {
          const object& message = value.as_object();
          if (message.at("outgoing").as_bool() && message.contains("forward_origin")) return true;
        }
        return false;
      },
      kDeadline));

  v1::ListMonitorsResponse listed;
  ASSERT_TRUE(Call(&v1::Admin::Stub::ListMonitors, key_b, {}, &listed).ok());
  EXPECT_EQ(listed.monitors_size(), 0);
  ASSERT_TRUE(Call(&v1::Admin::Stub::ListMonitors, key_a, {}, &listed).ok());
  ASSERT_EQ(listed.monitors_size(), 1);
  v1::MonitorStatusResponse status;
  ASSERT_TRUE(Call(&v1::Admin::Stub::MonitorStatus, key_a, {}, &status).ok());
  EXPECT_EQ(status.monitors_size(), 1);

  v1::RemoveMonitorRequest remove;
  remove.set_id(monitor.id());
  v1::RemoveMonitorResponse removed;
  EXPECT_EQ(Call(&v1::Admin::Stub::RemoveMonitor, key_b, remove, &removed).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Call(&v1::Admin::Stub::RemoveMonitor, key_a, remove, &removed).ok());
  ASSERT_TRUE(Call(&v1::Admin::Stub::ListMonitors, kOperatorToken, {}, &listed).ok());
  EXPECT_EQ(listed.monitors_size(), 0);
}

TEST_F(AdminE2e, ADeadLetterIsListedReplayedOnceAndDeleted) {
  const int64_t group = NewGroup(kOwnerA);
  auto sent = control_->Send(group, kStranger, "kept aside");
  ASSERT_TRUE(sent.ok());
  Settle(group, kOwnerA);
  Protect(kOperatorToken, group, kOwnerA, grpc::StatusCode::OK);

  // What the ingest moves aside after the last failed delivery (Journal::DeadLetter): the stranger's
  // message, as if deciding it had kept failing, under a fresh update id.
  v1::Update update;
  update.set_update_id(sent->update_id + 1000000);
  update.set_chat_id(group);
  v1::Message* message = update.mutable_message();
  message->set_message_id(sent->message_id);
  message->mutable_chat()->set_id(group);
  message->mutable_chat()->set_type("supergroup");
  message->mutable_from()->set_id(kStranger);
  message->mutable_from()->set_first_name("U3004");
  message->set_date(absl::ToUnixSeconds(absl::Now()));
  message->set_text("kept aside");
  redis::Pool redis(redis::RedisOptions{.host = cluster_->redis().host(), .port = cluster_->redis().port()});
  const std::string key = journal::DeadLetterKey(journal::PartitionOf(group, 16));
  for (int i = 0; i < 2; ++i) {
    auto added = redis.Command({"XADD", key, "*", "u", update.SerializeAsString(), "k", absl::StrCat(group), "from",
                                "update", "source_id", "1-0", "reason", "verifier kept failing"});
    ASSERT_TRUE(added.ok()) << added.status();
  }

  v1::ListDeadLettersRequest list;
  list.set_page_size(1);
  v1::ListDeadLettersResponse page;
  ASSERT_TRUE(Call(&v1::Admin::Stub::ListDeadLetters, kOperatorToken, list, &page).ok());
  ASSERT_EQ(page.dead_letters_size(), 1);
  EXPECT_FALSE(page.next_page_token().empty());
  const v1::DeadLetter first = page.dead_letters(0);
  EXPECT_EQ(first.kind(), "update");
  EXPECT_EQ(first.update_id(), update.update_id());
  EXPECT_EQ(first.chat_id(), group);
  EXPECT_EQ(first.reason(), "verifier kept failing");
  list.set_page_token(page.next_page_token());
  ASSERT_TRUE(Call(&v1::Admin::Stub::ListDeadLetters, kOperatorToken, list, &page).ok());
  ASSERT_EQ(page.dead_letters_size(), 1);
  const v1::DeadLetter second = page.dead_letters(0);

  v1::DeadLetterRef ref;
  ref.set_id(first.id());
  v1::ReplayDeadLetterResponse replayed;
  ASSERT_TRUE(Call(&v1::Admin::Stub::ReplayDeadLetter, kOperatorToken, ref, &replayed).ok());
  EXPECT_EQ(Call(&v1::Admin::Stub::ReplayDeadLetter, kOperatorToken, ref, &replayed).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(WaitRestricted(group, kStranger)) << MemberStatus(group, kStranger);

  ref.set_id(second.id());
  v1::DeleteDeadLetterResponse deleted;
  ASSERT_TRUE(Call(&v1::Admin::Stub::DeleteDeadLetter, kOperatorToken, ref, &deleted).ok());
  EXPECT_EQ(Call(&v1::Admin::Stub::DeleteDeadLetter, kOperatorToken, ref, &deleted).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ref.set_id("not-an-id");
  EXPECT_EQ(Call(&v1::Admin::Stub::ReplayDeadLetter, kOperatorToken, ref, &replayed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // The replayed update was acted on once: one restriction of the stranger in the group.
  Settle(group, kOwnerA);
  auto calls = control_->Calls("restrictChatMember");
  ASSERT_TRUE(calls.ok());
  int restrictions = 0;
  for (const auto& call : *calls) {
    const std::string text = boost::json::serialize(call);
    if (text.find(absl::StrCat(group)) != std::string::npos &&
        text.find(absl::StrCat(kStranger)) != std::string::npos) {
      ++restrictions;
    }
  }
  EXPECT_EQ(restrictions, 1);

  v1::GetChatRequest get;
  get.set_chat_id(kChannel);
  v1::RegistryChat chat;
  ASSERT_TRUE(Call(&v1::Admin::Stub::GetChat, kOperatorToken, get, &chat).ok());
  EXPECT_EQ(chat.type(), "channel");
  v1::ListChatsResponse chats;
  ASSERT_TRUE(Call(&v1::Admin::Stub::ListChats, kOperatorToken, {}, &chats).ok());
  EXPECT_GT(chats.chats_size(), 0);
}

}  // namespace
}  // namespace subguard::e2e
