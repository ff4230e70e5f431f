// Params: the parameters of one Bot API request.
//
// The Bot API takes them from the query string, an application/x-www-form-urlencoded body or an
// application/json body, merged. Like the official server, every parameter is a string: a JSON body's
// strings are taken as they are and its other values (numbers, booleans, objects) as their JSON text, so
// "permissions" may arrive as an object or as a string holding one, and both read the same.
// Immutable after parsing; cheap to copy for the call log.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/http/server.h"

namespace subguard::sandbox {

class Params {
 public:
  // kInvalidArgument (as a Bot API BadRequest) when a JSON body does not parse or is not an object.
  static absl::StatusOr<Params> FromRequest(const http::Request& request);

  bool Has(std::string_view name) const;
  // The value, or "" when absent.
  std::string Get(std::string_view name) const;
  // An integer the way the official server reads one: absent or empty gives fallback, text that is not a
  // number gives 0.
  int64_t GetInt(std::string_view name, int64_t fallback = 0) const;
  // "true", "yes" and "1" (any case, trimmed) are true; anything else is false.
  bool GetBool(std::string_view name) const;
  // A parameter holding JSON (reply_markup, permissions): null when absent or empty, BadRequest
  // "can't parse <what> JSON object" when it does not parse.
  absl::StatusOr<boost::json::value> GetJson(std::string_view name, std::string_view what) const;

  // The parameters for the call log: strings, except values sent as JSON and strings holding a JSON object or
  // array, which are kept as JSON.
  boost::json::object ToLogJson() const;

 private:
  struct Param {
    std::string name;
    std::string text;          // the Bot API's string form
    boost::json::value value;  // as received: a string, or the JSON value of a JSON body
  };
  const Param* Find(std::string_view name) const;
  std::vector<Param> params_;
};

}  // namespace subguard::sandbox
