#include "services/admin/api_keys.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace subguard::admin {
namespace {

constexpr char kKeyPrefix[] = "sgk_";
constexpr int kSecretBytes = 32;

constexpr char kInsertSecret[] = "INSERT INTO api_key_secret (secret) VALUES ($1) ON CONFLICT DO NOTHING";
constexpr char kSelectSecret[] = "SELECT secret FROM api_key_secret";
constexpr char kUpsertKey[] = R"sql(
  INSERT INTO api_keys (owner_user_id, key_sha256, issued_update_id) VALUES ($1, $2, $3)
  ON CONFLICT (owner_user_id) DO UPDATE
  SET key_sha256 = EXCLUDED.key_sha256, issued_update_id = EXCLUDED.issued_update_id, created_at = now()
  WHERE api_keys.issued_update_id <= EXCLUDED.issued_update_id)sql";
constexpr char kSelectOwner[] = "SELECT owner_user_id FROM api_keys WHERE key_sha256 = $1";

std::string Hex(const unsigned char* bytes, size_t size) {
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(bytes), size));
}

}  // namespace

std::string KeySha256(std::string_view key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  return Hex(digest, sizeof(digest));
}

std::string DeriveKey(std::string_view secret, int64_t owner_user_id, int64_t update_id) {
  const std::string message = absl::StrCat("apikey:", owner_user_id, ":", update_id);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size);
  return absl::StrCat(kKeyPrefix, Hex(mac, size));
}

absl::StatusOr<std::string> ApiKeys::Secret() {
  absl::MutexLock lock(&mu_);
  if (!secret_.empty()) return secret_;
  unsigned char fresh[kSecretBytes];
  if (RAND_bytes(fresh, sizeof(fresh)) != 1) return absl::InternalError("api keys: no random bytes from OpenSSL");
  std::string secret;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kInsertSecret, Hex(fresh, sizeof(fresh)));
    secret = tx.exec1(kSelectSecret)[0].as<std::string>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  secret_ = secret;
  return secret;
}

absl::StatusOr<std::string> ApiKeys::Issue(int64_t owner_user_id, int64_t update_id) {
  absl::StatusOr<std::string> secret = Secret();
  if (!secret.ok()) return secret.status();
  std::string key = DeriveKey(*secret, owner_user_id, update_id);
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kUpsertKey, owner_user_id, KeySha256(key), update_id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return key;
}

absl::StatusOr<std::optional<int64_t>> ApiKeys::OwnerOf(std::string_view key) {
  std::optional<int64_t> owner;
  if (key.rfind(kKeyPrefix, 0) != 0) return owner;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(kSelectOwner, KeySha256(key));
    if (!rows.empty()) owner = rows[0][0].as<int64_t>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return owner;
}

}  // namespace subguard::admin
