// What a source's post means for its monitors: which destinations get it, and whether it is recorded.
// Pure.
//
// Action ids are decide::ActionId(update_id, "<mode>" or "<mode>_edit", dest, message_id), so a
// redelivered update yields the same ids and the sender's done marks deliver it once per destination.
// The actions of one post keep the monitors' order; each destination's actions run in order (the
// destination is their ordering key), so an album's parts arrive in the order the source posted them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "services/verifier/monitors/types.h"
#include "subguard/v1/action.pb.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::monitors {

// The monitor's filters (text contains, media kind) and, for an edit, its edit setting. A service
// message (a pin, a title change, an upgrade, ...) is never taken: Telegram refuses to forward or
// copy one.
bool Takes(const Monitor& monitor, const v1::Message& post, bool edited);

// One forwardMessage or copyMessage per forward/copy monitor that takes the post.
std::vector<v1::Action> PostActions(int64_t update_id, const v1::Message& post, bool edited,
                                    const std::vector<Monitor>& monitors);

// Whether a record monitor takes the post (record mode stores edits as well).
bool ShouldRecord(const v1::Message& post, const std::vector<Monitor>& monitors);

// One part of an album (album_store.h), with the update it came in.
struct AlbumPart {
  int64_t update_id = 0;
  v1::Message post;
};

// One forwardMessages (copyMessages for copy) per forward/copy monitor that takes any of the parts
// (parts: one album, by message id), carrying every part in order. Its id is
// decide::ActionId(first part's update_id, "<mode>_album", dest, first part's message_id), so every
// answer to the album's update, on any verifier, yields the same ids.
std::vector<v1::Action> AlbumActions(const std::vector<AlbumPart>& parts, const std::vector<Monitor>& monitors);

// The source and mode a forward, copy or album action was made for (its destination is its chat_id);
// nullopt for other kinds.
struct ActionSource {
  int64_t source_chat_id = 0;
  Mode mode = Mode::kForward;
};
std::optional<ActionSource> SourceOf(const v1::Action& action);

// Whether a refused delivery's post can never be sent (400 "message can't be forwarded/copied", or
// the source message is gone): it is dropped, not held, and its destination does not cool down.
bool Unsendable(int error_code, std::string_view description);

// Whether a held action still has its monitor among monitors (the destination's): a removed
// monitor's held posts are not sent.
bool HasMonitor(const v1::Action& action, const std::vector<Monitor>& monitors);

}  // namespace subguard::verifier::monitors
