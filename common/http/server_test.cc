#include "common/http/server.h"

#include "common/http/client.h"
#include "common/http/url.h"
#include "gtest/gtest.h"

namespace subguard::http {
namespace {

TEST(UrlTest, ParsesAndDecodesQuery) {
  EXPECT_EQ(FindQueryParam("a=1&text=hello+w%6Frld&b=", "text"), "hello world");
  EXPECT_EQ(FindQueryParam("a=1", "missing"), "");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode(PercentEncode("a b/ü?")), "a b/ü?");
}

TEST(ServerTest, ServesRequestsOverRealHttp) {
  auto server = Server::Start({.port = 0}, [](const Request& request) {
    return Response::Text(200, request.method + " " + request.path + " " + request.QueryParam("q") + " " +
                                   std::string(request.Header("x-test")) + " " + request.body);
  });
  ASSERT_TRUE(server.ok()) << server.status();
  HttpClient client;
  const std::string base = "http://127.0.0.1:" + std::to_string((*server)->port());
  auto response = client.Post(base + "/p?q=1", "text/plain", "body", absl::Seconds(5), {"X-Test: yes"});
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST /p 1 yes body");
  // The connection is reused for a second request.
  response = client.Get(base + "/g", absl::Seconds(5));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "GET /g   ");
}

TEST(ServerTest, RejectsOversizedBodyWith413) {
  auto server = Server::Start({.port = 0, .max_body_bytes = 10}, [](const Request&) { return Response::Text(200, ""); });
  ASSERT_TRUE(server.ok());
  HttpClient client;
  auto response = client.Post("http://127.0.0.1:" + std::to_string((*server)->port()) + "/", "text/plain",
                              std::string(100, 'x'), absl::Seconds(5));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 413);
}

TEST(ClientTest, RefusedConnectionIsUnavailable) {
  int port = 0;
  {
    auto server = Server::Start({.port = 0}, [](const Request&) { return Response::Text(200, ""); });
    ASSERT_TRUE(server.ok());
    port = (*server)->port();
  }
  HttpClient client;
  auto response = client.Get("http://127.0.0.1:" + std::to_string(port) + "/", absl::Seconds(2));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace subguard::http
