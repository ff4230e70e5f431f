// The protobuf types of protos/subguard/v1/action.proto as Bot API JSON parameters.
// Thread-safe (pure functions).
#pragma once

#include <boost/json/object.hpp>

#include "google/protobuf/repeated_field.h"
#include "subguard/v1/action.pb.h"

namespace subguard::telegram {

// A ChatPermissions object with every field written, false ones included, so the call states the
// whole set and nothing is left to Telegram's defaults.
boost::json::object ChatPermissionsToJson(const v1::ChatPermissions& permissions);

// An InlineKeyboardMarkup ({"inline_keyboard":[[{"text":...,"url"|"callback_data":...}]]}).
boost::json::object InlineKeyboardToJson(const google::protobuf::RepeatedPtrField<v1::ButtonRow>& rows);

}  // namespace subguard::telegram
