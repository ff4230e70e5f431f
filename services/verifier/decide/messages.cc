#include "services/verifier/decide/messages.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/verifier/decide/catalogue_es.h"

namespace subguard::verifier::decide {
namespace {

constexpr Catalogue kEnglish = {
    .help_private =
        "I keep a group for the members of your channels: someone who writes there without having joined "
        "them is muted and asked to join first.\n\n"
        "Set up:\n"
        "1. Add me to your group as an admin with the rights \"Ban users\" and \"Delete messages\".\n"
        "2. Add me to each channel as an admin, so I can see who joined.\n"
        "3. In the group, send /protect @yourchannel (several channels are fine).\n\n"
        "Commands in the group (admins only): /protect, /unprotect, /status, /settings, /exempt, /unexempt, "
        "/verifyall, /help.",
    .help_group =
        "Admins: /protect @channel makes members join the channel before writing here; /status shows the "
        "setup; /settings shows and changes what happens to non-members; /exempt <user id> lets someone "
        "write without joining; /verifyall re-checks every member I have seen here; /unprotect switches it off. "
        "I need to be an admin here (Ban users, Delete messages) "
        "and in "
        "each channel.",
    .use_in_group = "Send this command in the group you want to protect.",
    .need_supergroup =
        "This works in supergroups only. Make the group public once, or change its history "
        "setting, and Telegram upgrades it; then try again.",
    .not_admin = "Only the group's admins can use this command.",
    .protect_usage = "Usage: /protect @channel [@channel2 ...]",
    .bot_needs_rights = "I need to be an admin here with these rights: $0.",
    .right_restrict = "Ban users",
    .right_delete = "Delete messages",
    .channel_bad_ref = "$0 is not a channel I can look up: send its @username, t.me link or numeric id.",
    .channel_not_found = "I can't see $0. Add me to it as an admin, then try again.",
    .channel_wrong_type = "$0 is not a channel.",
    .channel_bot_not_admin = "I'm not an admin in $0. Add me there as an admin so I can see who joined.",
    .protect_failed = "Protection is not on yet:\n$0",
    .protected_ok = "Protection is on. Members must join $0 before writing here.",
    .unprotected = "Protection is off. The settings are kept: /protect turns it on again.",
    .not_protected = "This group is not protected. Send /protect @channel to start.",
    .status_on = "Protection is on.\nChannels:\n$0\n$1\nMuted by me and not yet verified: $2.",
    .status_off = "Protection is off.",
    .status_channel_ok = "• $0: ok",
    .status_channel_unseen = "• $0: I can't see it; add me there as an admin",
    .status_channel_not_admin = "• $0: I'm not an admin there; members can't be checked",
    .status_rights_ok = "My rights here: ok.",
    .status_rights_missing = "My rights here: missing $0.",
    .prompt = "{user}, to write in this group, please join {channels} first, then press the button below.",
    .button_joined = "I have joined",
    .button_join = "Join $0",
    .check_not_for_you = "This button is not for you.",
    .check_missing = "You have not joined $0 yet.",
    .check_verified = "Thanks! You can write in the group now.",
    .check_bot_not_admin =
        "I can't lift restrictions here any more: I'm no longer an admin with \"Ban users\". Please ask the "
        "group's admins.",
    .settings_view =
        "Settings:\n"
        "• policy: $0\n"
        "• prompt: $1\n"
        "• prompt_delete: $2\n"
        "• mute: $3\n"
        "• join: $4\n"
        "• join_requests: $8\n"
        "• bots: $5\n"
        "• silent: $9\n"
        "• language: $6\n"
        "Exempted users: $7\n\n"
        "Change one with /settings <name> <value>:\n"
        "policy mute | delete | mute_and_delete | kick\n"
        "prompt <text with {user} and {channels}> | default\n"
        "prompt_delete <seconds, e.g. 60 or 5m> | off\n"
        "mute until_verified | <time, e.g. 30m, 12h, 7d>\n"
        "join on | off (check new members when they join)\n"
        "join_requests on | off (a pending request to join a channel counts as joined)\n"
        "bots on | off (apply the policy to other bots)\n"
        "silent on | off (restrict without any message; joining the channels lifts the mute)\n"
        "language en | es",
    .settings_unknown = "There is no setting \"$0\". Send /settings to see them all.",
    .settings_bad_value = "\"$1\" is not a value for $0. Send /settings to see what it takes.",
    .settings_changed = "Done: $0 is now $1.",
    .value_on = "on",
    .value_off = "off",
    .value_default_prompt = "default",
    .value_until_verified = "until verified",
    .value_keep_prompt = "off (kept until the user verifies)",
    .value_none = "none",
    .exempt_usage =
        "Usage: /exempt <user id>, or reply /exempt to the user's message (/unexempt the same way). Exempted "
        "users may write without joining.",
    .exempted = "User $0 is exempted: I will never restrict them here.",
    .unexempted = "User $0 is no longer exempted.",
    .not_exempted = "User $0 was not exempted.",
    .apikey_issued =
        "Your admin API key (it replaces any earlier one; keep it secret):\n$0\n\nSend it as \"authorization: "
        "Bearer <key>\" with each call. It reaches only the groups you protected and the monitors you added.",
    .apikey_private_only = "Send /apikey to me in a private chat: a key must not be shown in a group.",
    .owner_bot_removed =
        "I was removed from \"$0\" or am no longer an admin there, so it is not protected any more. Add me back as "
        "an admin with \"Ban users\" and \"Delete messages\".",
    .owner_bot_rights =
        "In \"$0\" I'm missing these rights: $1. Protection there does not work until I have them again.",
    .owner_bot_channel_admin =
        "I'm no longer an admin in $0, so I can't see who joined it and members of \"$1\" can't be verified. "
        "Add me to $0 as an admin again.",
    .status_silent = "Silent mode is on: non-members are restricted without a message; joining lifts it.",
    .status_errors = "Last errors from Telegram:\n$0",
    .status_error = "• $0 UTC, $1: $2",
    .verifyall_started =
        "Checking the $0 members I have seen here against the linked channels. Whoever is not subscribed is "
        "treated as if they had just written. This message shows the progress.",
    .verifyall_running = "A check is already running: $0 of $1 members checked, $2 restricted.",
    .verifyall_progress = "Checking the members I have seen here: $0 of $1 checked, $2 restricted so far.",
    .verifyall_summary = "Check finished: checked $0, restricted $1.",
    .protected_basic_group =
        "Protection is on. Members must join $0 before writing here. This is a basic group, where Telegram lets "
        "bots delete messages but not mute: until it becomes a supergroup, I delete non-members' messages and "
        "ask them to join. Every setting carries over when Telegram upgrades the group.",
    .monitor_help =
        "Forward monitors:\n"
        "/monitor add <source> <destination> [forward|copy] [edits] [contains:<text>] [media:any|text|media]\n"
        "/monitor add <source> record\n"
        "/monitor list\n"
        "/monitor remove <id>\n"
        "/monitor status",
    .monitor_added = "Monitor added: $0",
    .monitor_removed = "Monitor #$0 removed.",
    .monitor_not_yours = "You have no monitor #$0.",
    .monitor_list = "Your monitors:\n$0",
    .monitor_list_empty = "You have no monitors. /monitor add <source> <destination>",
    .monitor_status = "$0 monitor(s). Chats:\n$1",
    .monitor_status_empty = "You have no monitors.",
    .monitor_status_chat = "$0 $1: $2 (bot: $3, sent $4, failed $5, reliability $6$7)",
    .monitor_ready = "ready",
    .monitor_not_ready = "not ready, $0",
    .monitor_bot_unknown = "unknown",
    .monitor_status_held = ", held $0",
    .monitor_status_error = ", last error: $0",
    .monitor_same_chat = "The source and the destination are the same chat.",
    .monitor_bad_ref = "$0 is not a chat I can look up (@name or id).",
    .monitor_not_found = "I can't find $0.",
    .monitor_not_a_source = "$0 is not a channel or a group: only those can be sources.",
    .monitor_user_not_admin = "You must be an administrator of $0.",
    .monitor_bot_source = "Make me an administrator of $0 so I see its messages.",
    .monitor_bot_dest_admin = "Make me an administrator of $0 so I can post there.",
    .monitor_bot_dest_member = "Make me a member of $0 so I can post there.",
    .monitor_add_usage = "usage: /monitor add <source> <destination> [forward|copy|record]",
    .monitor_remove_usage = "usage: /monitor remove <id>",
    .monitor_need_dest = "forward and copy need a destination chat",
    .monitor_bad_media = "media: takes any, text or media",
    .monitor_unknown_option = "unknown option $0",
};

}  // namespace

bool HasCatalogue(std::string_view language) { return language == "en" || language == "es"; }

const Catalogue& CatalogueFor(std::string_view language) { return language == "es" ? SpanishCatalogue() : kEnglish; }

const Catalogue& CatalogueForUser(std::string_view language_code) {
  return CatalogueFor(language_code.substr(0, 2) == "es" ? "es" : "en");
}

const Catalogue& CatalogueOf(const GroupConfig* config) {
  return CatalogueFor(config != nullptr ? std::string_view(config->language) : std::string_view("en"));
}

std::string ChannelName(const LinkedChannel& channel) {
  if (!channel.username.empty()) return absl::StrCat("@", channel.username);
  if (!channel.title.empty()) return channel.title;
  return absl::StrCat(channel.id);
}

std::string ChannelNames(const std::vector<LinkedChannel>& channels) {
  return absl::StrJoin(channels, ", ",
                       [](std::string* out, const LinkedChannel& channel) { out->append(ChannelName(channel)); });
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace subguard::verifier::decide
