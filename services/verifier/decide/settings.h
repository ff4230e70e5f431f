// /settings, /exempt and /unexempt: viewing and changing a protected group's settings. Pure.
//
// "/settings" shows every setting; "/settings <name> <value>" changes one (the Decision carries the
// whole configuration to store). /exempt and /unexempt take a numeric user id, or none when they reply
// to the user's message. All three answer
// "not protected" in a group that never ran /protect, since there is nothing to attach settings to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "services/verifier/decide/event.h"
#include "services/verifier/decide/types.h"

namespace subguard::verifier::decide {

// Telegram restricts "forever" when until_date is under 30 seconds or over 366 days away, so a timed
// mute must lie in between; a bot can delete messages only up to 48 hours old.
inline constexpr absl::Duration kMinMute = absl::Seconds(30);
inline constexpr absl::Duration kMaxMute = absl::Hours(24 * 366);
inline constexpr absl::Duration kMaxPromptDelete = absl::Hours(48);

// "90", "90s", "5m", "12h", "7d" -> the duration; nullopt for anything else or zero.
std::optional<absl::Duration> ParseSettingDuration(std::string_view text);
// The shortest of those forms that says the duration exactly: 300s -> "5m".
std::string FormatSettingDuration(absl::Duration duration);

Decision DecideSettings(int64_t update_id, const GroupCommand& command, const GroupConfig* config);
Decision DecideExemption(int64_t update_id, const GroupCommand& command, const GroupConfig* config);

}  // namespace subguard::verifier::decide
