// Where a coalesced prompt's text names its users (PromptBatch.text). Shared by the verifier's pure
// decide/ (which writes it) and common/prompts/pending_prompts.h (which fills it in). HTML-escaped text
// never holds a raw "<", so the marker cannot come from a template or a name.
#pragma once

namespace subguard::prompts {

inline constexpr char kUsersMarker[] = "<users/>";

}  // namespace subguard::prompts
