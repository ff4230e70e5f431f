#include "common/journal/dead_letters.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/strings.h"
#include "common/journal/keys.h"

namespace subguard::journal {
namespace {

// KEYS: dead-letter stream, update stream, urgent and routine action streams (one partition). ARGV: entry id.
// Returns 1 replayed, 0 no such entry. The fields Journal::DeadLetter added are dropped again.
constexpr char kReplay[] = R"lua(
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if not entries[1] then return 0 end
local fields, out, target = entries[1][2], {}, KEYS[2]
for i = 1, #fields, 2 do
  local name, value = fields[i], fields[i + 1]
  if name == 'from' then
    if value == 'action' then target = KEYS[3] elseif value == 'routine_action' then target = KEYS[4] end
  elseif name ~= 'source_id' and name ~= 'reason' then
    table.insert(out, name)
    table.insert(out, value)
  end
end
redis.call('XADD', target, '*', unpack(out))
redis.call('XDEL', KEYS[1], ARGV[1])
return 1
)lua";

struct EntryRef {
  int partition = 0;
  std::string entry_id;
};

absl::StatusOr<EntryRef> ParseRef(std::string_view ref, int partitions, std::string_view what) {
  const std::vector<absl::string_view> parts = absl::StrSplit(base::ToAbsl(ref), '/');
  EntryRef parsed;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &parsed.partition) || parsed.partition < 0 ||
      parsed.partition >= partitions || parts[1].empty() || parts[1].find('-') == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        base::ToAbsl(what), " must look like \"<partition>/<entry id>\", got \"", base::ToAbsl(ref), "\""));
  }
  parsed.entry_id = std::string(parts[1]);
  return parsed;
}

DeadLetterEntry ParseEntry(int partition, const redis::Reply& entry) {
  DeadLetterEntry parsed{.id = absl::StrCat(partition, "/", entry.elements[0].str)};
  absl::SimpleAtoi(entry.elements[0].str.substr(0, entry.elements[0].str.find('-')), &parsed.dead_at_unix_ms);
  const std::vector<redis::Reply>& fields = entry.elements[1].elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const std::string& name = fields[i].str;
    const std::string& value = fields[i + 1].str;
    if (name == "from") {
      parsed.from = value;
    } else if (name == "reason") {
      parsed.reason = value;
    } else if (name == "k") {
      absl::SimpleAtoi(value, &parsed.ordering_key);
    } else if (name == "u" || name == "a") {
      parsed.payload = value;
    }
  }
  return parsed;
}

}  // namespace

DeadLetters::DeadLetters(redis::Pool& pool, int partitions)
    : pool_(pool), partitions_(partitions), replay_script_(kReplay) {}

absl::StatusOr<DeadLetterPage> DeadLetters::List(std::string_view page_token, int limit) {
  EntryRef from{.partition = 0, .entry_id = "-"};
  if (!page_token.empty()) {
    absl::StatusOr<EntryRef> ref = ParseRef(page_token, partitions_, "page_token");
    if (!ref.ok()) return ref.status();
    from = *ref;
    from.entry_id = absl::StrCat("(", from.entry_id);  // exclusive: the token is the last entry shown
  }
  DeadLetterPage page;
  for (int partition = from.partition; partition < partitions_; ++partition) {
    const std::string start = partition == from.partition ? from.entry_id : "-";
    const int want = limit - static_cast<int>(page.entries.size());
    auto reply = pool_.Command({"XRANGE", DeadLetterKey(partition), start, "+", "COUNT", absl::StrCat(want)});
    if (!reply.ok()) return reply.status();
    for (const redis::Reply& entry : reply->elements) {
      if (entry.elements.size() == 2) page.entries.push_back(ParseEntry(partition, entry));
    }
    if (static_cast<int>(page.entries.size()) >= limit) {
      page.next_page_token = page.entries.back().id;
      break;
    }
  }
  return page;
}

absl::Status DeadLetters::Replay(std::string_view id) {
  absl::StatusOr<EntryRef> ref = ParseRef(id, partitions_, "id");
  if (!ref.ok()) return ref.status();
  auto reply = replay_script_.Run(
      pool_,
      {DeadLetterKey(ref->partition), StreamKey(StreamKind::kUpdates, ref->partition),
       StreamKey(StreamKind::kActions, ref->partition), StreamKey(StreamKind::kRoutineActions, ref->partition)},
      {ref->entry_id});
  if (!reply.ok()) return reply.status();
  if (reply->integer == 0) return absl::NotFoundError(absl::StrCat("no dead letter ", base::ToAbsl(id)));
  return absl::OkStatus();
}

absl::Status DeadLetters::Delete(std::string_view id) {
  absl::StatusOr<EntryRef> ref = ParseRef(id, partitions_, "id");
  if (!ref.ok()) return ref.status();
  auto reply = pool_.Command({"XDEL", DeadLetterKey(ref->partition), ref->entry_id});
  if (!reply.ok()) return reply.status();
  if (reply->integer == 0) return absl::NotFoundError(absl::StrCat("no dead letter ", base::ToAbsl(id)));
  return absl::OkStatus();
}

}  // namespace subguard::journal
