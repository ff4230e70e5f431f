// flood_bench: 10,000 bot messages to 2,000 chats through 1 and through 4 sender processes, against the
// sandbox with Telegram's flood limits on (30 messages/s for the bot, 1/s per chat with a burst of 3,
// 20/minute per group). Each message is the bot's reply to a /help command sent through the sandbox, so
// it takes the whole path: sandbox -> ingest -> verifier -> ingest -> sender -> sandbox.
//
// The workload: 1,900 private chats with 5 commands each, 95 groups with 2 and 5 big groups with 62
// (9,500 + 190 + 310 = 10,000). All commands are sent at once, round robin over the chats.
// Printed for each sender count: the time to send every command, completion time (first command to last
// reply), the shortest completion the limits allow (here the bot's: 10,000 / 30 = 333 s; a big group's 62
// need only 3 minutes) and the achieved share of it, achieved rate as a share of the bot-wide limit (overall,
// and in the busiest 10 s), 429s the sandbox answered, and p50/p99 of a reply's latency from its command.
//
// Usage: flood_bench [--senders=1,4] [--scale=1.0]   (scale < 1 shrinks every count, for a quick look)
#include <algorithm>
#include <boost/json/object.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/base/status_macros.h"
#include "services/sandbox/control_client.h"
#include "tests/e2e/cluster.h"
#include "tests/harness/process.h"

