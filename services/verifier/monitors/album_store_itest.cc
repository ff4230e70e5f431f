// AlbumStore against a real PostgreSQL with the embedded migrations: parts gathered once, an album
// claimed once when quiet and again only when its answer is lost, late parts, parts in order. Each
// test uses its own source chat.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/verifier/monitors/album_store.h"
#include "tests/harness/postgres_fixture.h"

namespace subguard::verifier::monitors {
namespace {

v1::Message Part(int64_t source, int64_t message_id, const std::string& group) {
  v1::Message post;
  post.set_message_id(message_id);
  post.mutable_chat()->set_id(source);
  post.set_media_group_id(group);
  post.set_has_media(true);
  return post;
}

class AlbumStoreItest : public harness::PostgresTest {
 protected:
  Gathered Gather(int64_t update_id, const v1::Message& post) {
    auto gathered = albums_.Gather(update_id, post);
    EXPECT_TRUE(gathered.ok()) << gathered.status();
    return gathered.value_or(Gathered::kAlready);
  }

  // The albums of source claimed (the database is shared by the tests).
  std::vector<std::string> Claim(int64_t source, absl::Duration quiet, absl::Duration reclaim) {
    std::vector<std::string> groups;
    auto claimed = albums_.ClaimQuiet(quiet, reclaim);
    EXPECT_TRUE(claimed.ok()) << claimed.status();
    if (claimed.ok()) {
      for (const AlbumKey& key : *claimed) {
        if (key.source_chat_id == source) groups.push_back(key.media_group_id);
      }
    }
    return groups;
  }

  AlbumStore albums_{pool_};
};

TEST_F(AlbumStoreItest, PartsGatherOnceAndTheQuietAlbumIsClaimedOnce) {
  constexpr int64_t kSource = -1009001;
  EXPECT_EQ(Gather(11, Part(kSource, 3, "g1")), Gathered::kGathered);
  EXPECT_EQ(Gather(10, Part(kSource, 2, "g1")), Gathered::kGathered);
  EXPECT_EQ(Gather(12, Part(kSource, 4, "g1")), Gathered::kGathered);
  EXPECT_EQ(Gather(11, Part(kSource, 3, "g1")), Gathered::kAlready);    // redelivered
  EXPECT_TRUE(Claim(kSource, absl::Hours(1), absl::Hours(1)).empty());  // parts still coming

  EXPECT_EQ(Claim(kSource, absl::ZeroDuration(), absl::Hours(1)), std::vector<std::string>{"g1"});
  EXPECT_TRUE(Claim(kSource, absl::ZeroDuration(), absl::Hours(1)).empty());  // once
  EXPECT_EQ(Gather(13, Part(kSource, 5, "g1")), Gathered::kLate);
  EXPECT_EQ(Gather(11, Part(kSource, 3, "g1")), Gathered::kAlready);

  auto parts = albums_.Parts({kSource, "g1"});
  ASSERT_TRUE(parts.ok()) << parts.status();
  std::vector<int64_t> ids;
  std::vector<int64_t> updates;
  for (const AlbumPart& part : *parts) {
    ids.push_back(part.post.message_id());
    updates.push_back(part.update_id);
  }
  EXPECT_EQ(ids, (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(updates, (std::vector<int64_t>{10, 11, 12}));
}

TEST_F(AlbumStoreItest, AnUnansweredClaimIsClaimedAgainAndAnAnsweredOneNever) {
  constexpr int64_t kSource = -1009002;
  EXPECT_EQ(Gather(20, Part(kSource, 1, "g2")), Gathered::kGathered);
  EXPECT_EQ(Gather(21, Part(kSource, 1, "g3")), Gathered::kGathered);
  EXPECT_EQ(Claim(kSource, absl::ZeroDuration(), absl::Hours(1)).size(), 2u);
  ASSERT_TRUE(albums_.MarkDone({kSource, "g3"}).ok());
  // g2's update was lost (never answered): claimed again once the claim is old.
  EXPECT_EQ(Claim(kSource, absl::ZeroDuration(), absl::ZeroDuration()), std::vector<std::string>{"g2"});
  ASSERT_TRUE(albums_.MarkDone({kSource, "g2"}).ok());
  EXPECT_TRUE(Claim(kSource, absl::ZeroDuration(), absl::ZeroDuration()).empty());
  auto pruned = albums_.Prune();  // answered just now: kept a while for redeliveries
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(Gather(20, Part(kSource, 1, "g2")), Gathered::kAlready);
}

}  // namespace
}  // namespace subguard::verifier::monitors
