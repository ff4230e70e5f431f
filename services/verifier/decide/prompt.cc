#include "services/verifier/decide/prompt.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/substitute.h"
#include "common/base/strings.h"
#include "common/prompts/users_marker.h"
#include "services/verifier/decide/event.h"
#include "services/verifier/decide/messages.h"

namespace subguard::verifier::decide {
namespace {

std::string Mention(const v1::User& user) {
  std::string name = absl::StrCat(user.first_name(), user.last_name().empty() ? "" : " ", user.last_name());
  if (name.empty()) name = user.username().empty() ? absl::StrCat(user.id()) : user.username();
  return absl::StrCat("<a href=\"tg://user?id=", user.id(), "\">", HtmlEscape(name), "</a>");
}

// t.me/<username> for a public channel, else its invite link; "" when there is neither.
std::string ChannelUrl(const LinkedChannel& channel) {
  if (!channel.username.empty()) return absl::StrCat("https://t.me/", channel.username);
  return channel.invite_link;
}

}  // namespace

v1::SendMessage RenderPrompt(const GroupConfig& config, const v1::User& user,
                             const std::vector<LinkedChannel>& missing) {
  const Catalogue& catalogue = CatalogueFor(config.language);
  const std::string template_text =
      config.prompt_template.empty() ? std::string(catalogue.prompt) : config.prompt_template;
  const std::string channels = HtmlEscape(ChannelNames(missing));
  const auto naming = [&](const std::string& users) {
    return absl::StrReplaceAll(HtmlEscape(template_text), {{"{user}", users}, {"{channels}", channels}});
  };
  const std::string mention = Mention(user);

  v1::SendMessage message;
  message.set_parse_mode("HTML");
  message.set_text(naming(mention));
  for (const LinkedChannel& channel : missing) {
    const std::string url = ChannelUrl(channel);
    if (url.empty()) continue;
    v1::InlineButton* button = message.add_keyboard()->add_buttons();
    button->set_text(absl::Substitute(base::ToAbsl(catalogue.button_join), ChannelName(channel)));
    button->set_url(url);
  }
  v1::InlineButton* joined = message.add_keyboard()->add_buttons();
  joined->set_text(std::string(catalogue.button_joined));
  joined->set_callback_data(CheckCallbackData(user.id()));
  v1::PromptBatch& batch = *message.mutable_batch();
  batch.set_user_id(user.id());
  batch.set_mention(mention);
  batch.set_text(naming(std::string(prompts::kUsersMarker)));
  batch.set_callback_data(joined->callback_data());
  batch.set_shared_callback_data(CheckCallbackData(kAnyNamedUser));
  message.set_delete_after_seconds(static_cast<uint32_t>(absl::ToInt64Seconds(config.prompt_delete_after)));
  return message;
}

}  // namespace subguard::verifier::decide
