#include "services/story/story.h"

#include <boost/json/serialize.hpp>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "services/sandbox/control_client.h"

namespace subguard::story {
namespace {

using boost::json::array;
using boost::json::object;

class Scene {
 public:
  Scene(const StoryOptions& options, int64_t bot_id)
      : options_(options), bot_id_(bot_id), control_(options.sandbox_url) {}

  absl::Status SetUp() {
    RETURN_IF_ERROR(control_.Reset());
    RETURN_IF_ERROR(control_.AddUser({.id = kAlice, .first_name = "Alice", .username = "alice_a"}));
    RETURN_IF_ERROR(control_.AddUser({.id = kBob, .first_name = "Bob", .username = "bob_b"}));
    RETURN_IF_ERROR(control_.AddUser({.id = kCarol, .first_name = "Carol", .username = "carol_c"}));
    RETURN_IF_ERROR(control_.AddChat({.id = kGroup, .type = "supergroup", .title = "Demo Group"}));
    RETURN_IF_ERROR(
        control_.AddChat({.id = kChannel, .type = "channel", .title = "Demo Channel", .username = kChannelUsername}));
    const object admin_rights = {{"can_restrict_members", true}, {"can_delete_messages", true},
                                 {"can_invite_users", true},     {"can_manage_chat", true},
                                 {"can_post_messages", true},    {"can_change_info", true}};
    RETURN_IF_ERROR(control_.SetMember({.chat_id = kGroup, .user_id = kAlice, .status = "creator"}).status());
    RETURN_IF_ERROR(control_.SetMember({kGroup, bot_id_, "administrator", admin_rights}).status());
    RETURN_IF_ERROR(control_.SetMember({kChannel, bot_id_, "administrator", admin_rights}).status());
    for (const int64_t user : {kBob, kCarol}) {
      RETURN_IF_ERROR(control_.SetMember({.chat_id = kGroup, .user_id = user, .status = "member"}).status());
    }
    return control_.SetMember({.chat_id = kChannel, .user_id = kBob, .status = "member"}).status();
  }

  // Waits until condition() returns true; fails with what() when the step timeout passes.
  template <typename Condition>
  absl::Status Await(const std::string& step, Condition condition) {
    const absl::Time deadline = absl::Now() + options_.step_timeout;
    std::string last_error;
    while (absl::Now() < deadline) {
      absl::StatusOr<bool> done = condition();
      if (done.ok() && *done) return absl::OkStatus();
      if (!done.ok()) last_error = done.status().ToString();
      absl::SleepFor(absl::Milliseconds(50));
    }
    return absl::DeadlineExceededError(absl::StrCat("step '", step, "' did not happen within ",
                                                    absl::FormatDuration(options_.step_timeout),
                                                    last_error.empty() ? "" : ": " + last_error));
  }

  // The bot's calls of method for user_id in the group, after the call log's sequence number since.
  absl::StatusOr<int> CountCalls(std::string_view method, int64_t user_id, int64_t since = 0) {
    ASSIGN_OR_RETURN(array calls, control_.Calls(method, since));
    int count = 0;
    for (const auto& call : calls) {
      const object& params = call.as_object().at("params").as_object();
      if (call.as_object().at("ok").as_bool() && ParamInt(params, "user_id") == user_id &&
          ParamInt(params, "chat_id") == kGroup) {
        ++count;
      }
    }
    return count;
  }

  // The newest outgoing message of the bot in the group after message id after, or null.
  absl::StatusOr<object> NewestBotMessage(int64_t after) {
    ASSIGN_OR_RETURN(array messages, control_.Messages(kGroup));
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
      const object& message = it->as_object();
      if (message.at("outgoing").as_bool() && !message.at("deleted").as_bool() &&
          message.at("message_id").as_int64() > after) {
        return message;
      }
    }
    return object();
  }

  absl::StatusOr<bool> CanWrite(int64_t user_id) {
    ASSIGN_OR_RETURN(object member, control_.Member(kGroup, user_id));
    const std::string status(member.at("status").as_string());
    if (status == "member" || status == "administrator" || status == "creator") return true;
    return status == "restricted" && member.at("can_send_messages").as_bool();
  }

  absl::StatusOr<int64_t> LastCallSeq() {
    ASSIGN_OR_RETURN(array calls, control_.Calls());
    return calls.empty() ? 0 : calls.back().as_object().at("seq").as_int64();
  }

  sandbox::ControlClient& control() { return control_; }

 private:
  // Bot API parameters arrive as JSON numbers or as strings (form encoding).
  static int64_t ParamInt(const object& params, std::string_view key) {
    const auto* value = params.if_contains(key);
    if (value == nullptr) return 0;
    if (value->is_int64()) return value->as_int64();
    int64_t parsed = 0;
    if (value->is_string() && absl::SimpleAtoi(std::string(value->as_string()), &parsed)) return parsed;
    return 0;
  }

  const StoryOptions& options_;
  const int64_t bot_id_;
  sandbox::ControlClient control_;
};

}  // namespace

