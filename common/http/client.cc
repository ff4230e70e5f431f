#include "common/http/client.h"

#include <curl/curl.h>

#include "absl/strings/str_cat.h"

namespace subguard::http {
namespace {

// curl_global_init is not thread-safe; run it once before the first handle.
void GlobalInitOnce() {
  static const bool initialised = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)initialised;
}

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

struct HttpClient::Impl {
  CURL* curl = nullptr;
  std::string body;
  char error[CURL_ERROR_SIZE] = {};
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {
  GlobalInitOnce();
  impl_->curl = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (impl_->curl != nullptr) curl_easy_cleanup(impl_->curl);
}

absl::StatusOr<HttpResponse> HttpClient::Post(const std::string& url, std::string_view content_type,
                                              std::string_view body, absl::Duration timeout,
                                              const std::vector<std::string>& extra_headers) {
  CURL* curl = impl_->curl;
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_slist* headers = curl_slist_append(nullptr, absl::StrCat("Content-Type: ", std::string(content_type)).c_str());
  // Without this curl waits a second for "100 Continue" on bodies over 1 KiB.
  headers = curl_slist_append(headers, "Expect:");
  for (const std::string& header : extra_headers) headers = curl_slist_append(headers, header.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  auto response = Perform(timeout);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  return response;
}

absl::StatusOr<HttpResponse> HttpClient::Get(const std::string& url, absl::Duration timeout) {
  curl_easy_reset(impl_->curl);
  curl_easy_setopt(impl_->curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(impl_->curl, CURLOPT_HTTPGET, 1L);
  return Perform(timeout);
}

absl::StatusOr<HttpResponse> HttpClient::Perform(absl::Duration timeout) {
  CURL* curl = impl_->curl;
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  impl_->body.clear();
  impl_->error[0] = '\0';
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &impl_->body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, impl_->error);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    // The error text names the host at most, never the URL's path, where the bot token lives.
    const std::string detail = impl_->error[0] != '\0' ? impl_->error : curl_easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT) return absl::DeadlineExceededError(absl::StrCat("http: ", detail));
    return absl::UnavailableError(absl::StrCat("http: ", detail));
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return HttpResponse{static_cast<int>(status), std::move(impl_->body)};
}

ClientPool::Lease ClientPool::Borrow() {
  std::unique_ptr<HttpClient> client;
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      client = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!client) client = std::make_unique<HttpClient>();
  return Lease(*this, std::move(client));
}

void ClientPool::Return(std::unique_ptr<HttpClient> client) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(client));
}

}  // namespace subguard::http
