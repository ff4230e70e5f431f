// Chaos: issue 5's proof. A whole cluster (2 ingest, 3 verifier, 2 sender processes, durable Redis,
// PostgreSQL, the sandbox delivering by long polling, and again by webhook through a load balancer in
// front of both ingests) protects many groups while members who have not joined the linked channel
// write in them, one update each, and a random worker or ingest is SIGKILLed (and restarted) every
// few seconds; Redis is killed and restarted once, and one ingest is killed and left down until the
// other has taken over its leases.
//
// Every such message must end in exactly one effect: its writer restricted in its group. The
// restriction is idempotent, so the assertion is exact on the effect (the member's state and the
// first restrictChatMember call); repeated calls (a sender killed after Telegram executed a call and
// before its done mark) are counted and printed, not failed. Per group, the first restriction of
// each writer follows the order of their messages; nothing stays in the journal. Prompts
// (sendMessage) are counted separately: docs/delivery.md says which crash window can repeat one.
//
// Size: SUBGUARD_CHAOS_CHATS groups (default 100) x SUBGUARD_CHAOS_UPDATES_PER_CHAT writers (default 4),
// sent at SUBGUARD_CHAOS_RATE updates a second (default 15), so the kills fall while work flows;
// bench/chaos/run.sh runs it at 5,000 x 4.
#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/journal/keys.h"
#include "common/redis/client.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/replies.h"

namespace subguard::e2e {
namespace {

using boost::json::array;
using boost::json::object;

constexpr char kToken[] = "424242:sandbox-token";
constexpr int64_t kBotId = 424242;
constexpr int64_t kOwner = 900000001;
constexpr int64_t kChannel = -1002000000000;
constexpr char kChannelUsername[] = "chaos_channel";
constexpr int kPartitions = 16;  // the ingest's default

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  int parsed = 0;
  return value != nullptr && absl::SimpleAtoi(value, &parsed) && parsed > 0 ? parsed : fallback;
}

int64_t GroupId(int g) { return -1003000000000 - g; }
int64_t UserId(int g, int u) { return 1000000000 + int64_t{g} * 100 + u; }

// Every successful call of method after seq since, paging through the call log.
absl::StatusOr<std::vector<object>> OkCalls(sandbox::ControlClient& control, std::string_view method, int64_t since) {
  std::vector<object> calls;
  while (true) {
    absl::StatusOr<array> page = control.Calls(method, since);
    if (!page.ok()) return page.status();
    for (const auto& call : *page) {
      const object& record = call.as_object();
      since = std::max(since, record.at("seq").as_int64());
      if (record.at("ok").as_bool()) calls.push_back(record);
    }
    if (page->size() < 10000) return calls;
  }
}

struct Kill {
  std::string what;
  absl::Duration ready_after;     // until the restarted process answered /readyz
  absl::Duration progress_after;  // until the next restriction anywhere (InfiniteDuration: none seen)
  // For an ingest left down: until the survivor held every lease the dead one had (InfiniteDuration: never).
  std::optional<absl::Duration> takeover_after;
};

// How the sandbox hands updates to the ingests.
enum class Delivery { kPolling, kWebhook };

// Every lease an ingest can hold: the journal partitions' and the poller's.
std::vector<std::string> LeaseNames() {
  std::vector<std::string> names = {journal::kPollerLease};
  for (int p = 0; p < kPartitions; ++p) names.push_back(journal::PartitionLeaseName(p));
  return names;
}

class ChaosTest : public ::testing::TestWithParam<Delivery> {
 protected:
  void SetUp() override {
    chats_ = EnvInt("SUBGUARD_CHAOS_CHATS", 100);
    rate_ = EnvInt("SUBGUARD_CHAOS_RATE", 15);
    per_chat_ = std::min(EnvInt("SUBGUARD_CHAOS_UPDATES_PER_CHAT", 4), 99);
    auto cluster = Cluster::Start(
        {.ingests = 2,
         .verifiers = 3,
         .senders = 2,
         .bot_token = kToken,
         .ingest_flags = {"--lease_ttl", "4s", "--lease_renew_interval", "1s", "--poll_timeout", "2s",
                          "--delivery_timeout", "10s"},
         // Every call of the run stays in the log the assertions read: about
         // four per update and per group, and the pollers' getUpdates.
         .sandbox_flags = {"--max_call_log", std::to_string(std::max(100000, 20 * chats_ * (per_chat_ + 1)))},
         .durable_redis = true,
         .webhook = GetParam() == Delivery::kWebhook});
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::move(*cluster);
    control_ = std::make_unique<sandbox::ControlClient>(cluster_->sandbox_url(), absl::Seconds(30));
  }

