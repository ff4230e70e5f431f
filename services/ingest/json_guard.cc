#include "services/ingest/json_guard.h"

#include <boost/json/basic_parser_impl.hpp>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/telegram/update_parser.h"

namespace subguard::ingest {
namespace {

using boost::json::error_code;
using boost::json::string_view;

// The SAX handler: a set of keys per open object; everything else is accepted as it comes.
class DuplicateKeyHandler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t, error_code&) { return true; }
  bool on_object_begin(error_code&) {
    open_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    open_.pop_back();
    return true;
  }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return true; }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    key_.append(s.data(), s.size());
    const bool fresh = open_.back().insert(key_).second;
    if (!fresh) {
      duplicate_ = key_;
      has_duplicate_ = true;
      ec = boost::json::error::syntax;  // any error stops the parse; duplicate_ says which
    }
    key_.clear();
    return fresh;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(int64_t, string_view, error_code&) { return true; }
  bool on_uint64(uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

  bool has_duplicate() const { return has_duplicate_; }
  const std::string& duplicate() const { return duplicate_; }

 private:
  std::vector<absl::flat_hash_set<std::string>> open_;
  std::string key_;
  std::string duplicate_;
  bool has_duplicate_ = false;
};

}  // namespace

absl::Status CheckJsonBody(std::string_view json) {
  boost::json::parse_options options;
  options.max_depth = telegram::kMaxJsonDepth;
  boost::json::basic_parser<DuplicateKeyHandler> parser(options);
  error_code ec;
  parser.write_some(false, json.data(), json.size(), ec);
  if (parser.handler().has_duplicate()) {
    return absl::InvalidArgumentError(absl::StrCat("update: duplicate key \"", parser.handler().duplicate(), "\""));
  }
  if (ec) return absl::InvalidArgumentError(absl::StrCat("update: not valid JSON: ", ec.message()));
  return absl::OkStatus();
}

}  // namespace subguard::ingest
