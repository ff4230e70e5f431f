// RETURN_IF_ERROR and ASSIGN_OR_RETURN: propagate an absl::Status without exceptions.
// (absl/status/status_macros.h is newer than the abseil Debian 12 ships.)
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SUBGUARD_CONCAT_INNER(a, b) a##b
#define SUBGUARD_CONCAT(a, b) SUBGUARD_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                         \
  do {                                                \
    if (::absl::Status _st = (expr); !_st.ok()) {     \
      return _st;                                     \
    }                                                 \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  SUBGUARD_ASSIGN_OR_RETURN_IMPL(SUBGUARD_CONCAT(_status_or_, __LINE__), lhs, expr)

#define SUBGUARD_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) {                                     \
    return std::move(tmp).status();                    \
  }                                                    \
  lhs = std::move(tmp).value()
