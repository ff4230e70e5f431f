#include "services/admin/auth.h"

#include <openssl/crypto.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/base/strings.h"

namespace subguard::admin {
namespace {

constexpr char kBearer[] = "bearer ";

}  // namespace

Authenticator::Authenticator(std::string operator_token, ApiKeys& keys)
    : operator_token_sha256_(operator_token.empty() ? "" : KeySha256(operator_token)), keys_(keys) {}

absl::StatusOr<Caller> Authenticator::Authenticate(std::string_view authorization) {
  if (!absl::StartsWithIgnoreCase(base::ToAbsl(authorization), kBearer)) {
    return absl::UnauthenticatedError("send \"authorization: Bearer <operator token or API key>\" metadata");
  }
  const std::string_view credential =
      base::ToStd(absl::StripAsciiWhitespace(base::ToAbsl(authorization.substr(sizeof(kBearer) - 1))));
  if (credential.empty()) return absl::UnauthenticatedError("the authorization metadata has no credential");
  // Hashes have equal lengths, so the comparison takes the same time however much of the token matches.
  const std::string sha256 = KeySha256(credential);
  if (!operator_token_sha256_.empty() &&
      CRYPTO_memcmp(sha256.data(), operator_token_sha256_.data(), sha256.size()) == 0) {
    return Caller{.is_operator = true};
  }
  absl::StatusOr<std::optional<int64_t>> owner = keys_.OwnerOf(credential);
  if (!owner.ok()) return owner.status();
  if (!owner->has_value()) {
    return absl::UnauthenticatedError("unknown credential: use the operator token or a key from /apikey");
  }
  return Caller{.owner_user_id = **owner};
}

}  // namespace subguard::admin
