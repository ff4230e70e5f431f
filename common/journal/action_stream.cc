#include "common/journal/action_stream.h"

namespace subguard::journal {

bool IsUrgent(const v1::Action& action) {
  switch (action.priority()) {
    case v1::ACTION_PRIORITY_URGENT:
      return true;
    case v1::ACTION_PRIORITY_ROUTINE:
      return false;
    default:
      break;
  }
  switch (action.kind_case()) {
    case v1::Action::kRestrictMember:
    case v1::Action::kLiftRestriction:
    case v1::Action::kAnswerCallback:
    case v1::Action::kBanMember:
    case v1::Action::kUnbanMember:
      return true;
    default:
      return false;
  }
}

}  // namespace subguard::journal
