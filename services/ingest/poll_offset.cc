#include "services/ingest/poll_offset.h"

#include <algorithm>
#include <boost/json/parser.hpp>

namespace subguard::ingest {

int64_t NextOffset(int64_t current, const std::vector<int64_t>& journaled_ids) {
  int64_t next = current;
  for (const int64_t id : journaled_ids) next = std::max(next, id + 1);
  return next;
}

std::optional<int64_t> UpdateIdOf(std::string_view json) {
  // Deeper than ParseUpdate allows: this only looks for the top-level id of what it rejected.
  boost::json::parse_options options;
  options.max_depth = 10000;
  boost::json::parser parser(boost::json::storage_ptr(), options);
  boost::json::error_code error;
  parser.write(json.data(), json.size(), error);
  if (error) return std::nullopt;
  const boost::json::value value = parser.release();
  const boost::json::object* object = value.if_object();
  if (object == nullptr) return std::nullopt;
  const boost::json::value* id = object->if_contains("update_id");
  if (id == nullptr || !id->is_int64()) return std::nullopt;
  return id->as_int64();
}

}  // namespace subguard::ingest
