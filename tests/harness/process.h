// Process: a child process for tests: started with fork/exec, its output sent to a log file, and
// stopped (SIGTERM, then SIGKILL) when the handle is destroyed. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace subguard::harness {

struct ProcessOptions {
  std::vector<std::string> argv;                            // argv[0] is the executable's path
  std::vector<std::pair<std::string, std::string>> env;     // added to the inherited environment
  std::string log_path;                                     // stdout and stderr; "" for /dev/null
  std::string run_as_user;                                  // "" or a user to switch to (e.g. "postgres" when root)
};

class Process {
 public:
  static absl::StatusOr<std::unique_ptr<Process>> Start(ProcessOptions options);
  ~Process();

  pid_t pid() const { return pid_; }
  bool Running();
  // Sends signal; SIGKILL makes a crash, SIGTERM a clean stop.
  void Signal(int signal);
  // Sends SIGTERM, waits up to grace, then SIGKILL. Returns the exit status as waitpid gives it.
  int Stop(absl::Duration grace = absl::Seconds(10));
  const ProcessOptions& options() const { return options_; }

 private:
  Process(ProcessOptions options, pid_t pid) : options_(std::move(options)), pid_(pid) {}
  ProcessOptions options_;
  pid_t pid_;
  bool reaped_ = false;
  int status_ = 0;
};

// A loopback TCP port that was free a moment ago.
int FreePort();

// A fresh directory under $TMPDIR, removed with its contents when destroyed.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Polls condition every interval until it is true or deadline passes. Returns whether it became true.
template <typename Condition>
bool WaitFor(Condition condition, absl::Duration deadline = absl::Seconds(60),
             absl::Duration interval = absl::Milliseconds(20));

}  // namespace subguard::harness

#include "tests/harness/impl/wait_for.h"
