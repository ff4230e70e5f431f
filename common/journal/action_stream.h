// Which of a partition's two action streams an action is journaled in (keys.h): urgent (restrict,
// lift, ban, unban, answerCallbackQuery: what stops a raider or answers a button press) or routine
// (prompts, their edits and deletions, forwards: what the chats' message limits hold back). An action's
// priority field decides; ACTION_PRIORITY_BY_KIND leaves it to its kind. Pure.
#pragma once

#include "common/journal/keys.h"
#include "subguard/v1/action.pb.h"

namespace subguard::journal {

bool IsUrgent(const v1::Action& action);

// StreamKind::kActions for urgent actions, kRoutineActions for the others.
inline StreamKind ActionStreamOf(const v1::Action& action) {
  return IsUrgent(action) ? StreamKind::kActions : StreamKind::kRoutineActions;
}

}  // namespace subguard::journal
