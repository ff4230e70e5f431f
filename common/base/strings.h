// Debian 12's abseil is built with its own absl::string_view rather than an alias of
// std::string_view, so the two do not convert implicitly. These bridge them without a copy.
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace subguard::base {

inline absl::string_view ToAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view ToStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace subguard::base
