// The prompt a non-member gets: the group's template (or the catalogue's) naming the channels to
// join, a URL button per channel and the "I have joined" callback button. Pure.
#pragma once

#include <vector>

#include "services/verifier/decide/types.h"
#include "subguard/v1/action.pb.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::decide {

// A message in parse_mode HTML; every name and the template itself are escaped. It is deleted after the
// group's prompt_delete_after, when set. Its batch lets the sender coalesce it with the group's other
// pending prompts (common/prompts/pending_prompts.h): the same text naming several users, and a button
// any of them may press.
v1::SendMessage RenderPrompt(const GroupConfig& config, const v1::User& user,
                             const std::vector<LinkedChannel>& missing);

}  // namespace subguard::verifier::decide