  // The world: one channel nobody joined, chats_ groups owned by kOwner with the bot as admin, and
  // per_chat_ members in each; then every group is protected by its owner, through the bot.
  absl::Status BuildWorld() {
    const object rights = {{"can_restrict_members", true}, {"can_delete_messages", true}, {"can_invite_users", true},
                           {"can_manage_chat", true},      {"can_post_messages", true},   {"can_change_info", true}};
    if (absl::Status s = control_->AddUser({.id = kOwner, .first_name = "Owner"}); !s.ok()) return s;
    if (absl::Status s =
            control_->AddChat({.id = kChannel, .type = "channel", .title = "Chaos", .username = kChannelUsername});
        !s.ok()) {
      return s;
    }
    if (auto s = control_->SetMember({kChannel, kBotId, "administrator", rights}); !s.ok()) return s.status();
    for (int g = 0; g < chats_; ++g) {
      const int64_t group = GroupId(g);
      if (absl::Status s = control_->AddChat({.id = group, .type = "supergroup", .title = absl::StrCat("G", g)});
          !s.ok()) {
        return s;
      }
      if (auto s = control_->SetMember({.chat_id = group, .user_id = kOwner, .status = "creator"}); !s.ok()) {
        return s.status();
      }
      if (auto s = control_->SetMember({group, kBotId, "administrator", rights}); !s.ok()) return s.status();
      for (int u = 0; u < per_chat_; ++u) {
        if (absl::Status s = control_->AddUser({.id = UserId(g, u)}); !s.ok()) return s;
        if (auto s = control_->SetMember({.chat_id = group, .user_id = UserId(g, u)}); !s.ok()) return s.status();
      }
    }
    const int64_t before = NextSeq();
    for (int g = 0; g < chats_; ++g) {
      auto sent = control_->Send(GroupId(g), kOwner, absl::StrCat("/protect @", kChannelUsername));
      if (!sent.ok()) return sent.status();
    }
    // Protected once the bot has answered in every group.
    const bool confirmed = harness::WaitFor(
        [&] {
          absl::StatusOr<std::vector<object>> sends = OkCalls(*control_, "sendMessage", before);
          if (!sends.ok()) return false;
          std::set<int64_t> answered;
          for (const object& call : *sends) answered.insert(ParamInt(call.at("params").as_object(), "chat_id"));
          return static_cast<int>(answered.size()) >= chats_;
        },
        absl::Minutes(5), absl::Milliseconds(500));
    return confirmed ? absl::OkStatus() : absl::DeadlineExceededError("not every group was protected");
  }

  int64_t NextSeq() { return CallLogSeq("next_seq") - 1; }
  // The oldest call the sandbox's log still holds.
  int64_t OldestSeq() { return CallLogSeq("oldest_seq"); }
  int64_t CallLogSeq(const char* field) {
    absl::StatusOr<boost::json::object> reply = control_->Get("/control/calls?limit=0");
    return reply.ok() ? reply->at(field).as_int64() : 0;
  }

