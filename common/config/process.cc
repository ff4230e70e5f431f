#include "common/config/process.h"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace subguard::config {

void Die(std::string_view program, std::string_view message) {
  std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(program.size()), program.data(),
               static_cast<int>(message.size()), message.data());
  std::exit(2);
}

std::string DefaultInstanceId() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, "-", getpid());
}

StopSignals::StopSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

void StopSignals::Wait() {
  int signal = 0;
  sigwait(&signals_, &signal);
}

bool StopSignals::WaitFor(absl::Duration timeout) {
  const timespec wait = absl::ToTimespec(timeout);
  const int signal = sigtimedwait(&signals_, nullptr, &wait);
  return signal == SIGINT || signal == SIGTERM;
}

}  // namespace subguard::config
