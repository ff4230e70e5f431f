#include "services/sender/permanent_error.h"

#include <string>

#include "common/telegram/errors.h"
#include "gtest/gtest.h"

namespace subguard::sender {
namespace {

absl::Status Reply(int code, const char* description) {
  return telegram::ClassifyError(code, std::string(R"({"ok":false,"error_code":)") + std::to_string(code) +
                                           R"(,"description":")" + description + R"("})");
}

TEST(PermanentErrorTest, NamesTheCauseFromTelegramsDescription) {
  EXPECT_EQ(PermanentErrorReason(Reply(400, "Bad Request: not enough rights to restrict/unrestrict chat member")),
            "not_enough_rights");
  EXPECT_EQ(PermanentErrorReason(Reply(400, "Bad Request: chat not found")), "chat_not_found");
  EXPECT_EQ(PermanentErrorReason(Reply(400, "Bad Request: user not found")), "user_not_found");
  EXPECT_EQ(PermanentErrorReason(Reply(400, "Bad Request: message text is empty")), "bad_request");
  EXPECT_EQ(PermanentErrorReason(Reply(403, "Forbidden: bot was kicked from the supergroup chat")), "forbidden");
}

TEST(PermanentErrorTest, AnythingElseIsOther) {
  EXPECT_EQ(PermanentErrorReason(absl::InvalidArgumentError("action has no kind")), "other");
  EXPECT_EQ(PermanentErrorReason(Reply(409, "Conflict")), "other");
}

TEST(PermanentErrorTest, DescribesTheRefusalForTheAuditLog) {
  v1::Action restrict;
  restrict.set_id("7:restrict:-100:5");
  restrict.set_chat_id(-100);
  restrict.mutable_restrict_member()->set_user_id(5);
  const absl::Time at = absl::FromUnixSeconds(1'700'000'000);
  const registry::PermanentError error =
      DescribePermanentError(restrict, "restrictChatMember",
                             Reply(400, "Bad Request: not enough rights to restrict/unrestrict chat member"), at);
  EXPECT_EQ(error.action_id, "7:restrict:-100:5");
  EXPECT_EQ(error.chat_id, -100);
  EXPECT_EQ(error.user_id, 5);
  EXPECT_EQ(error.method, "restrictChatMember");
  EXPECT_EQ(error.reason, "not_enough_rights");
  EXPECT_EQ(error.error_code, 400);
  EXPECT_EQ(error.description, "Bad Request: not enough rights to restrict/unrestrict chat member");
  EXPECT_EQ(error.at, at);

  v1::Action send;
  send.set_chat_id(-100);
  send.mutable_send_message()->set_text("hi");
  EXPECT_EQ(DescribePermanentError(send, "sendMessage", Reply(403, "Forbidden"), at).user_id, 0);
}

}  // namespace
}  // namespace subguard::sender