namespace subguard::bench {
namespace {

constexpr int64_t kBotId = 424242;   // ClusterOptions' default token
constexpr double kBotLimit = 30;     // the sandbox's messages per second for the bot
constexpr int kGroupPerMinute = 20;  // the sandbox's messages in any 60 s in one group
constexpr double kChatLimit = 1;     // the sandbox's messages per second in one chat, after a burst of
constexpr int kChatBurst = 3;

struct Chat {
  int64_t id = 0;
  int64_t user = 0;
  int commands = 0;
};

struct Result {
  int senders = 0;
  int replies = 0;
  absl::Duration injection;  // sending every command through the control API
  absl::Duration completion;
  double peak_rate = 0;  // replies a second in the busiest 10 s
  int64_t too_many = 0;
  absl::Duration p50;
  absl::Duration p99;
  absl::Duration best;  // the shortest completion the sandbox's limits allow (BestCompletion)
};

// The shortest time the sandbox's limits allow for the workload: the bot's limit over every message, or
// the slowest chat on its own (a group's n messages need floor((n - 1) / 20) whole minutes; a chat's
// need (n - burst) / rate seconds), whichever is longer.
absl::Duration BestCompletion(const std::vector<Chat>& chats) {
  int total = 0;
  absl::Duration best;
  for (const Chat& chat : chats) {
    total += chat.commands;
    best = std::max(best, absl::Seconds(std::max(0, chat.commands - kChatBurst) / kChatLimit));
    if (chat.id < 0) best = std::max(best, absl::Minutes((chat.commands - 1) / kGroupPerMinute));
  }
  return std::max(best, absl::Seconds(total / kBotLimit));
}

std::vector<Chat> Workload(double scale) {
  std::vector<Chat> chats;
  const auto n = [&](int count) { return std::max(1, static_cast<int>(count * scale)); };
  for (int i = 0; i < n(1900); ++i) chats.push_back({.id = 3'000'000 + i, .user = 3'000'000 + i, .commands = 5});
  for (int i = 0; i < n(95); ++i) chats.push_back({.id = -1'007'000'000 - i, .user = 2'000'001, .commands = 2});
  for (int i = 0; i < n(5); ++i) chats.push_back({.id = -1'008'000'000 - i, .user = 2'000'001, .commands = 62});
  return chats;
}

absl::Status SetUpWorld(sandbox::ControlClient& control, const std::vector<Chat>& chats) {
  RETURN_IF_ERROR(control.AddUser({.id = 2'000'001, .first_name = "Member"}));
  for (const Chat& chat : chats) {
    if (chat.id > 0) {
      RETURN_IF_ERROR(control.AddUser({.id = chat.user, .first_name = "U"}));
      RETURN_IF_ERROR(control.AddChat({.id = chat.id, .type = "private"}));
      continue;
    }
    RETURN_IF_ERROR(control.AddChat({.id = chat.id, .type = "supergroup", .title = "G"}));
    RETURN_IF_ERROR(control.SetMember({chat.id, kBotId, "administrator", {{"can_restrict_members", true}}}).status());
    RETURN_IF_ERROR(control.SetMember({.chat_id = chat.id, .user_id = chat.user}).status());
  }
  return absl::OkStatus();
}

absl::Time ParseCallTime(const boost::json::object& call) {
  absl::Time time;
  std::string error;
  absl::ParseTime("%Y-%m-%dT%H:%M:%E3SZ", std::string(call.at("time").as_string()), &time, &error);
  return time;
}

// An integer parameter as the call log holds it: a JSON number, or a string of one; 0 otherwise.
int64_t IntParam(const boost::json::object& params, std::string_view name) {
  const boost::json::value* value = params.if_contains(name);
  int64_t parsed = 0;
  if (value == nullptr) return 0;
  if (value->is_int64()) return value->as_int64();
  if (value->is_string()) (void)absl::SimpleAtoi(std::string(value->as_string()), &parsed);
  return parsed;
}

int64_t ReplyTo(const boost::json::object& params) {
  const boost::json::value* reply = params.if_contains("reply_parameters");
  return reply != nullptr && reply->is_object() ? IntParam(reply->as_object(), "message_id") : 0;
}

absl::StatusOr<Result> Run(int senders, double scale) {
  ASSIGN_OR_RETURN(std::unique_ptr<e2e::Cluster> cluster, e2e::Cluster::Start({.senders = senders}));
  sandbox::ControlClient control(cluster->sandbox_url(), absl::Seconds(60));
  const std::vector<Chat> chats = Workload(scale);
  RETURN_IF_ERROR(SetUpWorld(control, chats));
  ASSIGN_OR_RETURN(const boost::json::object before, control.Get("/control/calls?limit=0"));
  const int64_t since = before.at("next_seq").as_int64() - 1;
  RETURN_IF_ERROR(control.Post("/control/flood", {}).status());  // forget set-up's counts

  // Round robin: every chat's first command, then every chat's second, ...
  absl::flat_hash_map<std::pair<int64_t, int64_t>, absl::Time> sent_at;  // (chat, message) -> when
  int max_commands = 0;
  for (const Chat& chat : chats) max_commands = std::max(max_commands, chat.commands);
  const absl::Time start = absl::Now();
  for (int round = 0; round < max_commands; ++round) {
    for (const Chat& chat : chats) {
      if (round >= chat.commands) continue;
      ASSIGN_OR_RETURN(const sandbox::EventResult sent, control.Send(chat.id, chat.user, "/help"));
      sent_at[{chat.id, sent.message_id}] = absl::Now();
    }
  }
  const int expected = static_cast<int>(sent_at.size());
  const absl::Duration injection = absl::Now() - start;

  std::vector<absl::Duration> latencies;
  std::vector<absl::Time> replied;
  absl::Time last = start;
  int64_t next = since;
  bool done = harness::WaitFor(
      [&] {
        absl::StatusOr<boost::json::array> calls = control.Calls("sendMessage", next);
        if (!calls.ok()) return false;
        for (const boost::json::value& value : *calls) {
          const boost::json::object& call = value.as_object();
          next = std::max(next, call.at("seq").as_int64());
          if (!call.at("ok").as_bool()) continue;
          const boost::json::object& params = call.at("params").as_object();
          auto it = sent_at.find({IntParam(params, "chat_id"), ReplyTo(params)});
          if (it == sent_at.end()) continue;
          const absl::Time at = ParseCallTime(call);
          latencies.push_back(at - it->second);
          replied.push_back(at);
          last = std::max(last, at);
        }
        return static_cast<int>(latencies.size()) >= expected;
      },
      absl::Minutes(30), absl::Milliseconds(500));
  if (!done) return absl::DeadlineExceededError(absl::StrCat(latencies.size(), " of ", expected, " replies came"));
  ASSIGN_OR_RETURN(const boost::json::object flood, control.Get("/control/flood"));
  std::sort(latencies.begin(), latencies.end());
  std::sort(replied.begin(), replied.end());
  size_t peak = 0;
  for (size_t i = 0, j = 0; j < replied.size(); ++j) {
    while (replied[j] - replied[i] >= absl::Seconds(10)) ++i;
    peak = std::max(peak, j - i + 1);
  }
  return Result{.senders = senders,
                .replies = expected,
                .injection = injection,
                .completion = last - start,
                .peak_rate = peak / 10.0,
                .too_many = flood.at("total").as_int64(),
                .p50 = latencies[latencies.size() / 2],
                .p99 = latencies[latencies.size() * 99 / 100],
                .best = BestCompletion(chats)};
}

int Main(int argc, char** argv) {
  std::vector<int> sender_counts = {1, 4};
  double scale = 1.0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("--senders=")) {
      sender_counts.clear();
      for (absl::string_view part : absl::StrSplit(arg.substr(10), ',')) {
        int n = 0;
        if (absl::SimpleAtoi(part, &n)) sender_counts.push_back(n);
      }
    } else if (arg.starts_with("--scale=")) {
      (void)absl::SimpleAtod(std::string(arg.substr(8)), &scale);
    }
  }
  std::vector<Result> results;
  for (int senders : sender_counts) {
    absl::StatusOr<Result> result = Run(senders, scale);
    if (!result.ok()) {
      std::fprintf(stderr, "flood_bench: %d senders: %s\n", senders, std::string(result.status().message()).c_str());
      return 1;
    }
    results.push_back(*result);
  }
  std::printf(
      "| client | processes | sends | injection | completion | best the limits allow | rate vs 30/s limit | rate vs "
      "best | busiest 10 s | 429s | p50 latency | p99 latency |\n");
  std::printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (const Result& r : results) {
    const double seconds = absl::ToDoubleSeconds(r.completion);
    const double best = absl::ToDoubleSeconds(r.best);
    std::printf(
        "| subguard | %d | %d | %.1f s | %.1f s | %.1f s | %.1f%% | %.1f%% | %.1f/s (%.1f%%) | %lld | %.2f s | %.2f s "
        "|\n",
        r.senders, r.replies, absl::ToDoubleSeconds(r.injection), seconds, best,
        100.0 * r.replies / seconds / kBotLimit, 100.0 * best / seconds, r.peak_rate, 100.0 * r.peak_rate / kBotLimit,
        static_cast<long long>(r.too_many), absl::ToDoubleSeconds(r.p50), absl::ToDoubleSeconds(r.p99));
  }
  return 0;
}

}  // namespace
}  // namespace subguard::bench

int main(int argc, char** argv) { return subguard::bench::Main(argc, argv); }
