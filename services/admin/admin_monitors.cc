// AdminService: forward monitors, through MonitorStore. An owner adding a monitor must administer its
// source and destination, checked with Telegram as /monitor add checks it.
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "common/observability/log.h"
#include "common/telegram/errors.h"
#include "services/admin/admin_service.h"
#include "services/admin/convert.h"
#include "services/verifier/config_changes.h"

namespace subguard::admin {
namespace {

using verifier::monitors::Monitor;

}  // namespace

absl::StatusOr<std::vector<Monitor>> AdminService::VisibleMonitors(const Caller& caller, int64_t owner_user_id) {
  if (!caller.is_operator) {
    if (owner_user_id != 0 && owner_user_id != caller.owner_user_id) {
      return absl::PermissionDeniedError("owner_user_id: an owner's key sees only its own monitors");
    }
    return deps_.monitors.ForOwner(caller.owner_user_id);
  }
  return owner_user_id != 0 ? deps_.monitors.ForOwner(owner_user_id) : deps_.monitors.All();
}

absl::Status AdminService::CheckChatAdmin(int64_t chat_id, int64_t user_id, std::string_view field) {
  absl::StatusOr<v1::ChatMember> member = deps_.bot_api.GetChatMember(chat_id, user_id);
  if (!member.ok() && telegram::IsRetryable(member.status())) return member.status();
  if (member.ok() && (member->status() == "creator" || member->status() == "administrator")) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(base::ToAbsl(field), ": you must be an administrator of chat ",
                                                  chat_id, " (and the bot must be able to see it)"));
}

grpc::Status AdminService::ListMonitors(grpc::ServerContext* context, const v1::ListMonitorsRequest* request,
                                        v1::ListMonitorsResponse* response) {
  return Serve(context, "ListMonitors", [&](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Monitor> monitors, VisibleMonitors(caller, request->owner_user_id()));
    for (const Monitor& monitor : monitors) *response->add_monitors() = ToMonitorInfo(monitor);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::AddMonitor(grpc::ServerContext* context, const v1::AddMonitorRequest* request,
                                      v1::MonitorInfo* response) {
  return Serve(context, "AddMonitor", [&](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(Monitor monitor, MonitorFrom(request->monitor()));
    if (caller.is_operator) {
      if (monitor.owner_user_id <= 0) return absl::InvalidArgumentError("monitor.owner_user_id: required (positive)");
    } else {
      if (monitor.owner_user_id != 0 && monitor.owner_user_id != caller.owner_user_id) {
        return absl::PermissionDeniedError("monitor.owner_user_id: an owner's key adds only its own monitors");
      }
      monitor.owner_user_id = caller.owner_user_id;
      RETURN_IF_ERROR(CheckChatAdmin(monitor.source_chat_id, caller.owner_user_id, "monitor.source_chat_id"));
      if (monitor.dest_chat_id != 0) {
        RETURN_IF_ERROR(CheckChatAdmin(monitor.dest_chat_id, caller.owner_user_id, "monitor.dest_chat_id"));
      }
    }
    ASSIGN_OR_RETURN(monitor, deps_.monitors.Add(std::move(monitor)));
    // A group source's messages reach the monitors once the verifiers know it is a source; without this
    // notice they learn it within their source cache's TTL.
    if (absl::Status status = verifier::PublishConfigChange(deps_.redis, monitor.source_chat_id); !status.ok()) {
      log::Warn("config_change_not_published", {{"chat_id", monitor.source_chat_id}, {"status", status}});
    }
    log::Info("monitor_added", {{"monitor_id", monitor.id}, {"via", "admin_api"}});
    *response = ToMonitorInfo(monitor);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::RemoveMonitor(grpc::ServerContext* context, const v1::RemoveMonitorRequest* request,
                                         v1::RemoveMonitorResponse*) {
  return Serve(context, "RemoveMonitor", [&](const Caller& caller) -> absl::Status {
    int64_t owner = caller.owner_user_id;
    if (caller.is_operator) {
      ASSIGN_OR_RETURN(std::vector<Monitor> all, deps_.monitors.All());
      for (const Monitor& monitor : all) {
        if (monitor.id == request->id()) owner = monitor.owner_user_id;
      }
    }
    ASSIGN_OR_RETURN(const bool removed, deps_.monitors.Remove(owner, request->id()));
    if (!removed) return absl::NotFoundError(absl::StrCat("no monitor ", request->id(), " of yours"));
    log::Info("monitor_removed", {{"monitor_id", request->id()}, {"via", "admin_api"}});
    return absl::OkStatus();
  });
}

grpc::Status AdminService::MonitorStatus(grpc::ServerContext* context, const v1::MonitorStatusRequest* request,
                                         v1::MonitorStatusResponse* response) {
  return Serve(context, "MonitorStatus", [&](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Monitor> monitors, VisibleMonitors(caller, request->owner_user_id()));
    std::vector<int64_t> ids;
    for (const Monitor& monitor : monitors) {
      *response->add_monitors() = ToMonitorInfo(monitor);
      ids.push_back(monitor.source_chat_id);
      if (monitor.dest_chat_id != 0) ids.push_back(monitor.dest_chat_id);
    }
    ASSIGN_OR_RETURN(std::vector<v1::RegistryChat> chats, deps_.chats.Get(ids));
    for (v1::RegistryChat& chat : chats) *response->add_chats() = std::move(chat);
    return absl::OkStatus();
  });
}

}  // namespace subguard::admin
