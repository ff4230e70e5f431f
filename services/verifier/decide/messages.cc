#include "services/verifier/decide/messages.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

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
        "Commands in the group (admins only): /protect, /unprotect, /status, /help.",
    .help_group =
        "Admins: /protect @channel makes members join the channel before writing here; /status shows the "
        "setup; /unprotect switches it off. I need to be an admin here (Ban users, Delete messages) and in "
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
    .status_on = "Protection is on.\nChannels:\n$0\n$1",
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
};

}  // namespace

const Catalogue& CatalogueFor(std::string_view /*language*/) { return kEnglish; }

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
