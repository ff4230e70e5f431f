// HandleWebhook's answers that need no working Redis: everything but the 200 (see ingest_itest.cc).
// The journal points at a closed loopback port, so an append fails at once with kUnavailable.
#include "services/ingest/webhook_receiver.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/http/client.h"
#include "gtest/gtest.h"
#include "tests/harness/process.h"

namespace subguard::ingest {
namespace {

constexpr char kSecret[] = "s3cret-token_value";
constexpr char kUpdate[] =
    R"({"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":-100,"type":"supergroup"},"text":"hi"}})";

class WebhookReceiverTest : public ::testing::Test {
 protected:
  WebhookReceiverTest()
      : pool_({.host = "127.0.0.1", .port = harness::FreePort()}),
        journal_(pool_, {.owner = "test"}),
        intake_(journal_, registry_),
        receiver_({.path = "/hook", .secret = kSecret}, intake_, registry_) {}

  http::Request Post(std::string body, std::string secret = kSecret) {
    http::Request request{.method = "POST", .path = "/hook", .body = std::move(body)};
    request.headers = {{"content-type", "application/json"}, {"x-telegram-bot-api-secret-token", std::move(secret)}};
    return request;
  }

  observability::Registry registry_;
  redis::Pool pool_;
  journal::Journal journal_;
  Intake intake_;
  WebhookReceiver receiver_;
};

TEST_F(WebhookReceiverTest, RefusesWhatIsNotTelegramsPost) {
  http::Request wrong_path = Post(kUpdate);
  wrong_path.path = "/other";
  EXPECT_EQ(receiver_.HandleWebhook(wrong_path).status, 404);
  http::Request get = Post(kUpdate);
  get.method = "GET";
  EXPECT_EQ(receiver_.HandleWebhook(get).status, 405);
  http::Request form = Post(kUpdate);
  form.headers[0].second = "application/x-www-form-urlencoded";
  EXPECT_EQ(receiver_.HandleWebhook(form).status, 415);
  EXPECT_EQ(receiver_.HandleWebhook(Post(kUpdate, "wrong")).status, 401);
  EXPECT_EQ(receiver_.HandleWebhook(Post(kUpdate, "")).status, 401);
  http::Request no_secret = Post(kUpdate);
  no_secret.headers.pop_back();
  EXPECT_EQ(receiver_.HandleWebhook(no_secret).status, 401);
}

TEST_F(WebhookReceiverTest, BadJsonIs400AndJournalTroubleIs503) {
  EXPECT_EQ(receiver_.HandleWebhook(Post("{not json")).status, 400);
  EXPECT_EQ(receiver_.HandleWebhook(Post(R"({"message":{}})")).status, 400);
  EXPECT_EQ(receiver_.HandleWebhook(Post(kUpdate)).status, 503);
}

// Every hostile body is refused with 400 before anything reaches the journal (which is down here, so
// a body that got that far would be answered 503), and the receiver keeps answering afterwards.
TEST_F(WebhookReceiverTest, HostileBodiesAre400) {
  const std::string deep =
      std::string(R"({"update_id":7,"x":)") + std::string(5000, '[') + std::string(5000, ']') + "}";
  const std::vector<std::string> hostile = {
      "",
      "[]",
      R"([{"update_id":7}])",
      "null",
      "7",
      R"({"update_id":7,"message":{"message_id":1)",  // truncated
      "{\"update_id\":7,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":-100,\"type\":\"supergroup\"},"
      "\"text\":\"\xff\xfe\"}}",   // not UTF-8
      R"({"update_id":"seven"})",  // wrong type
      R"({"update_id":7,"message":{"message_id":"x","date":1,"chat":{"id":-100,"type":"supergroup"}}})",
      R"({"update_id":123456789012345678901234567890})",  // beyond 64 bits
      R"({"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":-1234567890123456789012,"type":"group"}}})",
      deep,                                // nested thousands deep
      R"({"update_id":7,"update_id":8})",  // duplicate keys
      R"({"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":-100,"id":-200,"type":"group"}}})",
  };
  for (const std::string& body : hostile) {
    EXPECT_EQ(receiver_.HandleWebhook(Post(body)).status, 400) << body.substr(0, 120);
  }
  // A well-formed update of a kind subguard does not know is journaled (here: tried, so 503), never refused.
  EXPECT_EQ(receiver_.HandleWebhook(Post(R"({"update_id":9,"poll":{"id":"1","question":"?"}})")).status, 503);
  EXPECT_EQ(receiver_.HandleWebhook(Post(kUpdate)).status, 503);
}

// A body beyond the server's cap is refused before the handler sees it.
TEST_F(WebhookReceiverTest, MultiMegabyteBodiesAreRefusedByTheServer) {
  auto server = http::Server::Start({.host = "127.0.0.1", .port = 0},
                                    [this](const http::Request& request) { return receiver_.HandleWebhook(request); });
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string body =
      absl::StrCat(R"({"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":-100,"type":"group"},"text":")",
                   std::string(3 << 20, 'a'), R"("}})");
  http::HttpClient client;
  auto response = client.Post(absl::StrCat("http://127.0.0.1:", (*server)->port(), "/hook"), "application/json", body,
                              absl::Seconds(30), {absl::StrCat("X-Telegram-Bot-Api-Secret-Token: ", kSecret)});
  // The server may answer 413 or close the connection once the cap is passed; either way nothing is taken.
  if (response.ok()) {
    EXPECT_EQ(response->status, 413);
  }
  EXPECT_EQ(receiver_.HandleWebhook(Post(kUpdate)).status, 503);  // still serving
}

TEST(SecretsEqualTest, ComparesWholeSecrets) {
  EXPECT_TRUE(SecretsEqual("abc", "abc"));
  EXPECT_FALSE(SecretsEqual("abc", "abd"));
  EXPECT_FALSE(SecretsEqual("abc", "ab"));
  EXPECT_FALSE(SecretsEqual("abc", "abcabc"));
  EXPECT_FALSE(SecretsEqual("abc", ""));
  EXPECT_FALSE(SecretsEqual("", ""));  // an unset secret lets nobody in
}

}  // namespace
}  // namespace subguard::ingest
