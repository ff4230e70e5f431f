// GroupStore against a real PostgreSQL with the embedded migrations.
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/verifier/group_store.h"
#include "services/verifier/seen_members.h"
#include "tests/harness/postgres_fixture.h"

namespace subguard::verifier {
namespace {

constexpr int64_t kGroup = -1001;
constexpr int64_t kChannelA = -2001;
constexpr int64_t kChannelB = -2002;

class GroupStoreItest : public harness::PostgresTest {
 protected:
  decide::Protection Protection(std::vector<int64_t> channels, int64_t owner = 7) {
    decide::Protection protection{.chat_id = kGroup, .title = "Group"};
    protection.owner.set_id(owner);
    protection.owner.set_first_name("Olga");
    for (int64_t id : channels) protection.channels.push_back({.id = id, .username = "ch" + std::to_string(-id)});
    return protection;
  }

  GroupStore store_{pool_};
};

TEST_F(GroupStoreItest, ProtectLoadUnprotect) {
  auto missing = store_.Load(kGroup);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  ASSERT_TRUE(store_.Protect(Protection({kChannelB, kChannelA})).ok());
  auto config = store_.Load(kGroup);
  ASSERT_TRUE(config.ok() && config->has_value());
  EXPECT_TRUE((*config)->enabled);
  EXPECT_EQ((*config)->policy, decide::Policy::kMute);
  EXPECT_EQ((*config)->language, "en");
  ASSERT_EQ((*config)->channels.size(), 2u);
  EXPECT_EQ((*config)->channels[0].id, kChannelB);  // in the order given
  EXPECT_EQ((*config)->channels[1].username, "ch2001");

  // Protecting again links exactly the new list; an anonymous admin keeps the recorded owner.
  ASSERT_TRUE(store_.Protect(Protection({kChannelA}, /*owner=*/0)).ok());
  config = store_.Load(kGroup);
  ASSERT_EQ((*config)->channels.size(), 1u);
  EXPECT_EQ(QueryInt("SELECT owner_user_id FROM protected_groups"), 7);
  EXPECT_EQ((*config)->owner_user_id, 7);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM chats"), 3);  // the registry keeps every chat it resolved

  auto linked = store_.GroupsLinkedTo(kChannelA);
  ASSERT_TRUE(linked.ok());
  EXPECT_EQ(*linked, std::vector<int64_t>{kGroup});
  EXPECT_TRUE(store_.GroupsLinkedTo(kChannelB)->empty());

  ASSERT_TRUE(store_.Unprotect(kGroup).ok());
  config = store_.Load(kGroup);
  EXPECT_FALSE((*config)->enabled);
  EXPECT_EQ((*config)->channels.size(), 1u);  // settings kept
  EXPECT_TRUE(store_.GroupsLinkedTo(kChannelA)->empty());
}

TEST_F(GroupStoreItest, AuditOncePerActionAndRetention) {
  const std::vector<decide::AuditEntry> restrict = {{"77:restrict:-1001:5", kGroup, 5, "restrict", "message"}};
  ASSERT_TRUE(store_.RecordAudit(restrict).ok());
  ASSERT_TRUE(store_.RecordAudit(restrict).ok());  // a redelivery
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log"), 1);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM active_restrictions"), 1);
  EXPECT_TRUE(*store_.RestrictedBySubguard(kGroup, 5, "80:lift:-1001:5"));

  ASSERT_TRUE(store_.RecordAudit({{"80:lift:-1001:5", kGroup, 5, "release", "verified"}}).ok());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log"), 2);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM active_restrictions"), 0);
  // Released: only a redelivery of the update that lifted (its lift's own id) still counts the user.
  EXPECT_TRUE(*store_.RestrictedBySubguard(kGroup, 5, "80:lift:-1001:5"));
  EXPECT_FALSE(*store_.RestrictedBySubguard(kGroup, 5, "81:lift:-1001:5"));
  EXPECT_FALSE(*store_.RestrictedBySubguard(kGroup, 5, ""));

  ASSERT_TRUE(pool_
                  .Transact([](pqxx::work& tx) {
                    tx.exec("UPDATE audit_log SET created_at = now() - interval '100 days' WHERE kind = 'restrict'");
                    return absl::OkStatus();
                  })
                  .ok());
  auto pruned = store_.PruneAudit(absl::Hours(24 * 90));
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 1);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log"), 1);
}

