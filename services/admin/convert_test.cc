// The admin API's argument checks and conversions.
#include "services/admin/convert.h"

#include "gtest/gtest.h"

namespace subguard::admin {
namespace {

using verifier::decide::GroupConfig;
using verifier::decide::Policy;
namespace monitors = verifier::monitors;

v1::LinkedChannelInfo Channel(int64_t id, std::string username = "") {
  v1::LinkedChannelInfo channel;
  channel.set_id(id);
  channel.set_username(std::move(username));
  return channel;
}

TEST(ConvertTest, ChannelsAreCheckedAndLoseTheirAt) {
  google::protobuf::RepeatedPtrField<v1::LinkedChannelInfo> channels;
  EXPECT_EQ(ChannelsFrom(channels).status().code(), absl::StatusCode::kInvalidArgument);
  *channels.Add() = Channel(-1001, "@chan");
  auto linked = ChannelsFrom(channels);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ((*linked)[0].username, "chan");
  *channels.Add() = Channel(-1001);
  EXPECT_EQ(ChannelsFrom(channels).status().code(), absl::StatusCode::kInvalidArgument);  // twice
  channels.RemoveLast();
  *channels.Add() = Channel(5);
  EXPECT_EQ(ChannelsFrom(channels).status().code(), absl::StatusCode::kInvalidArgument);  // not a channel id
  channels.Clear();
  for (int i = 0; i <= kMaxChannels; ++i) *channels.Add() = Channel(-2000 - i);
  EXPECT_EQ(ChannelsFrom(channels).status().code(), absl::StatusCode::kInvalidArgument);  // too many
}

TEST(ConvertTest, SettingsChangeOnlyWhatIsSet) {
  GroupConfig config{.chat_id = -100, .owner_user_id = 1001, .policy = Policy::kMute, .check_on_join = true};
  v1::UpdateSettingsRequest request;
  request.set_policy(v1::POLICY_KICK);
  request.set_mute_seconds(600);
  ASSERT_TRUE(ApplySettings(request, config).ok());
  EXPECT_EQ(config.policy, Policy::kKick);
  EXPECT_EQ(config.mute_duration, absl::Minutes(10));
  EXPECT_TRUE(config.check_on_join);
  EXPECT_EQ(config.language, "en");

  const v1::GroupInfo info = ToGroupInfo(config);
  EXPECT_EQ(info.settings().policy(), v1::POLICY_KICK);
  EXPECT_EQ(info.settings().mute_seconds(), 600);
  EXPECT_EQ(info.owner_user_id(), 1001);
  EXPECT_FALSE(info.settings().silent());

  v1::UpdateSettingsRequest silent;
  silent.set_silent(true);
  ASSERT_TRUE(ApplySettings(silent, config).ok());
  EXPECT_TRUE(config.silent);
  EXPECT_EQ(config.policy, Policy::kKick);
  EXPECT_TRUE(ToGroupInfo(config).settings().silent());
}

TEST(ConvertTest, BadSettingsNameTheField) {
  GroupConfig config;
  v1::UpdateSettingsRequest request;
  request.set_mute_seconds(5);  // Telegram would read under 30 s as "forever"
  absl::Status status = ApplySettings(request, config);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("mute_seconds"), absl::string_view::npos);
  request.Clear();
  request.set_policy(v1::POLICY_UNSPECIFIED);
  EXPECT_EQ(ApplySettings(request, config).code(), absl::StatusCode::kInvalidArgument);
  request.Clear();
  request.set_language("xx");
  EXPECT_EQ(ApplySettings(request, config).code(), absl::StatusCode::kInvalidArgument);
  request.Clear();
  request.set_prompt_delete_after_seconds(3 * 24 * 3600);
  EXPECT_EQ(ApplySettings(request, config).code(), absl::StatusCode::kInvalidArgument);
}

TEST(ConvertTest, MonitorsNeedAModeAndTheRightChats) {
  v1::MonitorInfo info;
  info.set_source_chat_id(-1001);
  info.set_dest_chat_id(-1002);
  EXPECT_EQ(MonitorFrom(info).status().code(), absl::StatusCode::kInvalidArgument);  // no mode
  info.set_mode(v1::MONITOR_MODE_COPY);
  info.set_media(v1::MEDIA_FILTER_TEXT);
  auto monitor = MonitorFrom(info);
  ASSERT_TRUE(monitor.ok()) << monitor.status();
  EXPECT_EQ(monitor->mode, monitors::Mode::kCopy);
  EXPECT_EQ(monitor->media, monitors::MediaFilter::kText);
  EXPECT_EQ(ToMonitorInfo(*monitor).mode(), v1::MONITOR_MODE_COPY);
  info.set_dest_chat_id(-1001);
  EXPECT_EQ(MonitorFrom(info).status().code(), absl::StatusCode::kInvalidArgument);  // same chat
  info.set_mode(v1::MONITOR_MODE_RECORD);
  EXPECT_EQ(MonitorFrom(info).status().code(), absl::StatusCode::kInvalidArgument);  // record has no destination
  info.set_dest_chat_id(0);
  EXPECT_TRUE(MonitorFrom(info).ok());
}

TEST(ConvertTest, PageSizes) {
  EXPECT_EQ(*PageSize(0), kDefaultPageSize);
  EXPECT_EQ(*PageSize(7), 7);
  EXPECT_FALSE(PageSize(-1).ok());
  EXPECT_FALSE(PageSize(kMaxPageSize + 1).ok());
}

}  // namespace
}  // namespace subguard::admin
