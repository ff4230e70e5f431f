// The message catalogue: every text the bot shows, per language: English (en) and Spanish (es,
// catalogue_es.cc), both complete; an unknown language falls back to English. Texts with $0, $1... are absl::Substitute
// formats; the prompt template uses {user} and {channels}, which owners may also use in their own template. Pure; the
// catalogues are constants.
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
  std::string_view status_on;  // $0: the channels, one a line; $1: the rights line; $2: the restricted count
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
  std::string_view check_bot_not_admin;
  // /settings: $0 policy, $1 prompt, $2 prompt auto-delete, $3 mute, $4 join check, $5 bots, $6 language,
  // $7 exempted users, $8 join requests count as joined, $9 silent mode.
  std::string_view settings_view;
  std::string_view settings_unknown;    // $0: the setting's name as given
  std::string_view settings_bad_value;  // $0: the setting, $1: the value; with what it accepts
  std::string_view settings_changed;    // $0: the setting, $1: its new value
  std::string_view value_on;
  std::string_view value_off;
  std::string_view value_default_prompt;
  std::string_view value_until_verified;
  std::string_view value_keep_prompt;
  std::string_view value_none;
  std::string_view exempt_usage;
  std::string_view exempted;             // $0: the user id
  std::string_view unexempted;           // $0
  std::string_view not_exempted;         // $0
  std::string_view apikey_issued;        // $0: the owner's new admin API key
  std::string_view apikey_private_only;  // /apikey sent in a group
  // To a protected group's owner, in private, when the bot's standing broke protection (my_chat_member):
  std::string_view owner_bot_removed;        // $0: the group's title
  std::string_view owner_bot_rights;         // $0: the group's title, $1: the missing rights
  std::string_view owner_bot_channel_admin;  // $0: the channel's name, $1: the group's title
  // /status, after status_on: silent mode, and the group's last permanent errors from Telegram.
  std::string_view status_silent;
  std::string_view status_errors;  // $0: one status_error a line
  std::string_view status_error;   // $0: when (UTC), $1: the Bot API method, $2: Telegram's description
  // /verifyall. Its start message is edited with the progress, then with the summary.
  std::string_view verifyall_started;   // $0: the seen members to check
  std::string_view verifyall_running;   // $0: checked, $1: total, $2: restricted
  std::string_view verifyall_progress;  // $0: checked, $1: total, $2: restricted
  std::string_view verifyall_summary;   // $0: checked, $1: restricted
  // /protect in a basic group, where Telegram lets bots delete but not mute (docs/usage.md).
  std::string_view protected_basic_group;  // $0: the channels
  // /monitor, in private (services/verifier/monitors/monitor_commands.cc).
  std::string_view monitor_help;
  std::string_view monitor_added;      // $0: the monitor described
  std::string_view monitor_removed;    // $0: the monitor's id
  std::string_view monitor_not_yours;  // $0: the id as given
  std::string_view monitor_list;       // $0: the monitors described, one a line
  std::string_view monitor_list_empty;
  std::string_view monitor_status;  // $0: how many monitors, $1: one monitor_status_chat a line
  std::string_view monitor_status_empty;
  // $0: chat id, $1: title, $2: monitor_ready or monitor_not_ready, $3: the bot's status, $4: sent,
  // $5: failed, $6: reliability, $7: monitor_status_held and monitor_status_error when they apply.
  std::string_view monitor_status_chat;
  std::string_view monitor_ready;
  std::string_view monitor_not_ready;     // $0: why (docs/monitors.md)
  std::string_view monitor_bot_unknown;   // the bot's status when Telegram did not tell
  std::string_view monitor_status_held;   // $0: posts held
  std::string_view monitor_status_error;  // $0: the last error
  std::string_view monitor_same_chat;
  std::string_view monitor_bad_ref;          // $0: the argument as given
  std::string_view monitor_not_found;        // $0
  std::string_view monitor_not_a_source;     // $0
  std::string_view monitor_user_not_admin;   // $0
  std::string_view monitor_bot_source;       // $0: make the bot an admin of the source
  std::string_view monitor_bot_dest_admin;   // $0: make the bot an admin of the destination channel
  std::string_view monitor_bot_dest_member;  // $0: make the bot a member of the destination group
  std::string_view monitor_add_usage;        // a malformed /monitor add, before monitor_help
  std::string_view monitor_remove_usage;
  std::string_view monitor_need_dest;
  std::string_view monitor_bad_media;
  std::string_view monitor_unknown_option;  // $0: the option as given
};

// The languages with a catalogue; /settings language accepts only these.
bool HasCatalogue(std::string_view language);
const Catalogue& CatalogueFor(std::string_view language);
// For a private reply: the user's Telegram language_code ("es", "es-AR", ...); English unless it is
// Spanish.
const Catalogue& CatalogueForUser(std::string_view language_code);
// The group's language, English when the group has no configuration.
const Catalogue& CatalogueOf(const GroupConfig* config);

// "@name" for a public channel, its title otherwise.
std::string ChannelName(const LinkedChannel& channel);
// The channels' names joined with ", ".
std::string ChannelNames(const std::vector<LinkedChannel>& channels);
// Text made safe for parse_mode HTML.
std::string HtmlEscape(std::string_view text);

}  // namespace subguard::verifier::decide