  // Kills (and restarts) a random worker or ingest every kill_every until every update is sent and at
  // least kMinKills were made. The kMinKills / 2-th kill is Redis' instead, and the one before the
  // last kills an ingest and leaves it down until the other has taken over all its leases.
  void RunKiller(const absl::Duration kill_every, const std::atomic<bool>& injected) {
    sandbox::ControlClient control(cluster_->sandbox_url(), absl::Seconds(30));
    redis::Pool redis({.host = cluster_->redis().host(), .port = cluster_->redis().port()});
    std::mt19937 random(20261123);
    const std::vector<std::pair<Cluster::Role, std::string>> roles = {
        {Cluster::Role::kIngest, "ingest"}, {Cluster::Role::kVerifier, "verifier"}, {Cluster::Role::kSender, "sender"}};
    constexpr int kMinKills = 7;
    for (int round = 0; !(injected.load() && round >= kMinKills); ++round) {
      absl::SleepFor(kill_every);
      const int64_t seq = [&] {
        absl::StatusOr<boost::json::object> reply = control.Get("/control/calls?limit=0");
        return reply.ok() ? reply->at("next_seq").as_int64() - 1 : int64_t{0};
      }();
      const absl::Time start = absl::Now();
      Kill kill;
      absl::Status status;
      if (round == kMinKills / 2) {
        kill.what = "redis";
        status = cluster_->redis().Restart();
      } else if (round == kMinKills - 2) {
        const int victim = static_cast<int>(random() % cluster_->count(Cluster::Role::kIngest));
        kill.what = absl::StrCat("ingest-", victim, " (left down)");
        cluster_->Kill(Cluster::Role::kIngest, victim);
        kill.takeover_after = WaitForTakeover(redis, absl::StrCat("ingest-", victim), start);
        status = cluster_->Restart(Cluster::Role::kIngest, victim);
        if (status.ok()) status = cluster_->WaitReady(Cluster::Role::kIngest, victim);
      } else {
        // Every process is equally likely: 2 ingest, 3 verifier, 2 sender.
        int pick = static_cast<int>(random() % 7);
        size_t r = 0;
        while (pick >= cluster_->count(roles[r].first)) {
          pick -= cluster_->count(roles[r].first);
          ++r;
        }
        kill.what = absl::StrCat(roles[r].second, "-", pick);
        status = cluster_->Crash(roles[r].first, pick);
        if (status.ok()) status = cluster_->WaitReady(roles[r].first, pick);
      }
      if (!status.ok()) {
        Record(absl::StrCat(kill.what, ": ", status.message()));
        return;
      }
      kill.ready_after = absl::Now() - start;
      // The sandbox stamps each call: the first restriction after the kill, even one made while an
      // ingest was still down.
      kill.progress_after = absl::InfiniteDuration();
      harness::WaitFor(
          [&] {
            absl::StatusOr<array> calls = control.Calls("restrictChatMember", seq);
            if (!calls.ok() || calls->empty()) return false;
            absl::Time first;
            std::string error;
            if (!absl::ParseTime("%Y-%m-%dT%H:%M:%E3SZ", std::string((*calls)[0].as_object().at("time").as_string()),
                                 &first, &error)) {
              first = absl::Now();
            }
            kill.progress_after = std::max(absl::ZeroDuration(), first - start);
            return true;
          },
          absl::Seconds(20), absl::Milliseconds(50));
      absl::MutexLock lock(&mu_);
      kills_.push_back(kill);
    }
  }

  // Waits until no lease names `owner` any more (lease values are "<fence>:<owner>"): the time since
  // start, or InfiniteDuration when the deadline passed.
  static absl::Duration WaitForTakeover(redis::Pool& redis, const std::string& owner, absl::Time start) {
    const bool taken_over = harness::WaitFor(
        [&] {
          for (const std::string& name : LeaseNames()) {
            auto value = redis.Command({"GET", journal::LeaseKey(name)});
            if (!value.ok()) return false;
            if (absl::EndsWith(value->str, absl::StrCat(":", owner))) return false;
          }
          return true;
        },
        absl::Seconds(60), absl::Milliseconds(50));
    return taken_over ? absl::Now() - start : absl::InfiniteDuration();
  }

  void Record(std::string problem) {
    absl::MutexLock lock(&mu_);
    problems_.push_back(std::move(problem));
  }

