// DeadLetters against a real Redis: paging across partitions, replay exactly once, delete, bad ids.
#include <memory>

#include "common/journal/dead_letters.h"
#include "common/journal/journal.h"
#include "common/journal/lease.h"
#include "common/journal/reader.h"
#include "gtest/gtest.h"
#include "tests/harness/servers.h"

namespace subguard::journal {
namespace {

constexpr int kPartitions = 4;

class DeadLettersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = harness::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    pool_ = std::make_unique<redis::Pool>(redis::RedisOptions{.host = server_->host(), .port = server_->port()});
    leases_ = std::make_unique<Leases>(*pool_, LeaseOptions{.owner = "ingest-a"});
    journal_ = std::make_unique<Journal>(*pool_, JournalOptions{.owner = "ingest-a", .partitions = kPartitions});
    reader_ = std::make_unique<JournalReader>(*pool_, "ingest-a");
    dead_ = std::make_unique<DeadLetters>(*pool_, kPartitions);
  }

  // Appends an update of chat_id, reads it under the partition's lease and dead-letters it.
  void DeadLetterUpdate(int64_t update_id, int64_t chat_id) {
    v1::Update update;
    update.set_update_id(update_id);
    update.set_chat_id(chat_id);
    ASSERT_TRUE(journal_->AppendUpdate(update).ok());
    const int partition = PartitionOf(chat_id, kPartitions);
    auto grant = leases_->AcquireOrRenew(PartitionLeaseName(partition));
    ASSERT_TRUE(grant.ok()) << grant.status();
    ASSERT_TRUE(journal_->EnsureGroups(partition).ok());
    auto entries = reader_->ReadNew({{StreamKind::kUpdates, partition}}, 10, absl::Milliseconds(10));
    ASSERT_TRUE(entries.ok() && entries->size() == 1);
    ASSERT_TRUE(journal_->DeadLetter(StreamKind::kUpdates, partition, grant->fence, (*entries)[0].id, "gave up").ok());
  }

  std::unique_ptr<harness::RedisServer> server_;
  std::unique_ptr<redis::Pool> pool_;
  std::unique_ptr<Leases> leases_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<JournalReader> reader_;
  std::unique_ptr<DeadLetters> dead_;
};

TEST_F(DeadLettersTest, ListsEveryPartitionInPages) {
  for (int i = 0; i < 7; ++i) DeadLetterUpdate(100 + i, -1000 - i);
  std::vector<DeadLetterEntry> all;
  std::string token;
  int pages = 0;
  do {
    auto page = dead_->List(token, 3);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->entries.size(), 3u);
    all.insert(all.end(), page->entries.begin(), page->entries.end());
    token = page->next_page_token;
    ASSERT_LT(++pages, 10);
  } while (!token.empty());
  ASSERT_EQ(all.size(), 7u);
  for (const DeadLetterEntry& entry : all) {
    EXPECT_EQ(entry.from, "update");
    EXPECT_EQ(entry.reason, "gave up");
    EXPECT_GT(entry.dead_at_unix_ms, 0);
    v1::Update update;
    ASSERT_TRUE(update.ParseFromString(entry.payload));
    EXPECT_EQ(entry.ordering_key, update.chat_id());
  }
}

TEST_F(DeadLettersTest, ReplayPutsTheUpdateBackOnce) {
  DeadLetterUpdate(7, -42);
  auto page = dead_->List("", 10);
  ASSERT_TRUE(page.ok() && page->entries.size() == 1);
  const std::string id = page->entries[0].id;
  ASSERT_TRUE(dead_->Replay(id).ok());
  EXPECT_EQ(dead_->Replay(id).code(), absl::StatusCode::kNotFound);

  const int partition = PartitionOf(-42, kPartitions);
  auto entries = reader_->ReadNew({{StreamKind::kUpdates, partition}}, 10, absl::Milliseconds(10));
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  v1::Update update;
  ASSERT_TRUE(update.ParseFromString((*entries)[0].payload));
  EXPECT_EQ(update.update_id(), 7);
  EXPECT_EQ((*entries)[0].ordering_key, -42);
  EXPECT_TRUE(dead_->List("", 10)->entries.empty());
}

TEST_F(DeadLettersTest, DeleteRemovesOnceAndBadIdsAreInvalid) {
  DeadLetterUpdate(8, -43);
  auto page = dead_->List("", 10);
  ASSERT_TRUE(page.ok() && page->entries.size() == 1);
  ASSERT_TRUE(dead_->Delete(page->entries[0].id).ok());
  EXPECT_EQ(dead_->Delete(page->entries[0].id).code(), absl::StatusCode::kNotFound);
  for (const char* bad : {"", "x", "9/1-0", "-1/1-0", "1/", "1/abc"}) {
    EXPECT_EQ(dead_->Replay(bad).code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(dead_->List("nonsense", 10).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace subguard::journal
