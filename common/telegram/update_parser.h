// ParseUpdate: one Telegram Update's JSON into the normalised v1::Update.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "subguard/v1/update.pb.h"

namespace subguard::telegram {

// Limits that keep a hostile body cheap to reject.
inline constexpr int kMaxJsonDepth = 64;

// kInvalidArgument for text that is not a JSON object with an integer update_id (malformed,
// truncated, not UTF-8, nested deeper than kMaxJsonDepth, wrong types). An update of a kind subguard
// does not handle parses to an Update with no payload: callers journal it and skip it.
// raw_json is set to json.
absl::StatusOr<v1::Update> ParseUpdate(std::string_view json);

}  // namespace subguard::telegram
