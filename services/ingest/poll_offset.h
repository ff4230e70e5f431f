// The getUpdates offset arithmetic (pure): Telegram forgets every update whose update_id is below the
// offset of the next getUpdates call, so the offset may only move past updates already journaled.
// Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace subguard::ingest {

// The offset that confirms the updates with these ids: one past the highest, never below current.
int64_t NextOffset(int64_t current, const std::vector<int64_t>& journaled_ids);

// The update_id of an update's JSON even when ParseUpdate rejects the rest of it, so a malformed
// update is confirmed (skipped) instead of being fetched again forever. nullopt when there is none.
std::optional<int64_t> UpdateIdOf(std::string_view json);

}  // namespace subguard::ingest
