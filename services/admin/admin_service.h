// AdminService: the admin API (protos/subguard/v1/admin.proto, docs/api.md) over the stores the
// verifier uses. Every call is authenticated (auth.h), checked for ownership, counted by method and
// code (rpc_metrics.h), and answered with a gRPC status translated one-to-one from the absl::Status.
// After a group's configuration changes, the verifiers are told exactly as the Telegram commands
// tell them (verifier/config_changes.h), so their caches refresh at once.
//
// Uses gRPC's synchronous API: each call blocks one of the server's threads on PostgreSQL, Redis or
// a Bot API lookup, which is what that thread pool is for. Owned by subguard-admin's main; the deps
// must outlive it. Thread-safe: no state of its own.
#pragma once

#include <functional>
#include <string_view>

#include "common/journal/dead_letters.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api.h"
#include "services/admin/auth.h"
#include "services/admin/chat_registry.h"
#include "services/admin/rpc_metrics.h"
#include "services/verifier/group_store.h"
#include "services/verifier/monitors/monitor_store.h"
#include "services/verifier/verify_jobs.h"
#include "subguard/v1/admin.grpc.pb.h"

namespace subguard::admin {

struct AdminDeps {
  Authenticator& auth;
  pg::Pool& postgres;  // verify-all jobs (verifier/verify_jobs.h)
  verifier::GroupStore& groups;
  verifier::monitors::MonitorStore& monitors;
  ChatRegistry& chats;
  journal::DeadLetters& dead_letters;
  redis::Pool& redis;  // config change notifications
  // Checks that an owner adding a monitor administers its chats, as /monitor add does.
  telegram::BotApi& bot_api;
  RpcMetrics& metrics;
};

class AdminService final : public v1::Admin::Service {
 public:
  explicit AdminService(AdminDeps deps) : deps_(deps) {}

  grpc::Status ListGroups(grpc::ServerContext* context, const v1::ListGroupsRequest* request,
                          v1::ListGroupsResponse* response) override;
  grpc::Status GetGroup(grpc::ServerContext* context, const v1::GetGroupRequest* request,
                        v1::GroupInfo* response) override;
  grpc::Status ProtectGroup(grpc::ServerContext* context, const v1::ProtectGroupRequest* request,
                            v1::GroupInfo* response) override;
  grpc::Status UnprotectGroup(grpc::ServerContext* context, const v1::UnprotectGroupRequest* request,
                              v1::GroupInfo* response) override;
  grpc::Status UpdateSettings(grpc::ServerContext* context, const v1::UpdateSettingsRequest* request,
                              v1::GroupInfo* response) override;
  grpc::Status SetExemption(grpc::ServerContext* context, const v1::SetExemptionRequest* request,
                            v1::GroupInfo* response) override;

  grpc::Status ListMonitors(grpc::ServerContext* context, const v1::ListMonitorsRequest* request,
                            v1::ListMonitorsResponse* response) override;
  grpc::Status AddMonitor(grpc::ServerContext* context, const v1::AddMonitorRequest* request,
                          v1::MonitorInfo* response) override;
  grpc::Status RemoveMonitor(grpc::ServerContext* context, const v1::RemoveMonitorRequest* request,
                             v1::RemoveMonitorResponse* response) override;
  grpc::Status MonitorStatus(grpc::ServerContext* context, const v1::MonitorStatusRequest* request,
                             v1::MonitorStatusResponse* response) override;

  grpc::Status StartVerifyAll(grpc::ServerContext* context, const v1::StartVerifyAllRequest* request,
                              v1::VerifyAllJob* response) override;
  grpc::Status GetVerifyAll(grpc::ServerContext* context, const v1::GetVerifyAllRequest* request,
                            v1::VerifyAllJob* response) override;

  grpc::Status ListDeadLetters(grpc::ServerContext* context, const v1::ListDeadLettersRequest* request,
                               v1::ListDeadLettersResponse* response) override;
  grpc::Status ReplayDeadLetter(grpc::ServerContext* context, const v1::DeadLetterRef* request,
                                v1::ReplayDeadLetterResponse* response) override;
  grpc::Status DeleteDeadLetter(grpc::ServerContext* context, const v1::DeadLetterRef* request,
                                v1::DeleteDeadLetterResponse* response) override;

  grpc::Status ListChats(grpc::ServerContext* context, const v1::ListChatsRequest* request,
                         v1::ListChatsResponse* response) override;
  grpc::Status GetChat(grpc::ServerContext* context, const v1::GetChatRequest* request,
                       v1::RegistryChat* response) override;

 private:
  using Handler = std::function<absl::Status(const Caller&)>;

  // Authenticates the call, runs handler, logs a failure that is ours (kInternal, kUnknown), and
  // counts the call. Every method goes through here.
  grpc::Status Serve(grpc::ServerContext* context, std::string_view method, const Handler& handler);

  // admin_groups.cc. The group's configuration, if caller may see it: kNotFound otherwise (also for
  // another owner's group, which an owner must not learn about).
  absl::StatusOr<verifier::decide::GroupConfig> LoadGroup(const Caller& caller, int64_t chat_id);
  // Tells the verifiers that chat_id changed, then answers with its configuration.
  absl::Status Changed(const Caller& caller, int64_t chat_id, v1::GroupInfo* response);
  // Fills response from the verifier's job.
  static void ToJob(const verifier::VerifyJob& job, v1::VerifyAllJob* response);
  // admin_monitors.cc. The monitors caller may see: theirs, or owner_user_id's / all for the operator.
  absl::StatusOr<std::vector<verifier::monitors::Monitor>> VisibleMonitors(const Caller& caller, int64_t owner_user_id);
  // kPermissionDenied unless user_id administers chat_id (Telegram's getChatMember).
  absl::Status CheckChatAdmin(int64_t chat_id, int64_t user_id, std::string_view field);

  AdminDeps deps_;
};

}  // namespace subguard::admin
