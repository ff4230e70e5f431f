#include "services/verifier/monitors/command.h"

#include <gtest/gtest.h>

#include "services/verifier/decide/messages.h"

namespace subguard::verifier::monitors {
namespace {

TEST(IsMonitorCommandTest, AcceptsTheCommandForThisBotOnly) {
  EXPECT_TRUE(IsMonitorCommand("/monitor", "guardbot"));
  EXPECT_TRUE(IsMonitorCommand("/monitor list", "guardbot"));
  EXPECT_TRUE(IsMonitorCommand("/monitor@GuardBot add @a @b", "guardbot"));
  EXPECT_FALSE(IsMonitorCommand("/monitor@otherbot list", "guardbot"));
  EXPECT_FALSE(IsMonitorCommand("/monitors", "guardbot"));
  EXPECT_FALSE(IsMonitorCommand("monitor list", "guardbot"));
}

TEST(ParseMonitorCommandTest, AddWithModeAndOptions) {
  const MonitorCommand command = ParseMonitorCommand("/monitor add @news -100200 copy edits contains:Sale media:media");
  EXPECT_EQ(command.verb, Verb::kAdd);
  EXPECT_EQ(command.source, "@news");
  EXPECT_EQ(command.dest, "-100200");
  EXPECT_EQ(command.spec.mode, Mode::kCopy);
  EXPECT_TRUE(command.spec.send_edits);
  EXPECT_EQ(command.spec.text_contains, "Sale");
  EXPECT_EQ(command.spec.media, MediaFilter::kMedia);
}

TEST(ParseMonitorCommandTest, AddDefaultsToForward) {
  const MonitorCommand command = ParseMonitorCommand("/monitor add @news @dest");
  EXPECT_EQ(command.verb, Verb::kAdd);
  EXPECT_EQ(command.spec.mode, Mode::kForward);
  EXPECT_FALSE(command.spec.send_edits);
}

TEST(ParseMonitorCommandTest, RecordNeedsNoDestination) {
  const MonitorCommand command = ParseMonitorCommand("/monitor add @news record");
  EXPECT_EQ(command.verb, Verb::kAdd);
  EXPECT_EQ(command.spec.mode, Mode::kRecord);
  EXPECT_EQ(command.dest, "");
}

TEST(ParseMonitorCommandTest, MalformedCommandsExplainThemselves) {
  EXPECT_EQ(ParseMonitorCommand("/monitor add @news").verb, Verb::kHelp);
  EXPECT_FALSE(ParseMonitorCommand("/monitor add @news").error.empty());
  EXPECT_FALSE(ParseMonitorCommand("/monitor add @news @d media:video").error.empty());
  EXPECT_FALSE(ParseMonitorCommand("/monitor add @news @d sideways").error.empty());
  EXPECT_FALSE(ParseMonitorCommand("/monitor remove x").error.empty());
  EXPECT_TRUE(ParseMonitorCommand("/monitor").error.empty());
  EXPECT_EQ(ParseMonitorCommand("/monitor add @news @d sideways").error, "unknown option sideways");
  EXPECT_EQ(ParseMonitorCommand("/monitor add @news @d sideways", decide::CatalogueFor("es")).error,
            "opción desconocida sideways");
}

TEST(ParseMonitorCommandTest, ListRemoveStatus) {
  EXPECT_EQ(ParseMonitorCommand("/monitor list").verb, Verb::kList);
  EXPECT_EQ(ParseMonitorCommand("/monitor status").verb, Verb::kStatus);
  const MonitorCommand remove = ParseMonitorCommand("/monitor remove 12");
  EXPECT_EQ(remove.verb, Verb::kRemove);
  EXPECT_EQ(remove.monitor_id, 12);
}

TEST(MonitorRepliesTest, InTheSendersLanguageFromTheCatalogue) {
  EXPECT_EQ(&decide::CatalogueForUser("es"), &decide::CatalogueFor("es"));
  EXPECT_EQ(&decide::CatalogueForUser("es-AR"), &decide::CatalogueFor("es"));
  EXPECT_EQ(&decide::CatalogueForUser("en"), &decide::CatalogueFor("en"));
  EXPECT_EQ(&decide::CatalogueForUser(""), &decide::CatalogueFor("en"));
  EXPECT_EQ(&decide::CatalogueForUser("de"), &decide::CatalogueFor("en"));
  EXPECT_NE(decide::CatalogueFor("es").monitor_help, decide::CatalogueFor("en").monitor_help);
  // Both catalogues have every /monitor text.
  for (const std::string_view language : {"en", "es"}) {
    const decide::Catalogue& c = decide::CatalogueFor(language);
    for (const std::string_view text :
         {c.monitor_help,           c.monitor_added,           c.monitor_removed,        c.monitor_not_yours,
          c.monitor_list,           c.monitor_list_empty,      c.monitor_status,         c.monitor_status_empty,
          c.monitor_status_chat,    c.monitor_ready,           c.monitor_not_ready,      c.monitor_bot_unknown,
          c.monitor_status_held,    c.monitor_status_error,    c.monitor_same_chat,      c.monitor_bad_ref,
          c.monitor_not_found,      c.monitor_not_a_source,    c.monitor_user_not_admin, c.monitor_bot_source,
          c.monitor_bot_dest_admin, c.monitor_bot_dest_member, c.monitor_add_usage,      c.monitor_remove_usage,
          c.monitor_need_dest,      c.monitor_bad_media,       c.monitor_unknown_option}) {
      EXPECT_FALSE(text.empty()) << language;
    }
  }
}

}  // namespace
}  // namespace subguard::verifier::monitors
