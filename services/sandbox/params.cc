#include "services/sandbox/params.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/http/url.h"
#include "services/sandbox/errors.h"

namespace subguard::sandbox {
namespace {

std::string_view ContentType(const http::Request& request) {
  std::string_view type = request.Header("content-type");
  return type.substr(0, type.find(';'));
}

// A JSON value parsed from text, or null when the text is not JSON.
boost::json::value ParseJsonOrNull(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  return ec ? boost::json::value() : value;
}

}  // namespace

absl::StatusOr<Params> Params::FromRequest(const http::Request& request) {
  Params params;
  auto add_pairs = [&params](std::string_view encoded) {
    for (auto& [name, text] : http::ParseQuery(encoded)) {
      params.params_.push_back({name, text, boost::json::value(text)});
    }
  };
  add_pairs(request.query);
  const std::string type = absl::AsciiStrToLower(base::ToAbsl(ContentType(request)));
  if (type == "application/x-www-form-urlencoded") {
    add_pairs(request.body);
  } else if (type == "application/json" && !request.body.empty()) {
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(request.body, ec);
    if (ec || !body.is_object()) return BadRequest("can't parse JSON object");
    for (auto& [key, value] : body.as_object()) {
      std::string text = value.is_string() ? std::string(value.as_string()) : boost::json::serialize(value);
      params.params_.push_back({std::string(key), std::move(text), value});
    }
  }
  return params;
}

const Params::Param* Params::Find(std::string_view name) const {
  for (const Param& param : params_) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

bool Params::Has(std::string_view name) const { return Find(name) != nullptr; }

std::string Params::Get(std::string_view name) const {
  const Param* param = Find(name);
  return param == nullptr ? std::string() : param->text;
}

int64_t Params::GetInt(std::string_view name, int64_t fallback) const {
  const std::string text(absl::StripAsciiWhitespace(Get(name)));
  if (text.empty()) return fallback;
  // Like td::to_integer: an optional sign, then digits up to the first other character.
  size_t pos = 0;
  const bool negative = text[0] == '-';
  if (negative || text[0] == '+') pos = 1;
  int64_t value = 0;
  for (; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos) {
    value = value * 10 + (text[pos] - '0');
  }
  return negative ? -value : value;
}

bool Params::GetBool(std::string_view name) const {
  const std::string text = absl::AsciiStrToLower(absl::StripAsciiWhitespace(Get(name)));
  return text == "true" || text == "yes" || text == "1";
}

absl::StatusOr<boost::json::value> Params::GetJson(std::string_view name, std::string_view what) const {
  const std::string text = Get(name);
  if (text.empty()) return boost::json::value();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec) return BadRequest(absl::StrCat("can't parse ", base::ToAbsl(what), " JSON object"));
  return value;
}

boost::json::object Params::ToLogJson() const {
  boost::json::object log;
  for (const Param& param : params_) {
    boost::json::value value = param.value;
    if (value.is_string() && (absl::StartsWith(param.text, "{") || absl::StartsWith(param.text, "["))) {
      if (boost::json::value parsed = ParseJsonOrNull(param.text); !parsed.is_null()) value = std::move(parsed);
    }
    log[param.name] = std::move(value);
  }
  return log;
}

}  // namespace subguard::sandbox
