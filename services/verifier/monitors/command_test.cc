#include "services/verifier/monitors/command.h"

#include <gtest/gtest.h>

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
}

TEST(ParseMonitorCommandTest, ListRemoveStatus) {
  EXPECT_EQ(ParseMonitorCommand("/monitor list").verb, Verb::kList);
  EXPECT_EQ(ParseMonitorCommand("/monitor status").verb, Verb::kStatus);
  const MonitorCommand remove = ParseMonitorCommand("/monitor remove 12");
  EXPECT_EQ(remove.verb, Verb::kRemove);
  EXPECT_EQ(remove.monitor_id, 12);
}

}  // namespace
}  // namespace subguard::verifier::monitors
