#include "common/telegram/json_write.h"

#include <boost/json/array.hpp>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace subguard::telegram {

boost::json::object ChatPermissionsToJson(const v1::ChatPermissions& permissions) {
  // The proto's fields carry the Bot API's names, all booleans.
  boost::json::object json;
  const google::protobuf::Descriptor* descriptor = permissions.GetDescriptor();
  const google::protobuf::Reflection* reflection = permissions.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    json[field->name()] = reflection->GetBool(permissions, field);
  }
  return json;
}

boost::json::object InlineKeyboardToJson(const google::protobuf::RepeatedPtrField<v1::ButtonRow>& rows) {
  boost::json::array keyboard;
  for (const v1::ButtonRow& row : rows) {
    boost::json::array buttons;
    for (const v1::InlineButton& button : row.buttons()) {
      boost::json::object json;
      json["text"] = button.text();
      if (!button.url().empty()) {
        json["url"] = button.url();
      } else {
        json["callback_data"] = button.callback_data();
      }
      buttons.push_back(std::move(json));
    }
    keyboard.push_back(std::move(buttons));
  }
  return boost::json::object{{"inline_keyboard", std::move(keyboard)}};
}

}  // namespace subguard::telegram
