// AdminService: the common path of every call, verify-all (the verifier's jobs, walked by its
// VerifyAllRunner), and the operator-only calls (dead letters, the chat registry). Groups: admin_groups.cc; monitors:
// admin_monitors.cc.
#include "services/admin/admin_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "common/observability/log.h"
#include "services/admin/convert.h"

namespace subguard::admin {
namespace {

constexpr char kAuthorization[] = "authorization";

// absl and gRPC number their codes alike.
grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

absl::Status OperatorOnly(const Caller& caller) {
  if (caller.is_operator) return absl::OkStatus();
  return absl::PermissionDeniedError("only the operator token may do this; an owner's key cannot");
}

// "action" entries name their kind by the oneof field set, e.g. "send_message".
void DescribePayload(const journal::DeadLetterEntry& entry, v1::DeadLetter& out) {
  if (entry.from == "update") {
    v1::Update update;
    if (update.ParseFromString(entry.payload)) out.set_update_id(update.update_id());
    return;
  }
  v1::Action action;
  if (!action.ParseFromString(entry.payload)) return;
  out.set_action_id(action.id());
  out.set_update_id(action.update_id());
  if (const auto* field = v1::Action::descriptor()->FindFieldByNumber(action.kind_case()); field != nullptr) {
    out.set_action_kind(field->name());
  }
}

}  // namespace

grpc::Status AdminService::Serve(grpc::ServerContext* context, std::string_view method, const Handler& handler) {
  const absl::Time start = absl::Now();
  absl::Status status;
  const auto& metadata = context->client_metadata();
  const auto found = metadata.find(kAuthorization);
  const std::string_view authorization =
      found == metadata.end() ? std::string_view() : std::string_view(found->second.data(), found->second.size());
  absl::StatusOr<Caller> caller = deps_.auth.Authenticate(authorization);
  if (!caller.ok()) {
    status = caller.status();
  } else {
    status = handler(*caller);
  }
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    log::Error("admin_call_failed", {{"method", method}, {"status", status}});
  }
  grpc::Status answer = ToGrpc(status);
  deps_.metrics.Observe(method, absl::StatusCodeToString(status.code()), absl::Now() - start);
  return answer;
}

void AdminService::ToJob(const verifier::VerifyJob& job, v1::VerifyAllJob* response) {
  response->set_chat_id(job.group_chat_id);
  response->set_state(job.state);
  response->set_total(job.total);
  response->set_checked(job.checked);
  response->set_restricted(job.restricted);
}

grpc::Status AdminService::StartVerifyAll(grpc::ServerContext* context, const v1::StartVerifyAllRequest* request,
                                          v1::VerifyAllJob* response) {
  return Serve(context, "StartVerifyAll", [&](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(verifier::decide::GroupConfig config, LoadGroup(caller, request->chat_id()));
    if (!config.active()) {
      return absl::FailedPreconditionError(absl::StrCat("group ", request->chat_id(), " is not protected"));
    }
    ASSIGN_OR_RETURN(verifier::VerifyJob job,
                     verifier::StartVerifyAll(deps_.postgres, request->chat_id(), caller.owner_user_id));
    ToJob(job, response);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::GetVerifyAll(grpc::ServerContext* context, const v1::GetVerifyAllRequest* request,
                                        v1::VerifyAllJob* response) {
  return Serve(context, "GetVerifyAll", [&](const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(LoadGroup(caller, request->chat_id()).status());
    ASSIGN_OR_RETURN(std::optional<verifier::VerifyJob> job,
                     verifier::LatestVerifyAll(deps_.postgres, request->chat_id()));
    if (!job.has_value())
      return absl::NotFoundError(absl::StrCat("group ", request->chat_id(), " never ran verify-all"));
    ToJob(*job, response);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::ListDeadLetters(grpc::ServerContext* context, const v1::ListDeadLettersRequest* request,
                                           v1::ListDeadLettersResponse* response) {
  return Serve(context, "ListDeadLetters", [&](const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(OperatorOnly(caller));
    ASSIGN_OR_RETURN(const int limit, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(journal::DeadLetterPage page, deps_.dead_letters.List(request->page_token(), limit));
    for (const journal::DeadLetterEntry& entry : page.entries) {
      v1::DeadLetter* out = response->add_dead_letters();
      out->set_id(entry.id);
      out->set_kind(entry.from);
      out->set_reason(entry.reason);
      out->set_chat_id(entry.ordering_key);
      out->set_dead_at_unix_ms(entry.dead_at_unix_ms);
      DescribePayload(entry, *out);
    }
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::ReplayDeadLetter(grpc::ServerContext* context, const v1::DeadLetterRef* request,
                                            v1::ReplayDeadLetterResponse*) {
  return Serve(context, "ReplayDeadLetter", [&](const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(OperatorOnly(caller));
    RETURN_IF_ERROR(deps_.dead_letters.Replay(request->id()));
    log::Info("dead_letter_replayed", {{"id", request->id()}});
    return absl::OkStatus();
  });
}

grpc::Status AdminService::DeleteDeadLetter(grpc::ServerContext* context, const v1::DeadLetterRef* request,
                                            v1::DeleteDeadLetterResponse*) {
  return Serve(context, "DeleteDeadLetter", [&](const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(OperatorOnly(caller));
    RETURN_IF_ERROR(deps_.dead_letters.Delete(request->id()));
    log::Info("dead_letter_deleted", {{"id", request->id()}});
    return absl::OkStatus();
  });
}

grpc::Status AdminService::ListChats(grpc::ServerContext* context, const v1::ListChatsRequest* request,
                                     v1::ListChatsResponse* response) {
  return Serve(context, "ListChats", [&](const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(OperatorOnly(caller));
    ASSIGN_OR_RETURN(const int limit, PageSize(request->page_size()));
    std::optional<int64_t> after;
    if (!request->page_token().empty()) {
      int64_t value = 0;
      if (!absl::SimpleAtoi(request->page_token(), &value)) {
        return absl::InvalidArgumentError("page_token: use next_page_token from the previous page");
      }
      after = value;
    }
    ASSIGN_OR_RETURN(std::vector<v1::RegistryChat> chats, deps_.chats.List(after, limit));
    if (static_cast<int>(chats.size()) == limit) response->set_next_page_token(absl::StrCat(chats.back().chat_id()));
    for (v1::RegistryChat& chat : chats) *response->add_chats() = std::move(chat);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::GetChat(grpc::ServerContext* context, const v1::GetChatRequest* request,
                                   v1::RegistryChat* response) {
  return Serve(context, "GetChat", [&](const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(OperatorOnly(caller));
    ASSIGN_OR_RETURN(std::vector<v1::RegistryChat> chats, deps_.chats.Get({request->chat_id()}));
    if (chats.empty()) return absl::NotFoundError(absl::StrCat("chat ", request->chat_id(), " is not in the registry"));
    *response = std::move(chats[0]);
    return absl::OkStatus();
  });
}

}  // namespace subguard::admin
