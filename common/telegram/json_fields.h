// FieldReader: typed, checked reads of a Bot API JSON object's fields (Boost.JSON).
//
// A field that is absent (or null) reads as its default; a field that is present with the wrong
// type, or a required field that is absent, records kInvalidArgument naming the field, and later
// reads return defaults. Callers read every field, then check status() once:
//   FieldReader r(object);
//   user.set_id(r.RequiredInt64("id"));
//   user.set_username(r.String("username"));
//   RETURN_IF_ERROR(r.status());
// Integers must be JSON integers within int64: a fraction, an exponent or a value beyond 64 bits is
// an error, never silently truncated. Not thread-safe; cheap (no copies but the strings returned).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace subguard::telegram {

// The value as an int64, if it is a JSON integer in int64 range; name is used in the error.
absl::StatusOr<int64_t> AsInt64(const boost::json::value& value, std::string_view name);

class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& object) : object_(object) {}

  int64_t RequiredInt64(std::string_view key);
  int64_t Int64(std::string_view key);
  std::string String(std::string_view key);
  // A string that is present and not empty.
  std::string RequiredString(std::string_view key);
  bool Bool(std::string_view key);
  // nullptr when absent (or after an error).
  const boost::json::value* Object(std::string_view key);
  const boost::json::value* RequiredObject(std::string_view key);
  const boost::json::array* Array(std::string_view key);
  // True when the field is present and not null.
  bool Has(std::string_view key) const { return Find(key) != nullptr; }

  // The first error, if any.
  const absl::Status& status() const { return status_; }
  // Records an error found by the caller (e.g. in a nested object), unless one is already recorded.
  void Fail(absl::Status status);

 private:
  const boost::json::value* Find(std::string_view key) const;
  void WrongType(std::string_view key, std::string_view expected);
  void Missing(std::string_view key);

  const boost::json::object& object_;
  absl::Status status_;
};

}  // namespace subguard::telegram
