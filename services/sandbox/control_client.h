// ControlClient: a C++ client of the sandbox's control API (control_api.h), for tests, benchmarks and the
// quick-start story. It scripts the world and reads what the bot did, over real HTTP.
//
// Errors: a transport failure is the HttpClient's Status; a refused call is a Status chosen by the HTTP
// status (400 kInvalidArgument, 403 kPermissionDenied, 404 kNotFound, 409 kFailedPrecondition,
// 507 kResourceExhausted) carrying the sandbox's description.
// Not thread-safe: one client per thread (it owns one keep-alive connection).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/http/client.h"

namespace subguard::sandbox {

struct UserSpec {
  int64_t id = 0;
  std::string first_name;  // "" lets the sandbox name the user "User <id>"
  std::string username;
  std::string last_name;
  bool is_bot = false;
};

struct ChatSpec {
  int64_t id = 0;
  std::string type = "supergroup";  // private, group, supergroup, channel
  std::string title;
  std::string username;
  int64_t linked_chat_id = 0;
  boost::json::object permissions;  // the group's default permission fields that differ from the sandbox's
};

// A member's state, for SetMember. fields holds the rest: administrator rights (can_restrict_members...),
// permission fields for "restricted", until_date, is_member, is_anonymous, custom_title, actor_id.
struct MemberSpec {
  int64_t chat_id = 0;
  int64_t user_id = 0;
  std::string status = "member";  // creator, administrator, member, restricted, left, kicked
  boost::json::object fields;
};

// update_id is 0 when the bot does not receive the update.
struct EventResult {
  int64_t update_id = 0;
  int64_t message_id = 0;          // join/leave in groups: the service message; send: the message
  int64_t message_update_id = 0;   // join/leave in groups
  int64_t forward_message_id = 0;  // send in a channel with a discussion group: the automatic forward
};

struct AlbumResult {
  std::string media_group_id;
  std::vector<int64_t> message_ids;  // the parts, in order
  std::vector<int64_t> update_ids;   // each part's update (0 when the bot does not see the chat)
};

struct SendOptions {
  int64_t reply_to_message_id = 0;
  int64_t sender_chat_id = 0;  // write as the group (anonymous admin) or as its linked channel
};

struct PressResult {
  std::string callback_query_id;
  int64_t update_id = 0;
};

struct CallbackAnswer {
  bool answered = false;
  std::string text;
  bool show_alert = false;
  std::string url;
};

class ControlClient {
 public:
  // base_url is the sandbox's, e.g. "http://127.0.0.1:8081".
  explicit ControlClient(std::string base_url, absl::Duration timeout = absl::Seconds(10));

  absl::Status Reset();
  absl::Status AddUser(const UserSpec& user);
  absl::Status AddChat(const ChatSpec& chat);
  absl::StatusOr<EventResult> SetMember(const MemberSpec& member);

  absl::StatusOr<EventResult> Join(int64_t chat_id, int64_t user_id);
  absl::StatusOr<EventResult> Leave(int64_t chat_id, int64_t user_id);
  // A request to join chat_id (approval required); only update_id is set.
  absl::StatusOr<EventResult> RequestJoin(int64_t chat_id, int64_t user_id);
  absl::StatusOr<EventResult> Send(int64_t chat_id, int64_t user_id, std::string_view text,
                                   const SendOptions& options = {});
  // Posts an album of parts photos (2..10) in chat_id, the first captioned, as consecutive messages.
  absl::StatusOr<AlbumResult> PostAlbum(int64_t chat_id, int64_t user_id, int parts, std::string_view caption);
  // button: the index of the button counted row by row from 0; -1 for the first callback button.
  absl::StatusOr<PressResult> Press(int64_t chat_id, int64_t message_id, int64_t user_id, int button = -1);

  // The call log: records with seq > since, of one method ("" for all).
  absl::StatusOr<boost::json::array> Calls(std::string_view method = "", int64_t since = 0);
  // The Bot API ChatMember of user_id in chat_id, as the sandbox holds it.
  absl::StatusOr<boost::json::object> Member(int64_t chat_id, int64_t user_id);
  // The chat's messages (the bot's too), each a Bot API Message plus "deleted" and "outgoing".
  absl::StatusOr<boost::json::array> Messages(int64_t chat_id);
  absl::StatusOr<CallbackAnswer> GetCallbackAnswer(std::string_view callback_query_id);

  // Any control endpoint: the reply's fields on success.
  absl::StatusOr<boost::json::object> Post(std::string_view path, const boost::json::object& body);
  absl::StatusOr<boost::json::object> Get(std::string_view path_and_query);

 private:
  const std::string base_url_;
  const absl::Duration timeout_;
  http::HttpClient http_;
};

}  // namespace subguard::sandbox
