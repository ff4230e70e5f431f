// Structured logging: one JSON object a line on stderr, e.g.
//   {"ts":"2026-11-23T15:00:00.123Z","level":"info","service":"ingest","event":"update_journaled","update_id":7}
// Thread-safe: each line is written with a single write(2).
// Never pass the bot token or a secret as a field; URLs of Bot API calls contain the token.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "absl/status/status.h"

namespace subguard::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

struct Field {
  using Value = std::variant<int64_t, double, bool, std::string>;
  Field(std::string_view k, int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, uint32_t v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  Field(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, const absl::Status& s) : key(k), value(s.ToString()) {}
  std::string_view key;
  Value value;
};

// Set once in main, before threads start.
void Init(std::string_view service, Level min_level);
// Parses "debug", "info", "warn", "error"; anything else is kInfo.
Level ParseLevel(std::string_view name);

void Write(Level level, std::string_view event, std::initializer_list<Field> fields);

inline void Debug(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kDebug, event, fields);
}
inline void Info(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kInfo, event, fields);
}
inline void Warn(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kWarn, event, fields);
}
inline void Error(std::string_view event, std::initializer_list<Field> fields = {}) {
  Write(Level::kError, event, fields);
}

}  // namespace subguard::log
