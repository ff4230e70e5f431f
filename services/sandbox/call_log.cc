#include "services/sandbox/call_log.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "common/base/strings.h"

namespace subguard::sandbox {

boost::json::object CallRecord::ToJson() const {
  return boost::json::object{{"seq", seq},
                             {"method", method},
                             {"params", params},
                             {"ok", ok},
                             {"error_code", error_code},
                             {"description", description},
                             {"time", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone())}};
}

int64_t CallLog::Append(CallRecord record) {
  std::lock_guard lock(mu_);
  record.seq = next_seq_++;
  records_.push_back(std::move(record));
  while (records_.size() > std::max<size_t>(max_records_, 1)) records_.pop_front();
  return records_.back().seq;
}

std::vector<CallRecord> CallLog::Since(int64_t since, std::string_view method, size_t limit) const {
  std::lock_guard lock(mu_);
  std::vector<CallRecord> result;
  // Sequence numbers are consecutive, so the first record after `since` is found by arithmetic.
  const int64_t first_seq = records_.empty() ? 0 : records_.front().seq;
  const size_t start = since < first_seq ? 0 : static_cast<size_t>(since - first_seq + 1);
  for (size_t i = start; i < records_.size() && result.size() < limit; ++i) {
    const CallRecord& record = records_[i];
    if (method.empty() || absl::EqualsIgnoreCase(record.method, base::ToAbsl(method))) result.push_back(record);
  }
  return result;
}

int64_t CallLog::next_seq() const {
  std::lock_guard lock(mu_);
  return next_seq_;
}

int64_t CallLog::oldest_seq() const {
  std::lock_guard lock(mu_);
  return records_.empty() ? next_seq_ : records_.front().seq;
}

void CallLog::Clear() {
  std::lock_guard lock(mu_);
  records_.clear();
}

}  // namespace subguard::sandbox
