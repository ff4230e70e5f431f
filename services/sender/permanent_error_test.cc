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

}  // namespace
}  // namespace subguard::sender
