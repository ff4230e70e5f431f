#include "services/admin/convert.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "services/verifier/decide/messages.h"
#include "services/verifier/decide/settings.h"

namespace subguard::admin {
namespace {

using verifier::decide::GroupConfig;
using verifier::decide::LinkedChannel;
using verifier::decide::Policy;
namespace monitors = verifier::monitors;

v1::Policy ToProto(Policy policy) {
  switch (policy) {
    case Policy::kMute:
      return v1::POLICY_MUTE;
    case Policy::kDelete:
      return v1::POLICY_DELETE;
    case Policy::kMuteAndDelete:
      return v1::POLICY_MUTE_AND_DELETE;
    case Policy::kKick:
      return v1::POLICY_KICK;
  }
  return v1::POLICY_MUTE;
}

absl::StatusOr<Policy> FromProto(v1::Policy policy) {
  switch (policy) {
    case v1::POLICY_MUTE:
      return Policy::kMute;
    case v1::POLICY_DELETE:
      return Policy::kDelete;
    case v1::POLICY_MUTE_AND_DELETE:
      return Policy::kMuteAndDelete;
    case v1::POLICY_KICK:
      return Policy::kKick;
    default:
      return absl::InvalidArgumentError(
          "policy must be POLICY_MUTE, POLICY_DELETE, POLICY_MUTE_AND_DELETE or POLICY_KICK");
  }
}

v1::MonitorMode ToProto(monitors::Mode mode) {
  switch (mode) {
    case monitors::Mode::kForward:
      return v1::MONITOR_MODE_FORWARD;
    case monitors::Mode::kCopy:
      return v1::MONITOR_MODE_COPY;
    case monitors::Mode::kRecord:
      return v1::MONITOR_MODE_RECORD;
  }
  return v1::MONITOR_MODE_UNSPECIFIED;
}

v1::MediaFilter ToProto(monitors::MediaFilter filter) {
  switch (filter) {
    case monitors::MediaFilter::kAny:
      return v1::MEDIA_FILTER_ANY;
    case monitors::MediaFilter::kText:
      return v1::MEDIA_FILTER_TEXT;
    case monitors::MediaFilter::kMedia:
      return v1::MEDIA_FILTER_MEDIA;
  }
  return v1::MEDIA_FILTER_ANY;
}

absl::Status Invalid(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(base::ToAbsl(field), ": ", base::ToAbsl(why)));
}

// A duration setting in seconds: 0 or within [min, max].
absl::StatusOr<absl::Duration> SecondsSetting(int64_t seconds, absl::Duration min, absl::Duration max,
                                              std::string_view field) {
  const absl::Duration value = absl::Seconds(seconds);
  if (seconds == 0 || (value >= min && value <= max)) return value;
  return Invalid(field, absl::StrCat("0 or ", absl::ToInt64Seconds(min), "..", absl::ToInt64Seconds(max),
                                     " seconds, got ", seconds));
}

}  // namespace

v1::GroupInfo ToGroupInfo(const GroupConfig& config) {
  v1::GroupInfo info;
  info.set_chat_id(config.chat_id);
  info.set_title(config.title);
  info.set_owner_user_id(config.owner_user_id);
  info.set_enabled(config.enabled);
  for (const LinkedChannel& channel : config.channels) {
    v1::LinkedChannelInfo* out = info.add_channels();
    out->set_id(channel.id);
    out->set_username(channel.username);
    out->set_title(channel.title);
    out->set_invite_link(channel.invite_link);
  }
  v1::GroupSettings* settings = info.mutable_settings();
  settings->set_policy(ToProto(config.policy));
  settings->set_prompt_template(config.prompt_template);
  settings->set_prompt_delete_after_seconds(absl::ToInt64Seconds(config.prompt_delete_after));
  settings->set_mute_seconds(absl::ToInt64Seconds(config.mute_duration));
  settings->set_check_on_join(config.check_on_join);
  settings->set_restrict_bots(config.restrict_bots);
  settings->set_language(config.language);
  settings->set_accept_join_requests(config.accept_join_requests);
  settings->set_silent(config.silent);
  std::vector<int64_t> exempt(config.exempt_users.begin(), config.exempt_users.end());
  std::sort(exempt.begin(), exempt.end());
  for (const int64_t user : exempt) info.add_exempt_user_ids(user);
  return info;
}

v1::MonitorInfo ToMonitorInfo(const monitors::Monitor& monitor) {
  v1::MonitorInfo info;
  info.set_id(monitor.id);
  info.set_owner_user_id(monitor.owner_user_id);
  info.set_source_chat_id(monitor.source_chat_id);
  info.set_dest_chat_id(monitor.dest_chat_id);
  info.set_mode(ToProto(monitor.mode));
  info.set_send_edits(monitor.send_edits);
  info.set_text_contains(monitor.text_contains);
  info.set_media(ToProto(monitor.media));
  return info;
}

