// The plain values of forward monitors (the monitors table, migrations/0003_monitors.sql). No I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace subguard::verifier::monitors {

// forward: forwardMessage (with the "forwarded from" header); copy: copyMessage (without);
// record: the post is only stored in PostgreSQL (recorded_posts), whatever the destinations do.
enum class Mode { kForward, kCopy, kRecord };

// Which posts a monitor takes: all, only those without media, only those with.
enum class MediaFilter { kAny, kText, kMedia };

struct Monitor {
  int64_t id = 0;
  int64_t owner_user_id = 0;
  int64_t source_chat_id = 0;
  int64_t dest_chat_id = 0;  // 0 in record mode
  Mode mode = Mode::kForward;
  bool send_edits = false;    // an edited source post is sent again; otherwise ignored
  std::string text_contains;  // "" for every post; otherwise a case-insensitive substring of the text
  MediaFilter media = MediaFilter::kAny;
};

// "forward", "copy", "record", and back (nullopt for anything else).
std::string_view ModeName(Mode mode);
std::optional<Mode> ParseMode(std::string_view name);
// "any", "text", "media", and back.
std::string_view MediaFilterName(MediaFilter filter);
std::optional<MediaFilter> ParseMediaFilter(std::string_view name);

}  // namespace subguard::verifier::monitors
