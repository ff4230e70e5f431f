// "host:port" parsing for addresses given in flags.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace subguard::base {

// "host:port" -> {host, port}, split at the last colon. kInvalidArgument naming the text otherwise.
inline absl::StatusOr<std::pair<std::string, int>> ParseHostPort(std::string_view address) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(std::string(address.substr(colon + 1)), &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("expected host:port, not \"", std::string(address), "\""));
  }
  return std::make_pair(std::string(address.substr(0, colon)), port);
}

}  // namespace subguard::base
