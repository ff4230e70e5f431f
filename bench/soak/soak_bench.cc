// soak_bench: many updates from many users through ingest, verifier and sender (the sandbox as
// Telegram), sampling each process's resident memory (VmRSS) every second. Prints, per process, RSS
// at the start, at 10% of the run, the peak and at the end, and whether the end is within 10% of the
// 10% mark and under 100 MiB (issue 7's target).
//
// The workload: `users` users spread over `groups` unprotected groups (the verifier loads each
// group's configuration and decides nothing); every 100th update is instead a private /help from one
// of the first `private_users` users, which the sender answers (within the bot's 30 messages/s, so the
// ingest holds a growing backlog of actions: bounded in memory, the rest in the Redis journal). Sent
// by 4 threads, which pause while the sandbox holds more than 20,000 undelivered updates (its queue
// drops the oldest beyond 100,000); the run ends once everything was sent and the verifier's answers
// stopped growing for 10 s.
//
// Usage: soak_bench [--updates=200000] [--users=20000] [--groups=100] [--private_users=4000]
#include <sys/types.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/base/status_macros.h"
#include "common/http/client.h"
#include "services/sandbox/control_client.h"
#include "tests/e2e/cluster.h"

namespace subguard::bench {
namespace {

using e2e::Cluster;

struct Options {
  int64_t updates = 200000;
  int64_t users = 20000;
  int64_t groups = 100;
  int64_t private_users = 4000;
};

constexpr int64_t kFirstUser = 5'000'000;
constexpr int64_t kFirstGroup = -1'006'000'000;
constexpr int kSenders = 4;

// VmRSS of pid in KiB; 0 when it cannot be read.
int64_t RssKib(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) != 0) continue;
    int64_t kib = 0;
    for (absl::string_view word : absl::StrSplit(line.substr(6), ' ', absl::SkipEmpty())) {
      if (absl::SimpleAtoi(word, &kib)) return kib;
    }
  }
  return 0;
}

// The sum of a counter's series in a /metrics page.
double CounterSum(const std::string& url, absl::string_view name) {
  auto page = http::HttpClient().Get(url, absl::Seconds(5));
  if (!page.ok()) return -1;
  double sum = 0;
  for (absl::string_view line : absl::StrSplit(page->body, '\n')) {
    if (!absl::StartsWith(line, name) || line.size() <= name.size() ||
        (line[name.size()] != '{' && line[name.size()] != ' ')) {
      continue;
    }
    double value = 0;
    if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) sum += value;
  }
  return sum;
}

absl::Status SetUpWorld(const std::string& url, const Options& options) {
  sandbox::ControlClient control(url);
  RETURN_IF_ERROR(control.Reset());
  for (int64_t g = 0; g < options.groups; ++g) {
    RETURN_IF_ERROR(control.AddChat({.id = kFirstGroup - g, .type = "supergroup", .title = absl::StrCat("G", g)}));
    RETURN_IF_ERROR(
        control.SetMember({.chat_id = kFirstGroup - g, .user_id = 424242, .status = "administrator"}).status());
  }
  for (int64_t u = 0; u < options.users; ++u) {
    RETURN_IF_ERROR(control.AddUser({.id = kFirstUser + u}));
    RETURN_IF_ERROR(
        control.SetMember({.chat_id = kFirstGroup - u % options.groups, .user_id = kFirstUser + u}).status());
  }
  return absl::OkStatus();
}

constexpr double kMaxPending = 20000;
constexpr int64_t kPrivateEvery = 100;

// Sender thread `index` of kSenders: updates index, index + kSenders, ...
void Send(const std::string& url, const Options& options, int index, std::atomic<int64_t>& sent) {
  sandbox::ControlClient control(url);
  for (int64_t i = index; i < options.updates; i += kSenders) {
    if (i % 1000 < kSenders) {
      while (CounterSum(url + "/metrics", "subguard_sandbox_pending_updates") > kMaxPending) {
        absl::SleepFor(absl::Milliseconds(200));
      }
    }
    const int64_t user = kFirstUser + (i * 7919) % options.users;  // spread over every user
    absl::Status status;
    if (i % kPrivateEvery == kPrivateEvery - 1) {
      const int64_t private_user = kFirstUser + (i / kPrivateEvery) % options.private_users;
      status = control.Send(private_user, private_user, "/help").status();
    } else {
      status = control.Send(kFirstGroup - (user - kFirstUser) % options.groups, user, absl::StrCat("m", i)).status();
    }
    if (status.ok()) sent.fetch_add(1);
  }
}

