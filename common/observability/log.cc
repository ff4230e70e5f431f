#include "common/observability/log.h"

#include <unistd.h>

#include <atomic>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace subguard::log {
namespace {

// Written once by Init before other threads exist, read-only afterwards.
std::string& ServiceName() {
  static std::string name = "subguard";
  return name;
}
std::atomic<Level> min_level{Level::kInfo};

constexpr std::string_view kLevelNames[] = {"debug", "info", "warn", "error"};

}  // namespace

void Init(std::string_view service, Level level) {
  ServiceName() = std::string(service);
  min_level = level;
}

Level ParseLevel(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kLevelNames[i] == name) return static_cast<Level>(i);
  }
  return Level::kInfo;
}

void Write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (level < min_level.load(std::memory_order_relaxed)) return;
  boost::json::object line;
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = kLevelNames[static_cast<int>(level)];
  line["service"] = ServiceName();
  line["event"] = event;
  for (const Field& field : fields) {
    std::visit([&](const auto& value) { line[field.key] = value; }, field.value);
  }
  std::string text = boost::json::serialize(line);
  text.push_back('\n');
  // One write(2) a line keeps lines from different threads whole.
  [[maybe_unused]] ssize_t written = ::write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace subguard::log
