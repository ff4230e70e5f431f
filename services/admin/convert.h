// Between the admin API's messages (admin.proto) and the stores' plain values, with the checks of
// every argument (kInvalidArgument naming the field). Pure; unit-tested in convert_test.cc.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/verifier/decide/types.h"
#include "services/verifier/monitors/types.h"
#include "subguard/v1/admin.pb.h"

namespace subguard::admin {

// Telegram's limit on what one prompt lists, and so on ProtectGroup's channels.
inline constexpr int kMaxChannels = 10;
// List page sizes: 0 asks for the default.
inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 500;

v1::GroupInfo ToGroupInfo(const verifier::decide::GroupConfig& config);
v1::MonitorInfo ToMonitorInfo(const verifier::monitors::Monitor& monitor);

// A group or supergroup's chat id (negative).
absl::Status CheckGroupId(int64_t chat_id, std::string_view field);
// 1..kMaxChannels distinct channel ids (negative), as GroupStore::Protect takes them.
absl::StatusOr<std::vector<verifier::decide::LinkedChannel>> ChannelsFrom(
    const google::protobuf::RepeatedPtrField<v1::LinkedChannelInfo>& channels);
// Applies the fields set in request to config, after checking each.
absl::Status ApplySettings(const v1::UpdateSettingsRequest& request, verifier::decide::GroupConfig& config);
// The monitor to add: a mode, a source, a destination unless recording (and not the source).
absl::StatusOr<verifier::monitors::Monitor> MonitorFrom(const v1::MonitorInfo& info);
// requested 0 -> kDefaultPageSize; 1..kMaxPageSize as is; anything else kInvalidArgument.
absl::StatusOr<int> PageSize(int requested);

}  // namespace subguard::admin
