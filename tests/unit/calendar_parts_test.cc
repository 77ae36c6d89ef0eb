// The calendar module's parts: late policy, platform limits JSON, CSV,
// templates, media probing, recurrence errors, time zones, stable hash.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <filesystem>

#include "calendar/csv_reader.h"
#include "calendar/late_policy.h"
#include "calendar/media_probe.h"
#include "calendar/platform_limits.h"
#include "calendar/recurrence.h"
#include "calendar/stable_hash.h"
#include "calendar/text_template.h"
#include "calendar/time_zone.h"
#include "calendar_test_util.h"

namespace herald::calendar {

using testing::ScratchDir;

TEST_CASE("late policy parses skip and grace windows", "[calendar][parts]") {
  CHECK(ParseLatePolicy("skip")->skip);
  const Result<LatePolicy> g = ParseLatePolicy("publish within 1h30m");
  REQUIRE(g.ok());
  CHECK_FALSE(g->skip);
  CHECK(g->grace == std::chrono::seconds(5400));
  CHECK(ToString(*g) == "publish within 1h30m");
  CHECK_FALSE(ParseLatePolicy("publish within").ok());
  CHECK_FALSE(ParseLatePolicy("publish within 2x").ok());
  CHECK_FALSE(ParseLatePolicy("publish within 0m").ok());
  CHECK_FALSE(ParseLatePolicy("publish within 400d").ok());
  CHECK_FALSE(ParseLatePolicy("later").ok());
}

TEST_CASE("platform limits parse from describe() JSON", "[calendar][parts]") {
  const Result<PlatformLimits> l = ParsePlatformLimits(
      R"({"text_max": 2200, "hashtags_max": 30, "link_allowed": false,
          "media": {"video": {"max_bytes": 100, "max_duration_s": 60, "mime_types": ["video/mp4"]}}})");
  REQUIRE(l.ok());
  CHECK(*l->text_max == 2200);
  CHECK(*l->hashtags_max == 30);
  CHECK_FALSE(*l->link_allowed);
  CHECK_FALSE(l->title_max.has_value());
  CHECK(l->media_rules);
  CHECK_FALSE(l->image.has_value());
  REQUIRE(l->video.has_value());
  CHECK(*l->video->max_duration_s == 60);
  CHECK(l->video->mime_types == std::vector<std::string>{"video/mp4"});
  CHECK(ParsePlatformLimits("{}").ok());
  CHECK_FALSE(ParsePlatformLimits("{}").value().media_rules);
  CHECK_FALSE(ParsePlatformLimits(R"({"text_max": "long"})").ok());
  CHECK_FALSE(ParsePlatformLimits(R"({"media": {"image": {"mime_types": [1]}}})").ok());
  CHECK_FALSE(ParsePlatformLimits("{not json").ok());
  CHECK(ParsePlatformLimits("[1]").error().code() == ErrorCode::kInvalidArgument);
}

TEST_CASE("CSV: quotes, CRLF, BOM, blank lines, caps", "[calendar][parts]") {
  ScratchDir dir;
  dir.Write("a.csv",
            "\xEF\xBB\xBFkey,note\r\n\r\nana,\"hello, \"\"world\"\"\"\r\ntom,\"two\nlines\"\n");
  const Result<CsvTable> t = ReadCsv(dir.path(), "a.csv", {});
  REQUIRE(t.ok());
  CHECK(t->header == std::vector<std::string>{"key", "note"});
  REQUIRE(t->rows.size() == 2);
  CHECK(t->rows[0].line == 3);
  CHECK(t->rows[0].cells[1] == "hello, \"world\"");
  CHECK(t->rows[1].cells[1] == "two\nlines");
  dir.Write("q.csv", "key\n\"open\n");
  CHECK_FALSE(ReadCsv(dir.path(), "q.csv", {}).ok());
  CsvLimits small;
  small.max_rows = 1;
  CHECK(ReadCsv(dir.path(), "a.csv", small).error().message() == "has more than 1 rows; split it");
  CHECK(ReadCsv(dir.path(), "missing.csv", {}).error().code() == ErrorCode::kNotFound);
}

TEST_CASE("a 10-million-row CSV is refused before it is read", "[calendar][parts][hostile]") {
  ScratchDir dir;
  const std::string p = dir.Write("huge.csv", "key\n");
  std::filesystem::resize_file(p, 40'000'000);  // sparse: the size check comes first
  const Result<CsvTable> t = ReadCsv(dir.path(), "huge.csv", {});
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message() == "is larger than 8 MB; split it");
}

// The audit's audience attacks: a `file:` that climbs out, is absolute, or is
// a link, a FIFO or a hard link to something else is never read.
TEST_CASE("audience files are opened confined like media", "[calendar][parts][security]") {
  ScratchDir dir;
  dir.Write("outside.csv", "key,secret\nx,EAAB-not-yours\n");
  dir.Write("cal/ok.csv", "key\nana\n");
  const std::string root = dir.path() + "/cal";
  std::filesystem::create_symlink(dir.path() + "/outside.csv", root + "/link.csv");
  std::filesystem::create_hard_link(dir.path() + "/outside.csv", root + "/twin.csv");
  REQUIRE(::mkfifo((root + "/pipe.csv").c_str(), 0644) == 0);
  CHECK(ReadCsv(root, "ok.csv", {}).ok());
  for (const char* bad : {"../outside.csv", "../../../../etc/passwd", "/etc/passwd", "link.csv",
                          "twin.csv", "pipe.csv"}) {
    INFO(bad);
    const Result<CsvTable> t = ReadCsv(root, bad, {});
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code() == ErrorCode::kInvalidArgument);
    CHECK(t.error().message().find("EAAB") == std::string::npos);
  }
}

