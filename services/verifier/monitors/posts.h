// What a source's post means for its monitors: which destinations get it, and whether it is recorded.
// Pure.
//
// Action ids are decide::ActionId(update_id, "<mode>" or "<mode>_edit", dest, message_id), so a
// redelivered update yields the same ids and the sender's done marks deliver it once per destination.
// The actions of one post keep the monitors' order; each destination's actions run in order (the
// destination is their ordering key), so an album's parts arrive in the order the source posted them.
#pragma once

#include <cstdint>
#include <vector>

#include "services/verifier/monitors/types.h"
#include "subguard/v1/action.pb.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::monitors {

// The monitor's filters (text contains, media kind) and, for an edit, its edit setting.
bool Takes(const Monitor& monitor, const v1::Message& post, bool edited);

// One forwardMessage or copyMessage per forward/copy monitor that takes the post.
std::vector<v1::Action> PostActions(int64_t update_id, const v1::Message& post, bool edited,
                                    const std::vector<Monitor>& monitors);

// Whether a record monitor takes the post (record mode stores edits as well).
bool ShouldRecord(const v1::Message& post, const std::vector<Monitor>& monitors);

}  // namespace subguard::verifier::monitors
