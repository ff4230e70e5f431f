#include "services/verifier/decide/membership_rule.h"

namespace subguard::verifier::decide {

MemberStatus StatusOf(const v1::ChatMember& member) {
  const std::string& status = member.status();
  if (status == "creator" || status == "administrator") return MemberStatus::kAdmin;
  if (status == "member") return MemberStatus::kMember;
  if (status == "restricted") return member.is_member() ? MemberStatus::kMember : MemberStatus::kNotMember;
  if (status == "left" || status == "kicked") return MemberStatus::kNotMember;
  return MemberStatus::kUnknown;
}

}  // namespace subguard::verifier::decide
