// Issue 6's raid, end to end, with 1 and with 4 sender processes, against the sandbox with Telegram's
// flood limits on: 10 protected groups, 40 non-members in each writing twice within about 2 seconds,
// while 3 members of each write too. Every raider must be muted, told once (a prompt naming them; a
// prompt naming several counts for each), no member touched, and the sandbox must answer no 429.
// The mute latency (a raider's first message to the restriction) is printed, not asserted: tests hold no
// wall-clock limits. So is where it goes: message to the verifier's getChatMember, and that to the mute, and
// the verifier's time per update. The raid's reads fit the bot's read bucket: none is refused (retried later).
// A group takes 20 messages a minute, so 40 prompts of their own would need two and a half minutes per
// group; coalesced prompts (common/prompts/pending_prompts.h) name everyone waiting at once.
#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/base/strings.h"
#include "common/http/client.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/replies.h"
#include "tests/harness/process.h"

namespace subguard::e2e {
namespace {

using boost::json::object;

constexpr int64_t kBotId = 424242;  // ClusterOptions' default token
constexpr int64_t kOwner = 1001;
constexpr int64_t kChannel = -1009101;
constexpr int kGroups = 10;
constexpr int kRaidersPerGroup = 40;
constexpr int kMembersPerGroup = 3;
constexpr absl::Duration kDeadline = absl::Minutes(6);

int64_t GroupId(int g) { return -1006000 - g; }
int64_t RaiderId(int g, int r) { return 200000 + g * 1000 + r; }
int64_t MemberId(int g, int m) { return 100000 + g * 1000 + m; }

absl::Time CallTime(const object& call) {
  absl::Time time;
  std::string error;
  absl::ParseTime("%Y-%m-%dT%H:%M:%E3SZ", std::string(call.at("time").as_string()), &time, &error);
  return time;
}

// What the bot did to whom, from the sandbox's call log.
struct Observed {
  std::map<std::pair<int64_t, int64_t>, absl::Time> restricted;  // (group, user) -> first restriction
  std::map<std::pair<int64_t, int64_t>, int> told;               // (group, user) -> prompts naming them
  std::set<int64_t> touched_users;                               // restricted, banned or prompted
  std::map<int64_t, absl::Time> checked;                         // user -> first getChatMember
  int prompts = 0;                                               // sendMessage calls naming someone
};

Observed Observe(sandbox::ControlClient& control) {
  Observed seen;
  for (std::string_view method : {"restrictChatMember", "banChatMember", "sendMessage", "getChatMember"}) {
    absl::StatusOr<boost::json::array> calls = control.Calls(method);
    if (!calls.ok()) continue;
    for (const auto& value : *calls) {
      const object& call = value.as_object();
      if (!call.at("ok").as_bool()) continue;
      const object& params = call.at("params").as_object();
      const int64_t chat = ParamInt(params, "chat_id");
      if (method == "getChatMember") {
        seen.checked.try_emplace(ParamInt(params, "user_id"), CallTime(call));
        continue;
      }
      if (method != "sendMessage") {
        const int64_t user = ParamInt(params, "user_id");
        seen.restricted.try_emplace({chat, user}, CallTime(call));
        seen.touched_users.insert(user);
        continue;
      }
      const auto* text = params.if_contains("text");
      if (text == nullptr || !text->is_string()) continue;
      const std::string body(text->as_string());
      if (body.find("tg://user?id=") != std::string::npos) ++seen.prompts;
      for (const int64_t user : MentionedUsers(body)) {
        ++seen.told[{chat, user}];
        seen.touched_users.insert(user);
      }
    }
  }
  return seen;
}

// The sum of every series of a metric (name up to its labels) in a process's /metrics page; -1 unreadable.
double MetricSum(const std::string& url, std::string_view name) {
  auto page = http::HttpClient().Get(url, absl::Seconds(5));
  if (!page.ok()) return -1;
  double sum = 0;
  for (absl::string_view line : absl::StrSplit(page->body, '\n')) {
    const absl::string_view rest = line.substr(std::min(line.size(), name.size()));
    if (!absl::StartsWith(line, base::ToAbsl(name)) || (!absl::StartsWith(rest, "{") && !absl::StartsWith(rest, " "))) {
      continue;
    }
    double value = 0;
    if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) sum += value;
  }
  return sum;
}

class RaidE2e : public ::testing::TestWithParam<int> {};

TEST_P(RaidE2e, EveryRaiderMutedAndToldOnceWithoutA429) {
  auto started = Cluster::Start({.senders = GetParam()});
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<Cluster> cluster = *std::move(started);
  sandbox::ControlClient control(cluster->sandbox_url());
  const object rights = {{"can_restrict_members", true}, {"can_delete_messages", true}, {"can_invite_users", true},
                         {"can_manage_chat", true},      {"can_post_messages", true},   {"can_change_info", true}};

  ASSERT_TRUE(control.AddUser({.id = kOwner, .first_name = "Owner"}).ok());
  ASSERT_TRUE(control.AddChat({.id = kChannel, .type = "channel", .title = "News", .username = "raid_news"}).ok());
  ASSERT_TRUE(control.SetMember({kChannel, kBotId, "administrator", rights}).ok());
  std::vector<int64_t> protect_messages;
  for (int g = 0; g < kGroups; ++g) {
    const int64_t group = GroupId(g);
    ASSERT_TRUE(control.AddChat({.id = group, .type = "supergroup", .title = absl::StrCat("G", g)}).ok());
    ASSERT_TRUE(control.SetMember({.chat_id = group, .user_id = kOwner, .status = "creator"}).ok());
    ASSERT_TRUE(control.SetMember({group, kBotId, "administrator", rights}).ok());
    for (int m = 0; m < kMembersPerGroup; ++m) {
      ASSERT_TRUE(control.AddUser({.id = MemberId(g, m), .first_name = "Member"}).ok());
      ASSERT_TRUE(control.SetMember({.chat_id = group, .user_id = MemberId(g, m)}).ok());
      ASSERT_TRUE(control.SetMember({.chat_id = kChannel, .user_id = MemberId(g, m)}).ok());
    }
    for (int r = 0; r < kRaidersPerGroup; ++r) {
      ASSERT_TRUE(control.AddUser({.id = RaiderId(g, r), .first_name = "Raider"}).ok());
      ASSERT_TRUE(control.SetMember({.chat_id = group, .user_id = RaiderId(g, r)}).ok());
    }
    auto sent = control.Send(group, kOwner, "/protect @raid_news");
    ASSERT_TRUE(sent.ok()) << sent.status();
  }
  // Protection is on in every group once each /protect has its reply.
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        auto calls = control.Calls("sendMessage");
        if (!calls.ok()) return false;
        int confirmed = 0;
        for (const auto& call : *calls) {
          const auto* text = call.as_object().at("params").as_object().if_contains("text");
          if (text != nullptr && text->is_string() && std::string(text->as_string()).find("Protection is on") == 0) {
            ++confirmed;
          }
        }
        return confirmed >= kGroups;
      },
      kDeadline))
      << cluster->LogTails();

  // The raid: every raider writes twice, members once, all within about two seconds.
  std::map<std::pair<int64_t, int64_t>, absl::Time> first_message;
  for (int round = 0; round < 2; ++round) {
    for (int r = 0; r < kRaidersPerGroup; ++r) {
      for (int g = 0; g < kGroups; ++g) {
        const absl::Time now = absl::Now();
        // A raider already muted cannot write again: the sandbox refuses as Telegram would (403).
        const absl::StatusOr<sandbox::EventResult> sent = control.Send(GroupId(g), RaiderId(g, r), "spam");
        ASSERT_TRUE(sent.ok() || (round == 1 && sent.status().code() == absl::StatusCode::kPermissionDenied))
            << sent.status();
        first_message.try_emplace({GroupId(g), RaiderId(g, r)}, now);
        if (round == 0 && r < kMembersPerGroup) {
          ASSERT_TRUE(control.Send(GroupId(g), MemberId(g, r), "hi").ok());
        }
      }
    }
  }

  Observed seen;
  const auto raiders_done = [&](bool need_prompts) {
    seen = Observe(control);
    for (int g = 0; g < kGroups; ++g) {
      for (int r = 0; r < kRaidersPerGroup; ++r) {
        const std::pair<int64_t, int64_t> key{GroupId(g), RaiderId(g, r)};
        if (!seen.restricted.contains(key)) return false;
        if (need_prompts && !seen.told.contains(key)) return false;
      }
    }
    return true;
  };
  ASSERT_TRUE(harness::WaitFor([&] { return raiders_done(false); }, kDeadline, absl::Milliseconds(200)))
      << cluster->LogTails();
  // Where the time goes: first message -> the verifier's membership check (ingest and verifier queues)
  // -> the restriction (decision, journal, dispatch, sender, limiter).
  std::vector<absl::Duration> mute_latency, to_check, check_to_mute;
  for (const auto& [key, at] : first_message) {
    const absl::Time muted = seen.restricted.at(key);
    mute_latency.push_back(muted - at);
    if (auto checked = seen.checked.find(key.second); checked != seen.checked.end()) {
      to_check.push_back(checked->second - at);
      check_to_mute.push_back(muted - checked->second);
    }
  }
  const auto print = [&](const char* what, std::vector<absl::Duration>& latencies) {
    if (latencies.empty()) return;
    std::sort(latencies.begin(), latencies.end());
    std::printf("raid with %d sender(s): %s p50 %.3f s, p99 %.3f s, max %.3f s (%zu raiders)\n", GetParam(), what,
                absl::ToDoubleSeconds(latencies[latencies.size() / 2]),
                absl::ToDoubleSeconds(latencies[latencies.size() * 99 / 100]), absl::ToDoubleSeconds(latencies.back()),
                latencies.size());
  };
  print("mute latency", mute_latency);
  print("message to membership check", to_check);
  print("membership check to mute", check_to_mute);
  // A group's updates are decided one at a time, so the verifier's time per update, times the updates queued
  // in a group (its raiders' two messages, members, and a chat_member update per restriction), is the tail.
  const std::string verifier = cluster->metrics_url(Cluster::Role::kVerifier, 0);
  const double handled = MetricSum(verifier, "subguard_dispatch_worker_handle_seconds_count");
  const double refused = MetricSum(verifier, "subguard_ratelimit_read_waits_total{outcome=\"refused\"}");
  std::printf(
      "raid with %d sender(s): verifier %.0f updates, %.2f ms each on average; %.0f getChatMember, %.0f refused\n",
      GetParam(), handled, 1000 * MetricSum(verifier, "subguard_dispatch_worker_handle_seconds_sum") / handled,
      MetricSum(verifier, "subguard_verifier_getchatmember_calls_total"), refused);
  EXPECT_EQ(refused, 0) << "the raid's reads should fit the read bucket's burst";

  ASSERT_TRUE(harness::WaitFor([&] { return raiders_done(true); }, kDeadline, absl::Seconds(1))) << cluster->LogTails();
  std::printf("raid with %d sender(s): %d prompts named %zu raiders\n", GetParam(), seen.prompts, seen.told.size());
  for (const auto& [key, count] : seen.told) EXPECT_EQ(count, 1) << "user " << key.second << " in " << key.first;
  for (int g = 0; g < kGroups; ++g) {
    for (int m = 0; m < kMembersPerGroup; ++m) EXPECT_FALSE(seen.touched_users.contains(MemberId(g, m)));
  }
  auto flood = control.Get("/control/flood");
  ASSERT_TRUE(flood.ok()) << flood.status();
  EXPECT_EQ(flood->at("total").as_int64(), 0) << boost::json::serialize(*flood);
}

INSTANTIATE_TEST_SUITE_P(Senders, RaidE2e, ::testing::Values(1, 4),
                         [](const ::testing::TestParamInfo<int>& info) { return absl::StrCat(info.param, "Senders"); });

}  // namespace
}  // namespace subguard::e2e