absl::Status CheckGroupId(int64_t chat_id, std::string_view field) {
  if (chat_id >= 0) return Invalid(field, absl::StrCat("a group's chat id is negative, got ", chat_id));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<LinkedChannel>> ChannelsFrom(
    const google::protobuf::RepeatedPtrField<v1::LinkedChannelInfo>& channels) {
  if (channels.empty() || channels.size() > kMaxChannels) {
    return Invalid("channels", absl::StrCat("1 to ", kMaxChannels, " channels, got ", channels.size()));
  }
  std::vector<LinkedChannel> linked;
  absl::flat_hash_set<int64_t> seen;
  for (const v1::LinkedChannelInfo& channel : channels) {
    if (channel.id() >= 0)
      return Invalid("channels.id", absl::StrCat("a channel's id is negative, got ", channel.id()));
    if (!seen.insert(channel.id()).second) {
      return Invalid("channels", absl::StrCat("channel ", channel.id(), " is listed twice"));
    }
    std::string username = channel.username();
    if (!username.empty() && username[0] == '@') username.erase(0, 1);
    linked.push_back(LinkedChannel{.id = channel.id(),
                                   .username = std::move(username),
                                   .title = channel.title(),
                                   .invite_link = channel.invite_link()});
  }
  return linked;
}

absl::Status ApplySettings(const v1::UpdateSettingsRequest& request, GroupConfig& config) {
  namespace decide = verifier::decide;
  if (request.has_policy()) {
    absl::StatusOr<Policy> policy = FromProto(request.policy());
    if (!policy.ok()) return policy.status();
    config.policy = *policy;
  }
  if (request.has_prompt_template()) config.prompt_template = request.prompt_template();
  if (request.has_prompt_delete_after_seconds()) {
    absl::StatusOr<absl::Duration> value = SecondsSetting(request.prompt_delete_after_seconds(), absl::Seconds(1),
                                                          decide::kMaxPromptDelete, "prompt_delete_after_seconds");
    if (!value.ok()) return value.status();
    config.prompt_delete_after = *value;
  }
  if (request.has_mute_seconds()) {
    absl::StatusOr<absl::Duration> value =
        SecondsSetting(request.mute_seconds(), decide::kMinMute, decide::kMaxMute, "mute_seconds");
    if (!value.ok()) return value.status();
    config.mute_duration = *value;
  }
  if (request.has_check_on_join()) config.check_on_join = request.check_on_join();
  if (request.has_restrict_bots()) config.restrict_bots = request.restrict_bots();
  if (request.has_accept_join_requests()) config.accept_join_requests = request.accept_join_requests();
  if (request.has_silent()) config.silent = request.silent();
  if (request.has_language()) {
    const std::string language = absl::AsciiStrToLower(request.language());
    if (!decide::HasCatalogue(language)) {
      return Invalid("language", absl::StrCat("no catalogue for \"", request.language(), "\""));
    }
    config.language = language;
  }
  return absl::OkStatus();
}

absl::StatusOr<monitors::Monitor> MonitorFrom(const v1::MonitorInfo& info) {
  monitors::Monitor monitor{.owner_user_id = info.owner_user_id(),
                            .source_chat_id = info.source_chat_id(),
                            .send_edits = info.send_edits(),
                            .text_contains = info.text_contains()};
  switch (info.mode()) {
    case v1::MONITOR_MODE_FORWARD:
      monitor.mode = monitors::Mode::kForward;
      break;
    case v1::MONITOR_MODE_COPY:
      monitor.mode = monitors::Mode::kCopy;
      break;
    case v1::MONITOR_MODE_RECORD:
      monitor.mode = monitors::Mode::kRecord;
      break;
    default:
      return Invalid("monitor.mode", "MONITOR_MODE_FORWARD, MONITOR_MODE_COPY or MONITOR_MODE_RECORD");
  }
  switch (info.media()) {
    case v1::MEDIA_FILTER_ANY:
      monitor.media = monitors::MediaFilter::kAny;
      break;
    case v1::MEDIA_FILTER_TEXT:
      monitor.media = monitors::MediaFilter::kText;
      break;
    case v1::MEDIA_FILTER_MEDIA:
      monitor.media = monitors::MediaFilter::kMedia;
      break;
    default:
      return Invalid("monitor.media", "MEDIA_FILTER_ANY, MEDIA_FILTER_TEXT or MEDIA_FILTER_MEDIA");
  }
  if (info.source_chat_id() == 0) return Invalid("monitor.source_chat_id", "required");
  if (monitor.mode == monitors::Mode::kRecord) {
    if (info.dest_chat_id() != 0) return Invalid("monitor.dest_chat_id", "a record monitor has no destination");
    return monitor;
  }
  if (info.dest_chat_id() == 0) return Invalid("monitor.dest_chat_id", "required unless recording");
  if (info.dest_chat_id() == info.source_chat_id()) {
    return Invalid("monitor.dest_chat_id", "the source and the destination are the same chat");
  }
  monitor.dest_chat_id = info.dest_chat_id();
  return monitor;
}

absl::StatusOr<int> PageSize(int requested) {
  if (requested == 0) return kDefaultPageSize;
  if (requested < 0 || requested > kMaxPageSize) {
    return Invalid("page_size", absl::StrCat("1..", kMaxPageSize, " (0 for ", kDefaultPageSize, "), got ", requested));
  }
  return requested;
}

}  // namespace subguard::admin