  int chats_ = 0;
  int per_chat_ = 0;
  int rate_ = 0;
  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<sandbox::ControlClient> control_;
  absl::Mutex mu_;
  std::vector<Kill> kills_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> problems_ ABSL_GUARDED_BY(mu_);
};

TEST_P(ChaosTest, EveryUpdateHasExactlyOneEffectInChatOrderWhileProcessesDie) {
  ASSERT_TRUE(BuildWorld().ok()) << cluster_->LogTails();
  const int64_t chaos_start = NextSeq();
  const absl::Time start = absl::Now();

  std::atomic<bool> injected{false};
  std::thread killer([&] { RunKiller(absl::Seconds(3), injected); });
  // Writer u of every group, then writer u + 1: each group's messages in a known order.
  int send_failures = 0;
  int sent = 0;
  for (int u = 0; u < per_chat_; ++u) {
    for (int g = 0; g < chats_; ++g) {
      if (!control_->Send(GroupId(g), UserId(g, u), absl::StrCat("hello ", u)).ok()) ++send_failures;
      // Paced, so the kills fall while updates keep arriving.
      const absl::Duration ahead = start + absl::Seconds(++sent) / rate_ - absl::Now();
      if (ahead > absl::ZeroDuration()) absl::SleepFor(ahead);  // pacing a load, not waiting for a result
    }
  }
  injected = true;
  const absl::Duration injection = absl::Now() - start;
  killer.join();
  ASSERT_EQ(send_failures, 0);

  // Quiet again: every writer restricted, or the deadline.
  const int expected = chats_ * per_chat_;
  std::vector<object> restricts;
  harness::WaitFor(
      [&] {
        absl::StatusOr<std::vector<object>> calls = OkCalls(*control_, "restrictChatMember", chaos_start);
        if (!calls.ok()) return false;
        restricts = *std::move(calls);
        std::set<std::pair<int64_t, int64_t>> pairs;
        for (const object& call : restricts) {
          const object& params = call.at("params").as_object();
          pairs.emplace(ParamInt(params, "chat_id"), ParamInt(params, "user_id"));
        }
        return static_cast<int>(pairs.size()) >= expected;
      },
      absl::Minutes(5), absl::Seconds(1));
  const absl::Duration total = absl::Now() - start;

  // Effects: first restriction of each writer, and how often it was called.
  std::map<std::pair<int64_t, int64_t>, std::pair<int64_t, int>> first_and_count;  // (group, user) -> (seq, calls)
  for (const object& call : restricts) {
    const object& params = call.at("params").as_object();
    auto [it, fresh] = first_and_count.try_emplace({ParamInt(params, "chat_id"), ParamInt(params, "user_id")},
                                                   call.at("seq").as_int64(), 0);
    ++it->second.second;
  }
  int lost = 0, duplicated_calls = 0, reordered = 0, not_restricted = 0;
  for (int g = 0; g < chats_; ++g) {
    int64_t previous = 0;
    for (int u = 0; u < per_chat_; ++u) {
      auto it = first_and_count.find({GroupId(g), UserId(g, u)});
      if (it == first_and_count.end()) {
        ++lost;
        continue;
      }
      duplicated_calls += it->second.second - 1;
      if (it->second.first < previous) ++reordered;
      previous = it->second.first;
      absl::StatusOr<object> member = control_->Member(GroupId(g), UserId(g, u));
      if (!member.ok() || member->at("status").as_string() != "restricted") ++not_restricted;
    }
  }
  // Nothing pending in the journal (prompts wait behind the bot's message limits, so count them after).
  redis::Pool pool({.host = cluster_->redis().host(), .port = cluster_->redis().port()});
  int64_t pending = -1;
  harness::WaitFor(
      [&] {
        pending = 0;
        for (int p = 0; p < kPartitions; ++p) {
          for (const journal::StreamKind kind : journal::kStreamKinds) {
            auto length = pool.Command({"XLEN", journal::StreamKey(kind, p)});
            if (!length.ok()) return false;
            pending += length->integer;
          }
        }
        return pending == 0;
      },
      // Prompts drain at the bot-wide limit of about 30 messages a second.
      absl::Seconds(60 + expected / 20), absl::Milliseconds(500));
  // Prompts, counted apart: every writer named once, alone or in a prompt naming several
  // (common/prompts/pending_prompts.h coalesces a group's waiting prompts).
  std::map<std::pair<int64_t, int64_t>, int> named;  // (group, user) -> prompts naming them
  if (absl::StatusOr<std::vector<object>> sends = OkCalls(*control_, "sendMessage", chaos_start); sends.ok()) {
    for (const object& call : *sends) {
      const object& params = call.at("params").as_object();
      const auto* text = params.if_contains("text");
      if (text == nullptr || !text->is_string()) continue;
      for (const int64_t user : MentionedUsers(std::string(text->as_string()))) {
        ++named[{ParamInt(params, "chat_id"), user}];
      }
    }
  }
  int prompts_missing = 0, prompts_repeated = 0;
  for (int g = 0; g < chats_; ++g) {
    for (int u = 0; u < per_chat_; ++u) {
      const int times = named[{GroupId(g), UserId(g, u)}];
      prompts_missing += times == 0 ? 1 : 0;
      prompts_repeated += std::max(0, times - 1);
    }
  }
  // Prompts that failed for good, by Bot API error code, and what was dead-lettered.
  std::map<int64_t, int> failed_sends;
  if (absl::StatusOr<array> all = control_->Calls("sendMessage", chaos_start); all.ok()) {
    for (const auto& call : *all) {
      if (!call.as_object().at("ok").as_bool()) ++failed_sends[call.as_object().at("error_code").as_int64()];
    }
  }
  // The counts are only true if the call log still held every call since the chaos began.
  ASSERT_LE(OldestSeq(), chaos_start + 1) << "the sandbox's call log dropped calls: raise --max_call_log";
  for (const auto& [code, count] : failed_sends)
    std::printf("chaos: sendMessage answered %lld: %d times\n", static_cast<long long>(code), count);
  int64_t dead_letters = 0;
  for (int p = 0; p < kPartitions; ++p) {
    if (auto length = pool.Command({"XLEN", journal::DeadLetterKey(p)}); length.ok()) dead_letters += length->integer;
  }

  std::printf("chaos: %d groups x %d writers = %d updates; injected in %.1fs, all effects after %.1fs\n", chats_,
              per_chat_, expected, absl::ToDoubleSeconds(injection), absl::ToDoubleSeconds(total));
  {
    absl::MutexLock lock(&mu_);
    for (const Kill& kill : kills_) {
      const std::string progress = kill.progress_after == absl::InfiniteDuration()
                                       ? "(none within 20s: idle)"
                                       : absl::StrFormat("%.2fs", absl::ToDoubleSeconds(kill.progress_after));
      const std::string takeover =
          !kill.takeover_after ? ""
          : *kill.takeover_after == absl::InfiniteDuration()
              ? ", its leases never taken over"
              : absl::StrFormat(", its leases taken over after %.2fs", absl::ToDoubleSeconds(*kill.takeover_after));
      std::printf("chaos: killed %-22s ready again after %5.2fs%s, next effect anywhere after %s\n", kill.what.c_str(),
                  absl::ToDoubleSeconds(kill.ready_after), takeover.c_str(), progress.c_str());
      if (kill.takeover_after == absl::InfiniteDuration()) ADD_FAILURE() << kill.what << ": no takeover";
    }
    for (const std::string& problem : problems_) ADD_FAILURE() << problem;
    EXPECT_GE(kills_.size(), 7u);
  }
  std::printf(
      "chaos: lost %d, duplicated effects 0 (restriction is a state; repeated restrict calls %d), "
      "reordered %d, not restricted %d, pending %lld, dead letters %lld; prompts missing %d, repeated %d\n",
      lost, duplicated_calls, reordered, not_restricted, static_cast<long long>(pending),
      static_cast<long long>(dead_letters), prompts_missing, prompts_repeated);
  EXPECT_EQ(lost, 0) << cluster_->LogTails();
  EXPECT_EQ(reordered, 0);
  EXPECT_EQ(not_restricted, 0);
  EXPECT_EQ(pending, 0);
  EXPECT_EQ(dead_letters, 0);
  EXPECT_EQ(prompts_missing, 0);
}

INSTANTIATE_TEST_SUITE_P(Delivery, ChaosTest, ::testing::Values(Delivery::kPolling, Delivery::kWebhook),
                         [](const ::testing::TestParamInfo<Delivery>& info) {
                           return info.param == Delivery::kPolling ? "LongPolling" : "Webhook";
                         });

}  // namespace
}  // namespace subguard::e2e