int Run(const Options& options) {
  auto cluster = Cluster::Start({.sandbox_flags = {"--flood_limits=false"}});
  if (!cluster.ok()) {
    std::fprintf(stderr, "cluster: %s\n", cluster.status().ToString().c_str());
    return 1;
  }
  Cluster& c = **cluster;
  if (absl::Status status = SetUpWorld(c.sandbox_url(), options); !status.ok()) {
    std::fprintf(stderr, "world: %s\n", status.ToString().c_str());
    return 1;
  }
  const std::vector<std::pair<std::string, Cluster::Role>> roles = {
      {"ingest", Cluster::Role::kIngest}, {"verifier", Cluster::Role::kVerifier}, {"sender", Cluster::Role::kSender}};
  const double answered_before =
      CounterSum(c.metrics_url(Cluster::Role::kVerifier, 0), "subguard_verifier_answers_total");

  std::map<std::string, std::vector<int64_t>> rss;
  std::atomic<int64_t> sent = 0;
  const absl::Time start = absl::Now();
  std::vector<std::thread> senders;
  for (int i = 0; i < kSenders; ++i) senders.emplace_back([&, i] { Send(c.sandbox_url(), options, i, sent); });
  double answered = 0;
  int still = 0;  // seconds since answered last grew, once everything was sent
  // Sampled every second until done; bounded by 30 minutes.
  for (int second = 0; second < 1800 && still < 10; ++second) {
    for (const auto& [name, role] : roles) rss[name].push_back(RssKib(c.pid(role, 0)));
    const double now =
        CounterSum(c.metrics_url(Cluster::Role::kVerifier, 0), "subguard_verifier_answers_total") - answered_before;
    still = sent.load() == options.updates && now == answered ? still + 1 : 0;
    answered = now;
    absl::SleepFor(absl::Seconds(1));
  }
  for (std::thread& thread : senders) thread.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const double dropped = CounterSum(c.sandbox_url() + "/metrics", "subguard_sandbox_dropped_updates");

  std::printf(
      "soak: %lld updates sent (%lld users, %lld groups, %lld private), %.0f answered in %.0f s (%.0f/s), %.0f "
      "dropped by the sandbox\n",
      static_cast<long long>(sent.load()), static_cast<long long>(options.users),
      static_cast<long long>(options.groups), static_cast<long long>(options.private_users), answered, seconds,
      answered / seconds, dropped);
  std::printf("%-9s %10s %10s %10s %10s  %s\n", "process", "start MiB", "10% MiB", "peak MiB", "end MiB",
              "flat & <100MiB");
  for (const auto& [name, role] : roles) {
    const std::vector<int64_t>& series = rss[name];
    const auto mib = [](int64_t kib) { return kib / 1024.0; };
    const int64_t at10 = series[series.size() / 10];
    const int64_t peak = *std::max_element(series.begin(), series.end());
    const int64_t end = series.back();
    const bool flat = end <= at10 * 1.1 && mib(peak) < 100;
    std::printf("%-9s %10.1f %10.1f %10.1f %10.1f  %s\n", name.c_str(), mib(series.front()), mib(at10), mib(peak),
                mib(end), flat ? "yes" : "NO");
  }
  return sent.load() == options.updates && answered >= options.updates ? 0 : 1;
}

}  // namespace
}  // namespace subguard::bench

int main(int argc, char** argv) {
  subguard::bench::Options options;
  for (int i = 1; i < argc; ++i) {
    const std::vector<std::string> kv = absl::StrSplit(argv[i], absl::MaxSplits('=', 1));
    int64_t value = 0;
    if (kv.size() != 2 || !absl::SimpleAtoi(kv[1], &value) || value <= 0) {
      std::fprintf(stderr, "usage: soak_bench [--updates=N] [--users=N] [--groups=N] [--private_users=N]\n");
      return 2;
    }
    if (kv[0] == "--updates") options.updates = value;
    if (kv[0] == "--users") options.users = value;
    if (kv[0] == "--groups") options.groups = value;
    if (kv[0] == "--private_users") options.private_users = value;
  }
  return subguard::bench::Run(options);
}
