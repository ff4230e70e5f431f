#include "common/telegram/bot_api_client.h"

#include <boost/json/parse.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "common/http/server.h"
#include "common/telegram/errors.h"
#include "common/telegram/testing/fixtures.h"
#include "gtest/gtest.h"

namespace subguard::telegram {
namespace {

using testing::ReadFixture;

constexpr char kToken[] = "123456:AAE-secret-token";

// A loopback HTTP server that answers each Bot API path with a canned reply and keeps the requests.
class FakeServer {
 public:
  FakeServer() {
    server_ = *http::Server::Start({}, [this](const http::Request& request) {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
      for (const auto& [path, response] : replies_) {
        if (request.path == path) return response;
      }
      return http::Response::Json(404, R"({"ok":false,"error_code":404,"description":"Not Found"})");
    });
  }
  ~FakeServer() { server_->Stop(); }

  void Reply(const std::string& method, int status, std::string body) {
    std::lock_guard lock(mu_);
    replies_.emplace_back(std::string("/bot") + kToken + "/" + method, http::Response::Json(status, std::move(body)));
  }
  std::vector<http::Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

 private:
  std::unique_ptr<http::Server> server_;
  std::mutex mu_;
  std::vector<std::pair<std::string, http::Response>> replies_;
  std::vector<http::Request> requests_;
};

TEST(BotApiClientTest, PostsJsonToTheMethodPath) {
  FakeServer server;
  server.Reply("restrictChatMember", 200, ReadFixture("reply_ok_true.json"));
  BotApiClient client({.api_url = server.url() + "/", .token = kToken});
  absl::StatusOr<boost::json::value> result =
      client.Call("restrictChatMember", {{"chat_id", -1001234567890}, {"user_id", 5123456789}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, true);
  const std::vector<http::Request> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].Header("content-type"), "application/json");
  const boost::json::value body = boost::json::parse(requests[0].body);
  EXPECT_EQ(body.at("chat_id"), -1001234567890);
  EXPECT_EQ(body.at("user_id"), 5123456789);
}

TEST(BotApiClientTest, ErrorsNameTheMethodAndNeverTheToken) {
  FakeServer server;
  server.Reply("sendMessage", 429, ReadFixture("reply_error_429.json"));
  BotApiClient client({.api_url = server.url(), .token = kToken});
  const absl::Status throttled = client.Call("sendMessage", {{"chat_id", 1}, {"text", "hi"}}).status();
  EXPECT_EQ(throttled.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(throttled.message(), "sendMessage: telegram 429: Too Many Requests: retry after 35");
  EXPECT_EQ(RetryAfter(throttled), absl::Seconds(35));

  const absl::Status unknown = client.Call("getMe", {}).status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.message().find("secret"), absl::string_view::npos) << unknown;
}

TEST(BotApiClientTest, TransportErrorIsUnavailableWithoutTheToken) {
  std::string url;
  {
    FakeServer gone;
    url = gone.url();
  }
  BotApiClient client({.api_url = url, .token = kToken, .timeout = absl::Seconds(5)});
  const absl::Status status = client.Call("getMe", {}).status();
  EXPECT_TRUE(IsRetryable(status)) << status;
  EXPECT_EQ(status.message().find("secret"), absl::string_view::npos) << status;
  EXPECT_EQ(status.message().find("/bot"), absl::string_view::npos) << status;
}

TEST(BotApiClientTest, TypedCallsParseTheirResults) {
  FakeServer server;
  server.Reply(
      "getMe", 200,
      R"({"ok":true,"result":{"id":7000000001,"is_bot":true,"first_name":"Subguard","username":"subguard_bot"}})");
  server.Reply("getChat", 200, ReadFixture("reply_ok_get_chat.json"));
  server.Reply("getChatMember", 200, ReadFixture("reply_ok_get_chat_member_restricted.json"));
  server.Reply("getUpdates", 200, ReadFixture("reply_ok_get_updates.json"));
  server.Reply("getChatAdministrators", 200, R"({"ok":true,"result":{"not":"a list"}})");
  BotApiClient client({.api_url = server.url(), .token = kToken});

  absl::StatusOr<v1::User> me = client.GetMe();
  ASSERT_TRUE(me.ok()) << me.status();
  EXPECT_EQ(me->username(), "subguard_bot");

  absl::StatusOr<ChatInfo> chat = client.GetChat("@rabbit_hole_chat");
  ASSERT_TRUE(chat.ok()) << chat.status();
  EXPECT_EQ(chat->linked_chat_id, -1009876543210);
  ASSERT_TRUE(client.GetChat("-1001234567890").ok());

  absl::StatusOr<v1::ChatMember> member = client.GetChatMember(-1001234567890, 5123456789);
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ(member->status(), "restricted");

  absl::StatusOr<std::vector<std::string>> updates =
      client.GetUpdates({.offset = 905427311, .timeout = absl::Seconds(0), .allowed_updates = {"message"}});
  ASSERT_TRUE(updates.ok()) << updates.status();
  ASSERT_EQ(updates->size(), 2u);
  EXPECT_EQ(boost::json::parse((*updates)[1]).at("update_id"), 905427318);

  EXPECT_EQ(client.GetChatAdministrators(-1001234567890).status().code(), absl::StatusCode::kInternal);

  const std::vector<http::Request> requests = server.requests();
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_EQ(boost::json::parse(requests[1].body).at("chat_id"), "@rabbit_hole_chat");
  EXPECT_EQ(boost::json::parse(requests[2].body).at("chat_id"), -1001234567890);
  const boost::json::value poll = boost::json::parse(requests[4].body);
  EXPECT_EQ(poll.at("offset"), 905427311);
  EXPECT_EQ(poll.at("timeout"), 0);
  EXPECT_EQ(poll.at("allowed_updates").at(0), "message");
}

}  // namespace
}  // namespace subguard::telegram