TEST_F(GroupStoreItest, SettingsAndExemptionsSurviveReprotect) {
  ASSERT_TRUE(store_.Protect(Protection({kChannelA})).ok());
  decide::GroupConfig settings = *store_.Load(kGroup).value();
  settings.policy = decide::Policy::kKick;
  settings.prompt_template = "Join {channels}, {user}";
  settings.prompt_delete_after = absl::Minutes(5);
  settings.mute_duration = absl::Hours(2);
  settings.check_on_join = false;
  settings.restrict_bots = true;
  settings.accept_join_requests = true;
  settings.silent = true;
  ASSERT_TRUE(store_.SaveSettings(settings).ok());
  ASSERT_TRUE(store_.SetExemption({.chat_id = kGroup, .user_id = 42, .added_by = 7}).ok());
  ASSERT_TRUE(store_.SetExemption({.chat_id = kGroup, .user_id = 42, .added_by = 7}).ok());  // idempotent
  ASSERT_TRUE(store_.SetExemption({.chat_id = kGroup, .user_id = 43}).ok());
  ASSERT_TRUE(store_.SetExemption({.chat_id = kGroup, .user_id = 43, .exempt = false}).ok());

  // /unprotect and /protect again keep them.
  ASSERT_TRUE(store_.Unprotect(kGroup).ok());
  ASSERT_TRUE(store_.Protect(Protection({kChannelB})).ok());
  const decide::GroupConfig loaded = *store_.Load(kGroup).value();
  EXPECT_EQ(loaded.policy, decide::Policy::kKick);
  EXPECT_EQ(loaded.prompt_template, "Join {channels}, {user}");
  EXPECT_EQ(loaded.prompt_delete_after, absl::Minutes(5));
  EXPECT_EQ(loaded.mute_duration, absl::Hours(2));
  EXPECT_FALSE(loaded.check_on_join);
  EXPECT_TRUE(loaded.restrict_bots);
  EXPECT_TRUE(loaded.accept_join_requests);
  EXPECT_TRUE(loaded.silent);
  EXPECT_EQ(loaded.exempt_users, (absl::flat_hash_set<int64_t>{42}));
  ASSERT_EQ(loaded.channels.size(), 1u);
  EXPECT_EQ(loaded.channels[0].id, kChannelB);
}

// SeenMembers writes a sighting once per refresh, however often the user writes.
TEST_F(GroupStoreItest, SeenMembersAreWrittenOncePerRefresh) {
  constexpr int64_t kSeenGroup = -1007777;
  base::FakeClock clock;
  SeenMembers seen({.max_entries = 10, .refresh = absl::Hours(1)}, pool_, clock);
  const std::string stale = absl::StrCat("SELECT count(*) FROM seen_members WHERE group_chat_id = ", kSeenGroup,
                                         " AND last_seen_at < now() - interval '1 day'");
  auto age = [&] {
    EXPECT_TRUE(pool_
                    .Transact([&](pqxx::work& tx) {
                      tx.exec(
                          absl::StrCat("UPDATE seen_members SET last_seen_at = now() - interval '2 days' "
                                       "WHERE group_chat_id = ",
                                       kSeenGroup));
                      return absl::OkStatus();
                    })
                    .ok());
  };
  seen.Saw(kSeenGroup, 1);
  seen.Saw(kSeenGroup, 2);
  seen.Flush();  // sightings are written in batches, off the update's path
  EXPECT_EQ(QueryInt(absl::StrCat("SELECT count(*) FROM seen_members WHERE group_chat_id = ", kSeenGroup)), 2);
  age();
  seen.Saw(kSeenGroup, 1);  // remembered: no write
  seen.Flush();
  EXPECT_EQ(QueryInt(stale), 2);
  clock.Advance(absl::Hours(1) + absl::Seconds(1));
  seen.Saw(kSeenGroup, 1);  // the refresh is due
  seen.Flush();
  EXPECT_EQ(QueryInt(stale), 1);
}

TEST_F(GroupStoreItest, TheBotsStandingIsRecordedInTheRegistry) {
  v1::Chat chat;
  chat.set_id(kChannelA);
  chat.set_type("channel");
  chat.set_title("A");
  v1::ChatMember bot;
  bot.set_status("administrator");
  bot.set_can_invite_users(true);
  ASSERT_TRUE(store_.RecordBotMember(chat, bot).ok());
  bot.set_status("left");
  bot.set_can_invite_users(false);
  ASSERT_TRUE(store_.RecordBotMember(chat, bot).ok());
  EXPECT_EQ(QueryInt(absl::StrCat("SELECT count(*) FROM chats WHERE chat_id = ", kChannelA,
                                  " AND bot_status = 'left' AND NOT can_invite_users AND title = 'A'")),
            1);
}

