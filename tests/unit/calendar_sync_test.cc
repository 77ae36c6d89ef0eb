// CalendarSync over real calendar files, an in-memory journal and a fake
// clock: a load is applied as one generation; an edit updates a pending post;
// a broken file keeps its last good version; a removed file cancels its
// posts, but a missing or emptied folder, or a load-wide error, cancels
// nothing; the late policy skips posts already past when first seen; a file
// removed while heraldd was stopped is noticed at the next start.
#include "core/calendar_sync.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "calendar_test_util.h"
#include "support/fake_clock.h"
#include "support/memory_journal.h"

namespace {

namespace fs = std::filesystem;
using herald::calendar::Diagnostic;
using herald::calendar::Severity;
using herald::calendar::testing::ScratchDir;
using herald::core::CalendarSync;
using herald::core::SyncResult;
using herald::journal::JobState;
using herald::journal::ReloadDiff;
using herald::testing::FakeClock;
using herald::testing::MemoryJournal;

// A calendar `name` for outbox/local with one post per (id, "HH:MM" on the
// fake clock's day, 2025-03-03 UTC), all with `text`.
std::string Calendar(const std::string& name,
                     const std::vector<std::pair<std::string, std::string>>& posts,
                     const std::string& text = "Open at nine", const std::string& late = "skip") {
  std::string yaml = "calendar: " + name +
                     "\ntime_zone: UTC\ntargets: [outbox/local]\nlate: " + late +
                     "\ncampaigns:\n  - id: c\n    goal: retention\n    posts:\n";
  for (const auto& [id, at] : posts) {
    yaml += "      - {id: " + id + ", at: \"2025-03-03 " + at + "\", text: " + text + "}\n";
  }
  return yaml;
}

herald::calendar::LoadContext Context() {
  herald::calendar::LoadContext context;
  context.accounts = {"outbox/local"};
  return context;
}

struct Rig {
  ScratchDir dir;
  fs::path folder = fs::path(dir.path()) / "calendars";
  FakeClock clock;  // 2025-03-03 09:00 UTC
  std::unique_ptr<MemoryJournal> journal = std::make_unique<MemoryJournal>();
  std::unique_ptr<CalendarSync> sync;