TEST_CASE("templates: required names, sections, refused features", "[calendar][parts]") {
  const Result<TextTemplate> t =
      TextTemplate::Parse("Hi {{first_name}}{{#team}}, go {{team}}{{/team}} {{{raw}}}{{! note}}");
  REQUIRE(t.ok());
  CHECK(t->required_names() == std::vector<std::string>{"first_name", "raw"});
  CHECK(t->has_tags());
  TemplateData member;
  member.set("first_name", "Ana");
  member.set("team", "Cubs & Co");
  member.set("raw", "<b>");
  CHECK(t->Render(nullptr, &member, nullptr) == "Hi Ana, go Cubs & Co <b>");
  CHECK_FALSE(TextTemplate::Parse("{{>partial}}").ok());
  CHECK_FALSE(TextTemplate::Parse("{{=<% %>=}}").ok());
  CHECK_FALSE(TextTemplate::Parse("{{#open}}never closed").ok());
  CHECK_FALSE(TextTemplate::Parse("{{unclosed").ok());
  const Result<TextTemplate> plain = TextTemplate::Parse("no tags here");
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->has_tags());
  CHECK(plain->Render(nullptr, nullptr, nullptr) == "no tags here");
}

TEST_CASE("media paths may not escape the calendar's folder", "[calendar][parts][media]") {
  ScratchDir dir;
  dir.Write("cal/ok.png", std::string(testing::kTinyPng, sizeof testing::kTinyPng - 1));
  dir.Write("secret.png", std::string(testing::kTinyPng, sizeof testing::kTinyPng - 1));
  std::filesystem::create_symlink(dir.path() + "/secret.png", dir.path() + "/cal/link.png");
  const std::string root = dir.path() + "/cal";
  CHECK(ProbeMedia(root, "ok.png").ok());
  CHECK(ProbeMedia(root, "./sub/../ok.png").ok());  // normalized lexically, stays inside
  CHECK_FALSE(ProbeMedia(root, "../secret.png").ok());
  CHECK_FALSE(ProbeMedia(root, "../../../../etc/passwd").ok());
  CHECK_FALSE(ProbeMedia(root, "link.png").ok());
  CHECK_FALSE(ProbeMedia(root, "/etc/passwd").ok());
}

// The messages of CheckRule, joined with " | " (warnings marked).
std::string RuleMessages(std::string_view rule) {
  RuleFacts facts;
  std::string out;
  for (const RuleProblem& p : CheckRule(rule, facts)) {
    out += (out.empty() ? "" : " | ") + std::string(p.warning ? "warning: " : "") + p.message;
  }
  return out;
}

TEST_CASE("recurrence errors are plain sentences", "[calendar][parts][rrule]") {
  RuleFacts facts;
  CHECK(CheckRule("FREQ=WEEKLY;COUNT=3", facts).empty());
  CHECK(facts.has_count);
  RuleFacts none;
  CHECK(CheckRule("FREQ=WEEKLY", none).empty());
  CHECK_FALSE(none.has_count);
  CHECK_FALSE(none.until);
  CHECK(RuleMessages("FREQ=WEEKLY;BYDAY=XX").find("`BYDAY=XX`") != std::string::npos);
  RecurrenceSpec endless;
  endless.rule = "FREQ=SECONDLY";
  CHECK_FALSE(ExpandRecurrence(endless, 100).ok());
  RecurrenceSpec capped;
  capped.rule = "FREQ=SECONDLY;COUNT=1000";
  CHECK(ExpandRecurrence(capped, 100).error().message().find("more than 100") != std::string::npos);
  RecurrenceSpec both;
  both.rule = "FREQ=DAILY;COUNT=2";
  both.count = 3;
  CHECK_FALSE(ExpandRecurrence(both, 100).ok());
}

TEST_CASE("local times parse strictly and zones come from the system database",
          "[calendar][parts]") {
  CHECK(ParseLocalTime("2027-07-04 10:00", false).ok());
  CHECK(ParseLocalTime("2027-07-04T10:00:30", false).ok());
  CHECK(ParseLocalTime("2027-07-04", true)->date_only);
  CHECK_FALSE(ParseLocalTime("2027-07-04", false).ok());
  CHECK_FALSE(ParseLocalTime("2027-7-4 10:00", false).ok());
  CHECK_FALSE(ParseLocalTime("2027-07-04 10:00 PM", false).ok());
  CHECK_FALSE(ParseLocalTime("2027-13-01 10:00", false).ok());
  CHECK(TimeZone::Find("Asia/Kolkata").ok());
  CHECK(TimeZone::Find("Mars/Olympus").error().code() == ErrorCode::kNotFound);
}

TEST_CASE("stable hash is fixed across builds", "[calendar][parts]") {
  CHECK(StableHash().Add("a").Hex() == StableHash().Add("a").Hex());
  CHECK(StableHash().Add("ab").Add("c").Hex() != StableHash().Add("a").Add("bc").Hex());
  // Pinned: job ids are persisted in the journal; this value must never change.
  CHECK(StableHash().Add("herald").Add(std::int64_t{42}).Hex() == "921059ecf2572724");
}

}  // namespace herald::calendar
