// URL helpers: query strings and form bodies (application/x-www-form-urlencoded).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace subguard::http {

// Decodes %XX escapes and '+' as space. Malformed escapes are kept as they are.
std::string PercentDecode(std::string_view text);
// Encodes everything but unreserved characters (RFC 3986).
std::string PercentEncode(std::string_view text);
// Splits "a=1&b=2" into decoded pairs, in order.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);
// The decoded value of the first parameter called name, or "".
std::string FindQueryParam(std::string_view query, std::string_view name);

}  // namespace subguard::http
