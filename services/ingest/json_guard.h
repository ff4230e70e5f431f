// JsonGuard: what a webhook or getUpdates body must pass before telegram::ParseUpdate reads it.
//
// ParseUpdate already refuses what is not JSON, not UTF-8, nested too deep or of the wrong types, and
// keeps the last of duplicate keys. A body with duplicate keys is ambiguous (two readers may see two
// different updates), so the ingest refuses it: CheckJsonBody walks the text once with Boost.JSON's
// SAX parser, keeping only the keys of the objects open on the current path.
// Pure function; thread-safe. Cost: one pass over the body, memory bounded by its size.
#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace subguard::ingest {

// OK, or kInvalidArgument naming the first problem: not JSON (or nested deeper than
// telegram::kMaxJsonDepth), or an object with a duplicate key.
absl::Status CheckJsonBody(std::string_view json);

}  // namespace subguard::ingest