  explicit Rig(herald::calendar::LoadContext context = Context()) {
    fs::create_directories(folder);
    sync = std::make_unique<CalendarSync>(*journal, std::vector<fs::path>{folder}, context);
  }
  std::string Write(const std::string& file, const std::string& yaml) {
    return dir.Write("calendars/" + file, yaml);
  }
  SyncResult Sync() { return sync->Sync(clock.NowMs()); }
  JobState StateOfPost(const std::string& post) {
    auto page = journal->List({});
    REQUIRE(page.ok());
    for (const auto& job : page->jobs) {
      if (job.record.post_id == post) return job.state;
    }
    FAIL("no job for post " << post);
    return JobState::kUnknown;
  }
  size_t Jobs() { return journal->List({})->jobs.size(); }
};

bool HasDiagnostic(const SyncResult& r, Diagnostic::About about, const std::string& text) {
  for (const auto& d : r.diagnostics) {
    if (d.about == about && d.ToString().find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a load is one generation; loading it again writes nothing", "[sync]") {
  Rig rig;
  std::string file =
      rig.Write("shop.yaml", Calendar("shop", {{"open", "10:00"}, {"noon", "12:00"}}));
  SyncResult first = rig.Sync();
  REQUIRE(first.applied);
  CHECK(first.generation == 1);
  CHECK(first.diff == ReloadDiff{2, 0, 0, 0, 0, 0});
  CHECK(first.jobs == 2);
  CHECK(first.error_count() == 0);
  CHECK(rig.journal->CalendarLoads(1)->front().result == "ok");
  CHECK(*rig.journal->CalendarFiles() == std::map<std::string, std::string>{{file, "shop"}});

  SyncResult again = rig.Sync();
  REQUIRE(again.applied);
  CHECK(again.generation == 2);
  CHECK(again.diff == ReloadDiff{0, 0, 0, 2, 0, 0});
}

TEST_CASE("an edit updates the pending post; a broken file keeps its last good version", "[sync]") {
  Rig rig;
  rig.Write("shop.yaml", Calendar("shop", {{"open", "10:00"}}));
  REQUIRE(rig.Sync().applied);
  rig.Write("shop.yaml", Calendar("shop", {{"open", "10:00"}}, "Open at ten"));
  SyncResult edited = rig.Sync();
  CHECK(edited.diff.updated == 1);
  auto job = rig.journal->List({})->jobs.at(0);
  CHECK(rig.journal->Get(job.key)->record.payload_json.find("Open at ten") != std::string::npos);

  rig.Write("shop.yaml",
            "calendar: shop\ntime_zone: UTC\ntargets: [outbox/local]\ncampaigns:\n"
            "  - id: c\n    gaol: retention\n");
  SyncResult broken = rig.Sync();
  CHECK_FALSE(broken.applied);
  CHECK(broken.error_count() >= 1);
  CHECK(HasDiagnostic(broken, Diagnostic::About::kFile, "shop.yaml:6:5: error: unknown key"));
  CHECK(rig.StateOfPost("open") == JobState::kPending);
  CHECK(rig.journal->Get(job.key)->record.payload_json.find("Open at ten") != std::string::npos);
  CHECK(rig.journal->CalendarLoads(1)->front().result.find("shop.yaml:6:5") != std::string::npos);
}

TEST_CASE("a removed file cancels its posts; a missing folder cancels nothing", "[sync]") {
  Rig rig;
  std::string gone = rig.Write("gone.yaml", Calendar("gone", {{"g", "10:00"}}));
  rig.Write("stays.yaml", Calendar("stays", {{"s", "10:00"}}));
  REQUIRE(rig.Sync().applied);
  fs::remove(gone);
  SyncResult removed = rig.Sync();
  CHECK(removed.diff.cancelled == 1);
  CHECK(rig.StateOfPost("g") == JobState::kCancelled);
  CHECK(rig.StateOfPost("s") == JobState::kPending);

  fs::rename(rig.folder, rig.folder.string() + ".away");  // an unmounted disk
  SyncResult missing = rig.Sync();
  CHECK_FALSE(missing.applied);
  CHECK(HasDiagnostic(missing, Diagnostic::About::kPath, "error: no such file or folder"));
  CHECK(rig.StateOfPost("s") == JobState::kPending);
  fs::rename(rig.folder.string() + ".away", rig.folder);
  CHECK(rig.Sync().diff.unchanged == 1);
}

TEST_CASE("an emptied folder cancels nothing and says why", "[sync]") {
  Rig rig;
  std::string only = rig.Write("only.yaml", Calendar("only", {{"o", "10:00"}}));
  REQUIRE(rig.Sync().applied);
  fs::remove(only);
  SyncResult emptied = rig.Sync();
  CHECK(HasDiagnostic(emptied, Diagnostic::About::kPath,
                      "this folder held calendars and now holds none"));
  CHECK(emptied.diff.cancelled == 0);
  CHECK(rig.StateOfPost("o") == JobState::kPending);
}

TEST_CASE("an error about the whole load cancels nothing for being absent", "[sync]") {
  herald::calendar::LoadContext context = Context();
  context.caps.max_jobs = 2;
  Rig rig(context);
  std::string gone = rig.Write("a.yaml", Calendar("a", {{"a1", "10:00"}}));
  rig.Write("b.yaml", Calendar("b", {{"b1", "10:00"}}));
  REQUIRE(rig.Sync().applied);
  fs::remove(gone);
  rig.Write("b.yaml", Calendar("b", {{"b1", "10:00"}, {"b2", "11:00"}, {"b3", "12:00"}}));
  SyncResult capped = rig.Sync();
  CHECK(HasDiagnostic(capped, Diagnostic::About::kLoad,
                      "herald: error: the calendars make 3 posts in all; the limit is 2"));
  CHECK(rig.StateOfPost("a1") == JobState::kPending);
  CHECK(rig.StateOfPost("b1") == JobState::kPending);
}

TEST_CASE("the late policy skips posts already past when first seen", "[sync]") {
  Rig rig;  // 09:00
  rig.Write("shop.yaml", Calendar("shop", {{"missed", "08:00"}, {"just", "08:59:30"}}));
  rig.Write("cafe.yaml",
            Calendar("cafe", {{"late", "08:00"}}, "Still worth it", "publish within 2h"));
  SyncResult result = rig.Sync();
  REQUIRE(result.applied);
  CHECK(result.diff.added == 2);
  CHECK(rig.StateOfPost("just") == JobState::kPending);  // within a reload's tolerance
  CHECK(rig.StateOfPost("late") == JobState::kPending);  // within its grace
  CHECK(rig.Jobs() == 2);                                // "missed" was never inserted
}

TEST_CASE("a file removed while heraldd was stopped is cancelled at the next start", "[sync]") {
  Rig rig;
  std::string gone = rig.Write("gone.yaml", Calendar("gone", {{"g", "10:00"}}));
  rig.Write("stays.yaml", Calendar("stays", {{"s", "10:00"}}));
  REQUIRE(rig.Sync().applied);
  // heraldd stops; the file goes; heraldd starts on the same journal.
  fs::remove(gone);
  auto reopened = rig.journal->Reopen();
  rig.clock.Advance(3'600'000);
  CalendarSync restarted(*reopened, {rig.folder}, Context());
  SyncResult first = restarted.Sync(rig.clock.NowMs());
  CHECK(first.generation == 2);  // generations go on from the journal's
  CHECK(first.diff.cancelled == 1);
  CHECK(first.diff.unchanged == 1);
}

TEST_CASE("a journal that fails changes nothing, and the next load applies", "[sync]") {
  Rig rig;
  rig.Write("shop.yaml", Calendar("shop", {{"open", "10:00"}}));
  rig.journal->set_fault([](std::string_view call, herald::journal::JobKey) {
    return call == "ApplyGeneration"
               ? std::optional<herald::Error>({herald::ErrorCode::kIo, "journal: disk full"})
               : std::nullopt;
  });
  SyncResult failed = rig.Sync();
  CHECK_FALSE(failed.applied);
  CHECK(failed.error == "journal: disk full");
  CHECK(rig.Jobs() == 0);
  CHECK(rig.journal->CalendarFiles()->empty());
  rig.journal->set_fault(nullptr);
  SyncResult next = rig.Sync();
  REQUIRE(next.applied);
  CHECK(next.diff.added == 1);
}

TEST_CASE("a load's summary counts in words that agree with the number", "[sync]") {
  SyncResult one;
  one.applied = true;
  one.generation = 3;
  one.jobs = 1;
  one.diff.added = 1;
  Diagnostic error;
  error.message = "bad";
  one.diagnostics.push_back(error);
  CHECK(one.Summary() ==
        "generation 3: 1 job in the window; 1 added, 0 updated, 0 cancelled, 0 restored, 0 "
        "unchanged (1 error: the calendars with errors keep their last good version)");
  SyncResult two = one;
  two.jobs = 2;
  two.diagnostics.push_back(error);
  CHECK(two.Summary().find("2 jobs in the window") != std::string::npos);
  CHECK(two.Summary().find("(2 errors:") != std::string::npos);
}
