#include "services/sandbox/bot_api.h"

#include <boost/json/object.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "common/base/strings.h"
#include "services/sandbox/errors.h"

namespace subguard::sandbox {
namespace {

// ClientManager.cpp's shape check: "<positive bot id>:<secret>", at most 80 characters, no '/'.
bool IsWellFormedToken(std::string_view token) {
  const size_t colon = token.find(':');
  if (token.empty() || token[0] == '0' || token.size() > 80 || colon == std::string_view::npos) return false;
  int64_t bot_id = 0;
  return absl::SimpleAtoi(base::ToAbsl(token.substr(0, colon)), &bot_id) && bot_id > 0 && bot_id < (int64_t{1} << 54);
}

}  // namespace

BotApi::BotApi(std::string bot_token, MethodContext context, CallLog& call_log, observability::Registry& registry)
    : bot_token_(std::move(bot_token)),
      context_(context),
      call_log_(call_log),
      calls_(prometheus::BuildCounter()
                 .Name("subguard_sandbox_bot_api_calls_total")
                 .Help("Bot API calls the sandbox answered, by method and error_code (200 for success).")
                 .Register(registry)) {
  for (const auto& group : {UpdateMethods(), ChatMethods(), MessageMethods(), ModerationMethods(), ForwardMethods()}) {
    for (const MethodSpec& spec : group) methods_[absl::AsciiStrToLower(base::ToAbsl(spec.name))] = spec;
  }
}

void BotApi::Run(const http::Request& request, Call& call) {
  std::string_view rest = request.path;
  if (!rest.starts_with("/bot")) {
    call.status = NotFound("");
    return;
  }
  rest.remove_prefix(4);
  const size_t slash = rest.find('/');
  const std::string_view token = rest.substr(0, slash);
  call.method = slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1));
  absl::StatusOr<Params> params = Params::FromRequest(request);
  if (params.ok()) call.params = *std::move(params);
  if (call.method.empty()) call.method = call.params.Get("method");
  if (!IsWellFormedToken(token)) {
    call.status = Unauthorized("invalid token specified");
    return;
  }
  if (token != bot_token_) {
    call.status = Unauthorized("");
    return;
  }
  if (!params.ok()) {
    call.status = params.status();
    return;
  }
  auto it = methods_.find(absl::AsciiStrToLower(call.method));
  if (it == methods_.end()) {
    call.status = NotFound("method not found");
    return;
  }
  call.method = std::string(it->second.name);
  if (RequestHook* hook = hook_.load(); hook != nullptr) {
    call.status = hook->BeforeCall(call.method, call.params);
    if (!call.status.ok()) return;
  }
  absl::StatusOr<MethodResult> result = it->second.fn(context_, call.params);
  call.status = result.status();
  if (result.ok()) call.result = *std::move(result);
}

http::Response BotApi::Handle(const http::Request& request) {
  Call call;
  Run(request, call);
  const Reply reply = call.status.ok() ? OkReply(call.result.result, call.result.description) : ErrorReply(call.status);
  const int code = call.status.ok() ? 200 : ErrorCode(call.status);
  const bool known = methods_.contains(absl::AsciiStrToLower(call.method));
  calls_.Add({{"method", known ? call.method : "unknown"}, {"code", std::to_string(code)}}).Increment();
  CallRecord record;
  record.method = call.method;
  record.params = call.params.ToLogJson();
  record.ok = call.status.ok();
  record.error_code = call.status.ok() ? 0 : code;
  record.description = call.status.ok() ? "" : std::string(call.status.message());
  record.time = absl::Now();
  call_log_.Append(std::move(record));
  return http::Response::Json(reply.http_status, reply.body);
}

}  // namespace subguard::sandbox
