// A test fixture: a SandboxServer in-process on a free loopback port, with a FakeClock, a ControlClient and
// a Bot API caller over real HTTP. For the sandbox's own tests.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/clock.h"
#include "common/http/client.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "services/sandbox/sandbox_server.h"

namespace subguard::sandbox {

inline constexpr int64_t kBotId = 123456;
inline constexpr std::string_view kToken = "123456:sandbox-token";
inline constexpr int64_t kGroup = -1001000000001;
inline constexpr int64_t kChannel = -1001000000002;
inline constexpr int64_t kAlice = 1001;  // creator of the group and the channel
inline constexpr int64_t kBob = 1002;    // a member of the group
inline constexpr int64_t kCarol = 1003;  // in no chat

struct BotReply {
  int status = 0;
  boost::json::object body;

  const boost::json::value& result() const { return body.at("result"); }
  std::string description() const {
    const boost::json::value* d = body.if_contains("description");
    return d != nullptr && d->is_string() ? std::string(d->as_string()) : "";
  }
};

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SandboxOptions options;
    options.http.port = 0;
    auto server = SandboxServer::Start(options, clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    control_ = std::make_unique<ControlClient>(server_->base_url());
  }

  // Calls a Bot API method with a JSON body. Each call has its own connection, so tests may call from
  // several threads at once.
  BotReply Call(std::string_view method, const boost::json::object& params = {}, std::string_view token = kToken) {
    return Parse(http::HttpClient().Post(Url(method, token), "application/json", boost::json::serialize(params),
                                         absl::Seconds(60)));
  }
  // Calls with a raw path after the token ("getChat?chat_id=1") and an optional form body.
  BotReply CallRaw(std::string_view method_and_query, std::string_view form_body = "") {
    const std::string url = Url(method_and_query, kToken);
    return Parse(form_body.empty()
                     ? http::HttpClient().Get(url, absl::Seconds(60))
                     : http::HttpClient().Post(url, "application/x-www-form-urlencoded", form_body, absl::Seconds(60)));
  }
  // The result of a call that must succeed.
  boost::json::value Ok(std::string_view method, const boost::json::object& params = {}) {
    BotReply reply = Call(method, params);
    EXPECT_EQ(reply.status, 200) << method << ": " << boost::json::serialize(reply.body);
    return reply.body.contains("result") ? reply.result() : boost::json::value();
  }

  // Alice (creator) and Bob (member) in a supergroup where the bot is an administrator that may restrict
  // members and delete messages; a public channel created by Alice, where the bot is in no role.
  void SetUpWorld() {
    ASSERT_TRUE(control_->AddUser({.id = kAlice, .first_name = "Alice", .username = "alice_user"}).ok());
    ASSERT_TRUE(control_->AddUser({.id = kBob, .first_name = "Bob"}).ok());
    ASSERT_TRUE(control_->AddUser({.id = kCarol, .first_name = "Carol"}).ok());
    ASSERT_TRUE(control_->AddChat({.id = kGroup, .type = "supergroup", .title = "Group"}).ok());
    ASSERT_TRUE(
        control_->AddChat({.id = kChannel, .type = "channel", .title = "News", .username = "news_channel"}).ok());
    SetMember(kGroup, kAlice, "creator");
    SetMember(kGroup, kBotId, "administrator", {{"can_restrict_members", true}, {"can_delete_messages", true}});
    SetMember(kGroup, kBob, "member");
    SetMember(kChannel, kAlice, "creator");
  }

  void SetMember(int64_t chat, int64_t user, std::string status, boost::json::object fields = {}) {
    auto result = control_->SetMember(
        {.chat_id = chat, .user_id = user, .status = std::move(status), .fields = std::move(fields)});
    ASSERT_TRUE(result.ok()) << result.status();
  }

  // Confirms every pending update and returns the offset after them.
  int64_t DrainUpdates() {
    const boost::json::value updates = Ok("getUpdates", {{"offset", -1}});
    if (updates.as_array().empty()) return 0;
    const int64_t next = updates.as_array().back().at("update_id").as_int64() + 1;
    Ok("getUpdates", {{"offset", next}});
    return next;
  }

  // Waits, with a generous deadline, until the sandbox reports this many waiting getUpdates calls.
  bool WaitForLongPolls(int count) {
    const std::string line = absl::StrCat("subguard_sandbox_long_polls ", count, "\n");
    http::HttpClient metrics;
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      auto response = metrics.Get(server_->base_url() + "/metrics", absl::Seconds(5));
      if (response.ok() && absl::StrContains(response->body, line)) return true;
      absl::SleepFor(absl::Milliseconds(5));
    }
    return false;
  }

  base::FakeClock clock_;
  std::unique_ptr<SandboxServer> server_;
  std::unique_ptr<ControlClient> control_;

 private:
  std::string Url(std::string_view method, std::string_view token) {
    return server_->base_url() + "/bot" + std::string(token) + "/" + std::string(method);
  }
  static BotReply Parse(const absl::StatusOr<http::HttpResponse>& response) {
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return {};
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(response->body, ec);
    EXPECT_FALSE(ec) << response->body;
    return {response->status, body.is_object() ? body.as_object() : boost::json::object()};
  }
};

}  // namespace subguard::sandbox
