// Parsing /monitor commands (sent to the bot in a private chat). Pure.
//
//   /monitor add <source> <dest> [forward|copy] [edits] [contains:<text>] [media:any|text|media]
//   /monitor add <source> record [contains:<text>] [media:...]
//   /monitor list | /monitor remove <id> | /monitor status | /monitor (help)
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/verifier/decide/messages.h"
#include "services/verifier/monitors/types.h"

namespace subguard::verifier::monitors {

enum class Verb { kHelp, kAdd, kList, kRemove, kStatus };

struct MonitorCommand {
  Verb verb = Verb::kHelp;
  std::string source;      // add: as written ("@chan", "-100123", "t.me/chan")
  std::string dest;        // add: as written; "" in record mode
  Monitor spec;            // add: mode, send_edits and filters (ids are filled in later)
  int64_t monitor_id = 0;  // remove
  std::string error;       // a malformed command: what to tell the owner (verb is kHelp)
};

// True when text is "/monitor", "/monitor ..." or "/monitor@<bot_username> ..." (case-insensitive name).
bool IsMonitorCommand(std::string_view text, std::string_view bot_username);

// The command in text, which IsMonitorCommand accepted; a malformed one's error is in catalogue's
// language.
MonitorCommand ParseMonitorCommand(std::string_view text,
                                   const decide::Catalogue& catalogue = decide::CatalogueFor("en"));

}  // namespace subguard::verifier::monitors
