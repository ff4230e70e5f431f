// Message text as Telegram returns it: the entities it detects in plain text (bot commands, mentions,
// links), and sendMessage's parse_mode "HTML" turned into plain text plus formatting entities.
// Offsets and lengths count UTF-16 code units, as the Bot API does. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/sandbox/world_types.h"

namespace subguard::sandbox {

struct FormattedText {
  std::string text;
  std::vector<Entity> entities;
};

// The length of UTF-8 text in UTF-16 code units.
int64_t Utf16Length(std::string_view utf8);

// The entities Telegram finds in plain text: "bot_command" (/start, /protect@bot), "mention" (@username)
// and "url" (http://, https://, t.me/ links), each starting the text or after a non-word character.
std::vector<Entity> DetectEntities(std::string_view text);

// Parses Telegram's HTML subset (b, strong, i, em, u, ins, s, strike, del, code, pre, a href, tg-spoiler,
// span class="tg-spoiler", blockquote; &lt; &gt; &amp; &quot; and numeric character references).
// Fails with the Bot API's BadRequest "can't parse entities: ..." on an unsupported or unbalanced tag.
absl::StatusOr<FormattedText> ParseHtml(std::string_view html);

}  // namespace subguard::sandbox
