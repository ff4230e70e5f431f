// BotApi: the sandbox's Bot API endpoint, /bot<token>/<method>, answered like api.telegram.org.
//
// Routing follows the official server (HttpConnection.cpp, ClientManager.cpp, Query.cpp): a path not under
// /bot is 404 "Not Found"; a malformed token is 401 "Unauthorized: invalid token specified" and a
// well-formed one other than the sandbox's is 401 "Unauthorized"; method names are case-insensitive (and
// may come as the "method" parameter); an unknown method is 404 "Not Found: method not found". Parameters
// come from the query string, a form body or a JSON body (params.h). Every call is recorded in the CallLog
// and counted in subguard_sandbox_bot_api_calls_total{method,code}.
// A RequestHook, when set, runs before each known method: the seam where issue #6's flood limits and fault
// injection plug in.
// Thread-safe: Handle is called concurrently from the HTTP server's threads.
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "common/http/server.h"
#include "common/observability/metrics.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "services/sandbox/call_log.h"
#include "services/sandbox/methods.h"
#include "services/sandbox/params.h"

namespace subguard::sandbox {

class RequestHook {
 public:
  virtual ~RequestHook() = default;
  // Runs before the method (method as the table names it). A non-OK status, e.g. TooManyRequests(5) or
  // InternalServerError(...), is answered instead of running the method. May block to add latency.
  virtual absl::Status BeforeCall(std::string_view method, const Params& params) = 0;
};

class BotApi {
 public:
  // bot_token is the one token the sandbox accepts. context and call_log outlive the BotApi.
  BotApi(std::string bot_token, MethodContext context, CallLog& call_log, observability::Registry& registry);

  // Answers a request whose path starts with "/bot".
  http::Response Handle(const http::Request& request);

  // nullptr removes the hook. The hook outlives its use.
  void SetRequestHook(RequestHook* hook) { hook_.store(hook); }

 private:
  struct Call {
    std::string method;  // the table's name, or as sent when unknown
    Params params;
    absl::Status status;
    MethodResult result{boost::json::value()};
  };
  // Routes and runs one call, filling call.method, params and the outcome.
  void Run(const http::Request& request, Call& call);

  const std::string bot_token_;
  MethodContext context_;
  CallLog& call_log_;
  prometheus::Family<prometheus::Counter>& calls_;
  std::atomic<RequestHook*> hook_{nullptr};
  absl::flat_hash_map<std::string, MethodSpec> methods_;  // by lower-case name
};

}  // namespace subguard::sandbox
