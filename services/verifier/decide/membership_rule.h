// The Bot API server's membership rule: creator, administrator and member are members; restricted
// counts only with is_member; left and kicked are not. Pure.
#pragma once

#include "services/verifier/decide/types.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::decide {

MemberStatus StatusOf(const v1::ChatMember& member);

}  // namespace subguard::verifier::decide