TEST_F(GroupStoreItest, AnUpgradedGroupMovesWhole) {
  constexpr int64_t kBasic = -4001;
  constexpr int64_t kSuper = -1004001;
  decide::Protection protection = Protection({kChannelA, kChannelB});
  protection.chat_id = kBasic;
  protection.basic_group = true;
  ASSERT_TRUE(store_.Protect(protection).ok());
  auto basic = store_.Load(kBasic);
  ASSERT_TRUE(basic.ok() && basic->has_value());
  EXPECT_TRUE((*basic)->basic_group);
  decide::GroupConfig settings = **basic;
  settings.policy = decide::Policy::kMuteAndDelete;
  ASSERT_TRUE(store_.SaveSettings(settings).ok());
  ASSERT_TRUE(store_.SetExemption({.chat_id = kBasic, .user_id = 55, .added_by = 7}).ok());
  ASSERT_TRUE(store_.RecordAudit({{"1:restrict:-4001:66", kBasic, 66, "restrict", "message"}}).ok());
  ASSERT_TRUE(
      pool_
          .Transact([&](pqxx::work& tx) {
            tx.exec_params("INSERT INTO seen_members (group_chat_id, user_id) VALUES ($1, 66), ($1, 67)", kBasic);
            tx.exec_params("INSERT INTO verify_jobs (group_chat_id, requested_by, total) VALUES ($1, 7, 2)", kBasic);
            tx.exec_params(R"sql(INSERT INTO monitors (owner_user_id, source_chat_id, dest_chat_id, mode)
                                 VALUES (7, $1, -100500, 'copy'), (7, -100500, $1, 'forward'))sql",
                           kBasic);
            return absl::OkStatus();
          })
          .ok());

  auto moved = store_.MoveGroup(kBasic, kSuper);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_TRUE(*moved);
  auto gone = store_.Load(kBasic);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto super = store_.Load(kSuper);
  ASSERT_TRUE(super.ok() && super->has_value());
  EXPECT_FALSE((*super)->basic_group);
  EXPECT_EQ((*super)->policy, decide::Policy::kMuteAndDelete);
  EXPECT_EQ((*super)->owner_user_id, 7);
  ASSERT_EQ((*super)->channels.size(), 2u);
  EXPECT_EQ((*super)->channels[0].id, kChannelA);
  EXPECT_TRUE((*super)->exempt_users.contains(55));
  EXPECT_EQ(*store_.CountRestricted(kSuper), 1);
  EXPECT_TRUE(*store_.RestrictedBySubguard(kSuper, 66, ""));
  for (const char* table : {"seen_members", "audit_log", "verify_jobs", "active_restrictions"}) {
    EXPECT_EQ(QueryInt(absl::StrCat("SELECT count(*) FROM ", table, " WHERE group_chat_id = ", kBasic)), 0) << table;
  }
  EXPECT_EQ(QueryInt(absl::StrCat("SELECT count(*) FROM seen_members WHERE group_chat_id = ", kSuper)), 2);
  EXPECT_EQ(QueryInt(absl::StrCat("SELECT count(*) FROM chats WHERE type = 'supergroup' AND chat_id = ", kSuper)), 1);
  EXPECT_EQ(
      QueryInt(absl::StrCat("SELECT count(*) FROM monitors WHERE source_chat_id = ", kSuper,
                            " AND dest_chat_id = -100500 OR source_chat_id = -100500 AND dest_chat_id = ", kSuper)),
      2);

  // The other migrate message finds the move done.
  moved = store_.MoveGroup(kBasic, kSuper);
  ASSERT_TRUE(moved.ok());
  EXPECT_FALSE(*moved);
  EXPECT_EQ((*store_.Load(kSuper))->channels.size(), 2u);
}

TEST_F(GroupStoreItest, ASupergroupProtectedFirstKeepsItsOwnConfiguration) {
  constexpr int64_t kBasic = -4002;
  constexpr int64_t kSuper = -1004002;
  decide::Protection old_protection = Protection({kChannelA, kChannelB});
  old_protection.chat_id = kBasic;
  old_protection.basic_group = true;
  ASSERT_TRUE(store_.Protect(old_protection).ok());
  ASSERT_TRUE(store_.SetExemption({.chat_id = kBasic, .user_id = 55}).ok());
  decide::Protection new_protection = Protection({kChannelB});
  new_protection.chat_id = kSuper;
  ASSERT_TRUE(store_.Protect(new_protection).ok());

  // Both migrate messages at once, on two verifiers: one moves, the other finds it done.
  absl::StatusOr<bool> first, second;
  std::thread other([&] { second = GroupStore(pool_).MoveGroup(kBasic, kSuper); });
  first = store_.MoveGroup(kBasic, kSuper);
  other.join();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);

  auto super = store_.Load(kSuper);
  ASSERT_TRUE(super.ok() && super->has_value());
  ASSERT_EQ((*super)->channels.size(), 1u);  // the supergroup's own /protect wins
  EXPECT_EQ((*super)->channels[0].id, kChannelB);
  EXPECT_TRUE((*super)->exempt_users.contains(55));  // and gains the old exemptions
  EXPECT_FALSE(store_.Load(kBasic)->has_value());
}

}  // namespace
}  // namespace subguard::verifier
