// The rights end-to-end tests give the bot (and admins) in a sandbox chat: every right subguard
// uses, in groups (restrict, delete, invite) and channels (post), for ControlClient::SetMember.
#pragma once

#include <boost/json/object.hpp>

namespace subguard::e2e {

inline const boost::json::object& AdminRights() {
  static const boost::json::object rights = {{"can_restrict_members", true}, {"can_delete_messages", true},
                                             {"can_invite_users", true},     {"can_manage_chat", true},
                                             {"can_post_messages", true},    {"can_change_info", true}};
  return rights;
}

}  // namespace subguard::e2e
