// AdminService: protected groups. The writes are GroupStore's, as /protect, /unprotect, /settings and
// /exempt make them; each is followed by the same change notification.
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/observability/log.h"
#include "services/admin/admin_service.h"
#include "services/admin/convert.h"
#include "services/verifier/config_changes.h"

namespace subguard::admin {
namespace {

using verifier::decide::GroupConfig;
using verifier::decide::LinkedChannel;

absl::Status NoSuchGroup(int64_t chat_id) {
  return absl::NotFoundError(absl::StrCat("no protected group ", chat_id, " of yours"));
}

}  // namespace

absl::StatusOr<GroupConfig> AdminService::LoadGroup(const Caller& caller, int64_t chat_id) {
  RETURN_IF_ERROR(CheckGroupId(chat_id, "chat_id"));
  ASSIGN_OR_RETURN(std::optional<GroupConfig> config, deps_.groups.Load(chat_id));
  if (!config.has_value() || !caller.Owns(config->owner_user_id)) return NoSuchGroup(chat_id);
  return *std::move(config);
}

absl::Status AdminService::Changed(const Caller& caller, int64_t chat_id, v1::GroupInfo* response) {
  // Verifiers reload within their cache TTL even when this notification is lost.
  if (absl::Status status = verifier::PublishConfigChange(deps_.redis, chat_id); !status.ok()) {
    log::Warn("config_change_not_published", {{"chat_id", chat_id}, {"status", status}});
  }
  ASSIGN_OR_RETURN(GroupConfig config, LoadGroup(caller, chat_id));
  log::Info("group_config_changed", {{"chat_id", chat_id}, {"via", "admin_api"}});
  *response = ToGroupInfo(config);
  return absl::OkStatus();
}

grpc::Status AdminService::ListGroups(grpc::ServerContext* context, const v1::ListGroupsRequest* request,
                                      v1::ListGroupsResponse* response) {
  return Serve(context, "ListGroups", [&](const Caller& caller) -> absl::Status {
    if (!caller.is_operator && request->owner_user_id() != 0 && request->owner_user_id() != caller.owner_user_id) {
      return absl::PermissionDeniedError("owner_user_id: an owner's key lists only its own groups");
    }
    const int64_t owner = caller.is_operator ? request->owner_user_id() : caller.owner_user_id;
    ASSIGN_OR_RETURN(std::vector<int64_t> ids, deps_.groups.GroupIds(owner));
    for (const int64_t chat_id : ids) {
      absl::StatusOr<GroupConfig> config = LoadGroup(caller, chat_id);
      if (absl::IsNotFound(config.status())) continue;  // removed since GroupIds
      if (!config.ok()) return config.status();
      *response->add_groups() = ToGroupInfo(*config);
    }
    return absl::OkStatus();
  });
}

grpc::Status AdminService::GetGroup(grpc::ServerContext* context, const v1::GetGroupRequest* request,
                                    v1::GroupInfo* response) {
  return Serve(context, "GetGroup", [&](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(GroupConfig config, LoadGroup(caller, request->chat_id()));
    *response = ToGroupInfo(config);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::ProtectGroup(grpc::ServerContext* context, const v1::ProtectGroupRequest* request,
                                        v1::GroupInfo* response) {
  return Serve(context, "ProtectGroup", [&](const Caller& caller) -> absl::Status {
    const int64_t chat_id = request->chat_id();
    RETURN_IF_ERROR(CheckGroupId(chat_id, "chat_id"));
    ASSIGN_OR_RETURN(std::vector<LinkedChannel> channels, ChannelsFrom(request->channels()));
    if (!caller.is_operator && request->owner_user_id() != 0) {
      return absl::PermissionDeniedError("owner_user_id: only the operator names a group's owner");
    }
    ASSIGN_OR_RETURN(std::optional<GroupConfig> existing, deps_.groups.Load(chat_id));
    // An owner cannot prove from here that they administer a group, so they re-protect only their own
    // (the first /protect, in Telegram, checks it).
    if (!caller.is_operator && (!existing.has_value() || existing->owner_user_id != caller.owner_user_id)) {
      return NoSuchGroup(chat_id);
    }
    verifier::decide::Protection protection{.chat_id = chat_id, .title = request->title()};
    if (protection.title.empty() && existing.has_value()) protection.title = existing->title;
    // Id 0 keeps the recorded owner (and their name); a group without one gets the operator's choice.
    if (!existing.has_value() || existing->owner_user_id == 0) protection.owner.set_id(request->owner_user_id());
    // A channel given by id alone is shown as the registry knows it.
    std::vector<int64_t> ids;
    for (const LinkedChannel& channel : channels) ids.push_back(channel.id);
    ASSIGN_OR_RETURN(std::vector<v1::RegistryChat> known, deps_.chats.Get(ids));
    for (LinkedChannel& channel : channels) {
      for (const v1::RegistryChat& chat : known) {
        if (chat.chat_id() != channel.id) continue;
        if (channel.username.empty()) channel.username = chat.username();
        if (channel.title.empty()) channel.title = chat.title();
      }
    }
    protection.channels = std::move(channels);
    RETURN_IF_ERROR(deps_.groups.Protect(protection));
    return Changed(caller, chat_id, response);
  });
}

grpc::Status AdminService::UnprotectGroup(grpc::ServerContext* context, const v1::UnprotectGroupRequest* request,
                                          v1::GroupInfo* response) {
  return Serve(context, "UnprotectGroup", [&](const Caller& caller) -> absl::Status {
    RETURN_IF_ERROR(LoadGroup(caller, request->chat_id()).status());
    RETURN_IF_ERROR(deps_.groups.Unprotect(request->chat_id()));
    return Changed(caller, request->chat_id(), response);
  });
}

grpc::Status AdminService::UpdateSettings(grpc::ServerContext* context, const v1::UpdateSettingsRequest* request,
                                          v1::GroupInfo* response) {
  return Serve(context, "UpdateSettings", [&](const Caller& caller) -> absl::Status {
    ASSIGN_OR_RETURN(GroupConfig config, LoadGroup(caller, request->chat_id()));
    RETURN_IF_ERROR(ApplySettings(*request, config));
    RETURN_IF_ERROR(deps_.groups.SaveSettings(config));
    return Changed(caller, request->chat_id(), response);
  });
}

grpc::Status AdminService::SetExemption(grpc::ServerContext* context, const v1::SetExemptionRequest* request,
                                        v1::GroupInfo* response) {
  return Serve(context, "SetExemption", [&](const Caller& caller) -> absl::Status {
    if (request->user_id() <= 0) {
      return absl::InvalidArgumentError(absl::StrCat("user_id: a user's id is positive, got ", request->user_id()));
    }
    RETURN_IF_ERROR(LoadGroup(caller, request->chat_id()).status());
    RETURN_IF_ERROR(deps_.groups.SetExemption({.chat_id = request->chat_id(),
                                               .user_id = request->user_id(),
                                               .added_by = caller.owner_user_id,
                                               .exempt = request->exempt()}));
    return Changed(caller, request->chat_id(), response);
  });
}

}  // namespace subguard::admin
