#include "common/journal/keys.h"

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace subguard::journal {
namespace {

std::string Tag(int partition) { return absl::StrCat("{p", partition, "}"); }

// SplitMix64's finalizer: a fixed, well-mixing function of 64 bits (chat ids are sequential-ish and
// share high bits, so plain modulo would spread them badly).
uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

int64_t SenderOf(const v1::Update& update) {
  switch (update.payload_case()) {
    case v1::Update::kMessage:
      return update.message().from().id();
    case v1::Update::kEditedMessage:
      return update.edited_message().from().id();
    case v1::Update::kCallbackQuery:
      return update.callback_query().from().id();
    case v1::Update::kChatMember:
      return update.chat_member().from().id();
    case v1::Update::kMyChatMember:
      return update.my_chat_member().from().id();
    case v1::Update::kChatJoinRequest:
      return update.chat_join_request().from().id();
    default:
      return 0;
  }
}

}  // namespace

int64_t OrderingKeyOf(const v1::Update& update) {
  if (update.chat_id() != 0) return update.chat_id();
  if (const int64_t user = SenderOf(update); user != 0) return user;
  return update.update_id();
}

int PartitionOf(int64_t ordering_key, int partitions) {
  if (partitions <= 1) return 0;
  return static_cast<int>(Mix(static_cast<uint64_t>(ordering_key)) % static_cast<uint64_t>(partitions));
}

std::string PartitionLeaseName(int partition) { return absl::StrCat("p", partition); }

int PartitionOfLeaseName(std::string_view name) {
  if (name.size() < 2 || name.size() > 8 || name[0] != 'p') return -1;
  int partition = 0;
  for (const char c : name.substr(1)) {
    if (c < '0' || c > '9') return -1;
    partition = partition * 10 + (c - '0');
  }
  return partition;
}

const char* StreamKindName(StreamKind kind) {
  switch (kind) {
    case StreamKind::kUpdates:
      return "update";
    case StreamKind::kActions:
      return "action";
    case StreamKind::kRoutineActions:
      return "routine_action";
  }
  return "?";
}

std::string StreamKey(StreamKind kind, int partition) {
  const char* prefix = kind == StreamKind::kUpdates ? "sg:upd:" : kind == StreamKind::kActions ? "sg:act:" : "sg:rtn:";
  return absl::StrCat(prefix, Tag(partition));
}

std::string DeadLetterKey(int partition) { return absl::StrCat("sg:dead:", Tag(partition)); }

std::string SeenKey(int partition, int64_t update_id) {
  return absl::StrCat("sg:seen:", Tag(partition), ":", update_id);
}

std::string LeaseKey(std::string_view name) { return absl::StrCat("sg:lease:{", base::ToAbsl(name), "}"); }

std::string FenceKey(std::string_view name) { return absl::StrCat("sg:fence:{", base::ToAbsl(name), "}"); }

std::string MembersKey(std::string_view set) { return absl::StrCat("sg:members:{", base::ToAbsl(set), "}"); }

std::string PollOffsetKey() { return absl::StrCat("sg:poll_offset:{", kPollerLease, "}"); }

}  // namespace subguard::journal
