#include "common/telegram/json_fields.h"

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace subguard::telegram {

absl::StatusOr<int64_t> AsInt64(const boost::json::value& value, std::string_view name) {
  // Boost.JSON keeps integers that fit int64 as int64; larger ones become uint64 (above INT64_MAX)
  // or double (beyond 64 bits), and both are out of range for an id.
  if (value.is_int64()) return value.get_int64();
  const char* expected = value.is_uint64() || value.is_double() ? "an integer within int64" : "an integer";
  return absl::InvalidArgumentError(absl::StrCat("field '", base::ToAbsl(name), "': expected ", expected));
}

const boost::json::value* FieldReader::Find(std::string_view key) const {
  const boost::json::value* value = object_.if_contains(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

void FieldReader::Fail(absl::Status status) {
  if (status_.ok()) status_ = std::move(status);
}

void FieldReader::WrongType(std::string_view key, std::string_view expected) {
  Fail(absl::InvalidArgumentError(absl::StrCat("field '", base::ToAbsl(key), "': expected ", base::ToAbsl(expected))));
}

void FieldReader::Missing(std::string_view key) {
  Fail(absl::InvalidArgumentError(absl::StrCat("field '", base::ToAbsl(key), "' is missing")));
}

int64_t FieldReader::RequiredInt64(std::string_view key) {
  if (!Has(key)) {
    Missing(key);
    return 0;
  }
  return Int64(key);
}

int64_t FieldReader::Int64(std::string_view key) {
  const boost::json::value* value = Find(key);
  if (value == nullptr || !status_.ok()) return 0;
  absl::StatusOr<int64_t> result = AsInt64(*value, key);
  if (!result.ok()) {
    Fail(result.status());
    return 0;
  }
  return *result;
}

std::string FieldReader::String(std::string_view key) {
  const boost::json::value* value = Find(key);
  if (value == nullptr || !status_.ok()) return std::string();
  if (!value->is_string()) {
    WrongType(key, "a string");
    return std::string();
  }
  const boost::json::string& s = value->get_string();
  return std::string(s.data(), s.size());
}

std::string FieldReader::RequiredString(std::string_view key) {
  std::string value = String(key);
  if (value.empty()) Missing(key);
  return value;
}

bool FieldReader::Bool(std::string_view key) {
  const boost::json::value* value = Find(key);
  if (value == nullptr || !status_.ok()) return false;
  if (!value->is_bool()) {
    WrongType(key, "a boolean");
    return false;
  }
  return value->get_bool();
}

const boost::json::value* FieldReader::Object(std::string_view key) {
  const boost::json::value* value = Find(key);
  if (value == nullptr || !status_.ok()) return nullptr;
  if (!value->is_object()) {
    WrongType(key, "an object");
    return nullptr;
  }
  return value;
}

const boost::json::value* FieldReader::RequiredObject(std::string_view key) {
  if (!Has(key)) {
    Missing(key);
    return nullptr;
  }
  return Object(key);
}

const boost::json::array* FieldReader::Array(std::string_view key) {
  const boost::json::value* value = Find(key);
  if (value == nullptr || !status_.ok()) return nullptr;
  if (!value->is_array()) {
    WrongType(key, "an array");
    return nullptr;
  }
  return &value->get_array();
}

}  // namespace subguard::telegram