absl::Status PlayStory(const StoryOptions& options, const std::function<void(const std::string&)>& report) {
  int64_t bot_id = 0;
  if (!absl::SimpleAtoi(options.bot_token.substr(0, options.bot_token.find(':')), &bot_id)) {
    return absl::InvalidArgumentError("the bot token does not start with the bot's id");
  }
  Scene scene(options, bot_id);
  sandbox::ControlClient& control = scene.control();
  RETURN_IF_ERROR(scene.SetUp());
  report("1. the world: Alice owns 'Demo Group'; the bot administers it and @demo_channel; Bob has joined the "
         "channel, Carol has not");

  ASSIGN_OR_RETURN(sandbox::EventResult protect, control.Send(kGroup, kAlice, "/protect @demo_channel"));
  RETURN_IF_ERROR(scene.Await("the bot confirms /protect", [&]() -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(object reply, scene.NewestBotMessage(protect.message_id));
    return !reply.empty() && absl::StrContains(std::string(reply.at("text").as_string()), kChannelUsername);
  }));
  ASSIGN_OR_RETURN(object confirmation, scene.NewestBotMessage(protect.message_id));
  report(absl::StrCat("2. Alice: /protect @demo_channel -> bot: \"", std::string(confirmation.at("text").as_string()),
                      "\""));

  ASSIGN_OR_RETURN(sandbox::EventResult bob, control.Send(kGroup, kBob, "hello, I follow the channel"));
  ASSIGN_OR_RETURN(sandbox::EventResult carol, control.Send(kGroup, kCarol, "hi all"));
  RETURN_IF_ERROR(scene.Await("Carol is restricted and prompted", [&]() -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(int restricted, scene.CountCalls("restrictChatMember", kCarol));
    ASSIGN_OR_RETURN(object prompt, scene.NewestBotMessage(carol.message_id));
    ASSIGN_OR_RETURN(bool can_write, scene.CanWrite(kCarol));
    return restricted == 1 && !can_write && prompt.contains("reply_markup");
  }));
  // One chat's updates are handled in order, so Bob's message was decided before Carol's.
  ASSIGN_OR_RETURN(int bob_restricted, scene.CountCalls("restrictChatMember", kBob));
  if (bob_restricted != 0) return absl::InternalError("Bob, a channel member, was restricted");
  report(absl::StrCat("3. Bob writes (message ", bob.message_id, "): nothing happens"));
  ASSIGN_OR_RETURN(object prompt, scene.NewestBotMessage(carol.message_id));
  const int64_t prompt_id = prompt.at("message_id").as_int64();
  report(absl::StrCat("4. Carol writes: restricted, and prompted: \"", std::string(prompt.at("text").as_string()),
                      "\""));

  ASSIGN_OR_RETURN(sandbox::PressResult early, control.Press(kGroup, prompt_id, kCarol));
  sandbox::CallbackAnswer early_answer;
  RETURN_IF_ERROR(scene.Await("the early button press is answered", [&]() -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(early_answer, control.GetCallbackAnswer(early.callback_query_id));
    return early_answer.answered;
  }));
  ASSIGN_OR_RETURN(bool early_write, scene.CanWrite(kCarol));
  if (early_write) return absl::InternalError("Carol was unrestricted before joining the channel");
  if (!absl::StrContains(early_answer.text, kChannelUsername) && !absl::StrContains(early_answer.text, "Demo Channel")) {
    return absl::InternalError(absl::StrCat("the answer does not name the missing channel: ", early_answer.text));
  }
  report(absl::StrCat("5. Carol presses \"I have joined\" before joining -> \"", early_answer.text,
                      "\"; still restricted"));

  RETURN_IF_ERROR(control.Join(kChannel, kCarol).status());
  ASSIGN_OR_RETURN(sandbox::PressResult joined, control.Press(kGroup, prompt_id, kCarol));
  RETURN_IF_ERROR(scene.Await("Carol's restriction is lifted", [&]() -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(sandbox::CallbackAnswer answer, control.GetCallbackAnswer(joined.callback_query_id));
    ASSIGN_OR_RETURN(bool can_write, scene.CanWrite(kCarol));
    return answer.answered && can_write;
  }));
  RETURN_IF_ERROR(control.Send(kGroup, kCarol, "thanks, joined!").status());
  report("6. Carol joins the channel and presses again: the restriction is lifted, and she writes");

  ASSIGN_OR_RETURN(int64_t before_leave, scene.LastCallSeq());
  RETURN_IF_ERROR(control.Leave(kChannel, kCarol).status());
  RETURN_IF_ERROR(scene.Await("Carol is restricted again after leaving", [&]() -> absl::StatusOr<bool> {
    // Restricted at once on the leave, or on her next message: either way, once.
    ASSIGN_OR_RETURN(bool can_write, scene.CanWrite(kCarol));
    if (can_write) {
      (void)control.Send(kGroup, kCarol, "am I still in?");
      return false;
    }
    ASSIGN_OR_RETURN(int restricted, scene.CountCalls("restrictChatMember", kCarol, before_leave));
    return restricted >= 1;
  }));
  report("7. Carol leaves the channel: her cached membership is dropped and she is restricted again");
  return absl::OkStatus();
}

}  // namespace subguard::story
