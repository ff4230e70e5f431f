// Reading the control API's JSON bodies (and GET query strings), and writing its replies.
//
// Control replies are {"ok":true,...} or {"ok":false,"description":"..."} with an HTTP status chosen by the
// Status code: 400 kInvalidArgument, 403 kPermissionDenied, 404 kNotFound, 409 kFailedPrecondition,
// 507 kResourceExhausted (a bound of the sandbox is full), 500 otherwise. Pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/http/server.h"
#include "services/sandbox/world_types.h"

namespace subguard::sandbox {

// The request's JSON object body (POST), or its query parameters as strings (GET).
absl::StatusOr<boost::json::object> ControlInput(const http::Request& request);
http::Response ControlReply(const absl::StatusOr<boost::json::object>& result);

// An integer field; numbers and numeric strings are read. kInvalidArgument naming the field otherwise.
absl::StatusOr<int64_t> RequiredInt(const boost::json::object& input, std::string_view name);
absl::StatusOr<int64_t> OptionalInt(const boost::json::object& input, std::string_view name, int64_t fallback);
absl::StatusOr<std::string> OptionalString(const boost::json::object& input, std::string_view name,
                                           std::string fallback);
absl::StatusOr<bool> OptionalBool(const boost::json::object& input, std::string_view name, bool fallback);

// Sets the permission fields present in input (can_send_messages...), leaving the others as they are.
absl::Status ApplyPermissionFields(const boost::json::object& input, ChatPermissions& permissions);
// Sets the administrator right fields present in input (can_restrict_members...), leaving the others.
absl::Status ApplyRightFields(const boost::json::object& input, AdminRights& rights);

}  // namespace subguard::sandbox
