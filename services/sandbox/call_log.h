// CallLog: a record of every Bot API call the sandbox answered, for tests to assert on.
//
// Each record has a sequence number that increases by one per call and never restarts (not even across
// /control/reset, which clears the records), so "calls since N" stays meaningful. Bounded: beyond
// max_records the oldest records are dropped.
// Thread-safe; appending is O(1).
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"

namespace subguard::sandbox {

struct CallRecord {
  int64_t seq = 0;
  std::string method;          // as the method table names it ("restrictChatMember"), or as called if unknown
  boost::json::object params;  // Params::ToLogJson
  bool ok = false;
  int error_code = 0;       // 0 when ok
  std::string description;  // the error's description, "" when ok
  absl::Time time;

  boost::json::object ToJson() const;
};

class CallLog {
 public:
  explicit CallLog(size_t max_records) : max_records_(max_records) {}

  // Stores the record with the next sequence number, which it returns.
  int64_t Append(CallRecord record);
  // Records with seq > since, oldest first; method "" matches every method, otherwise it is compared without
  // regard to case. At most limit records.
  std::vector<CallRecord> Since(int64_t since, std::string_view method, size_t limit) const;
  // The sequence number the next call will get.
  int64_t next_seq() const;
  // The sequence number of the oldest record still kept (next_seq() when none is): a reader that
  // wants every call since s can tell the log dropped some when oldest_seq() > s + 1.
  int64_t oldest_seq() const;
  void Clear();

 private:
  const size_t max_records_;
  mutable std::mutex mu_;
  std::deque<CallRecord> records_ ABSL_GUARDED_BY(mu_);
  int64_t next_seq_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace subguard::sandbox
