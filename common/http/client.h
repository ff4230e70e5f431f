// HttpClient: blocking HTTP(S) requests over libcurl with keep-alive.
//
// One client owns one connection cache; it is not thread-safe, so give each thread its own (or use
// ClientPool). Transport failures (refused, reset, timed out, DNS) are kUnavailable or
// kDeadlineExceeded; any HTTP status, 4xx and 5xx included, is a successful HttpResponse.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace subguard::http {

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs body with the given content type. Extra headers are "Name: value" lines.
  absl::StatusOr<HttpResponse> Post(const std::string& url, std::string_view content_type, std::string_view body,
                                    absl::Duration timeout, const std::vector<std::string>& extra_headers = {});
  absl::StatusOr<HttpResponse> Get(const std::string& url, absl::Duration timeout);

 private:
  absl::StatusOr<HttpResponse> Perform(absl::Duration timeout);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A pool of clients for callers on many threads. Thread-safe. Holds at most as many clients as were
// in use at once.
class ClientPool {
 public:
  // A client borrowed from the pool and returned on destruction.
  class Lease {
   public:
    Lease(ClientPool& pool, std::unique_ptr<HttpClient> client) : pool_(pool), client_(std::move(client)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (client_) pool_.Return(std::move(client_));
    }
    HttpClient* operator->() { return client_.get(); }

   private:
    ClientPool& pool_;
    std::unique_ptr<HttpClient> client_;
  };

  Lease Borrow();

 private:
  void Return(std::unique_ptr<HttpClient> client);
  std::mutex mu_;
  std::vector<std::unique_ptr<HttpClient>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace subguard::http
