// The message catalogue: every text the bot shows, per language (English is complete; a language
// without a catalogue falls back to it). Texts with $0, $1... are absl::Substitute formats; the
// prompt template uses {user} and {channels}, which owners may also use in their own template.
// Pure; the catalogues are constants.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/verifier/decide/types.h"

namespace subguard::verifier::decide {

struct Catalogue {
  std::string_view help_private;
  std::string_view help_group;
  std::string_view use_in_group;
  std::string_view need_supergroup;
  std::string_view not_admin;
  std::string_view protect_usage;
  std::string_view bot_needs_rights;  // $0: the missing rights
  std::string_view right_restrict;    // the names of the rights, as Telegram's admin screen shows them
  std::string_view right_delete;
  std::string_view channel_bad_ref;        // $0: the argument as given
  std::string_view channel_not_found;      // $0: the argument
  std::string_view channel_wrong_type;     // $0
  std::string_view channel_bot_not_admin;  // $0: the channel's name
  std::string_view protect_failed;         // $0: one problem a line
  std::string_view protected_ok;           // $0: the channels
  std::string_view unprotected;
  std::string_view not_protected;
  std::string_view status_on;  // $0: the channels, one a line
  std::string_view status_off;
  std::string_view status_channel_ok;         // $0: the channel's name
  std::string_view status_channel_unseen;     // $0
  std::string_view status_channel_not_admin;  // $0
  std::string_view status_rights_ok;
  std::string_view status_rights_missing;  // $0: the missing rights
  std::string_view prompt;                 // {user}, {channels}
  std::string_view button_joined;
  std::string_view button_join;  // $0: the channel's name
  std::string_view check_not_for_you;
  std::string_view check_missing;  // $0: the channels still missing
  std::string_view check_verified;
};

const Catalogue& CatalogueFor(std::string_view language);

// "@name" for a public channel, its title otherwise.
std::string ChannelName(const LinkedChannel& channel);
// The channels' names joined with ", ".
std::string ChannelNames(const std::vector<LinkedChannel>& channels);
// Text made safe for parse_mode HTML.
std::string HtmlEscape(std::string_view text);

}  // namespace subguard::verifier::decide
