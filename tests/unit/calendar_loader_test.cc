// Loader behaviour not covered by the broken-calendar folder: hostile
// inputs, unknown-account mode, limits from a third-party connector, the
// example calendar.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "calendar/expand.h"
#include "calendar/loader.h"
#include "calendar_test_util.h"

namespace herald::calendar {

using testing::ScratchDir;
using testing::ShopContext;

namespace {

std::string Messages(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += d.ToString() + "\n";
  return out;
}

const char kSmall[] = R"(calendar: c
time_zone: UTC
targets: [facebook/shop]
campaigns:
  - id: k
    goal: retention
    posts:
      - id: p
        at: 2027-05-01 10:00
        text: hello
)";

}  // namespace

TEST_CASE("a 50 MB file is refused without being read", "[calendar][loader][hostile]") {
  ScratchDir dir;
  const std::string p = dir.Write("big.yaml", "calendar: big\n");
  std::filesystem::resize_file(p, 50u << 20);
  const LoadResult r = Load({p}, ShopContext());
  REQUIRE_FALSE(r.ok());
  CHECK(Messages(r) ==
        p + ":1:1: error: the file is 50 MB; calendars may be at most 8 MB (split it "
            "into several files)\n");
}

TEST_CASE("deep nesting and garbage never crash", "[calendar][loader][hostile]") {
  ScratchDir dir;
  const std::string deep =
      dir.Write("deep.yaml", "a: " + std::string(5000, '[') + std::string(5000, ']') + "\n");
  CHECK_FALSE(Load({deep}, ShopContext()).ok());
  const std::string bin = dir.Write("bin.yaml", std::string("\x00\xff\xfe{{[[::--\t\"", 14));
  CHECK_FALSE(Load({bin}, ShopContext()).ok());
  const std::string scalar = dir.Write("scalar.yaml", "just words\n");
  CHECK(Messages(Load({scalar}, ShopContext())) ==
        scalar + ":1:1: error: a calendar must be a mapping of `key: value` lines\n");
  const std::string empty = dir.Write("empty.yaml", "");
  CHECK_FALSE(Load({empty}, ShopContext()).ok());
}

TEST_CASE("an audience CSV over the row cap is refused", "[calendar][loader][hostile]") {
  ScratchDir dir;
  std::string csv = "key,name\n";
  for (int i = 0; i < 50; ++i) csv += "m" + std::to_string(i) + ",x\n";
  dir.Write("fans.csv", csv);
  const std::string p = dir.Write("cal.yaml", R"(calendar: c
time_zone: UTC
targets: [facebook/shop]
audiences:
  fans: {file: fans.csv}
campaigns: []
)");
  LoadContext ctx = ShopContext();
  ctx.caps.max_csv_rows = 10;
  const LoadResult r = Load({p}, ctx);
  CHECK(Messages(r) ==
        p + ":5:16: error: audience file `fans.csv` has more than 10 rows; split it\n");
}

TEST_CASE("too many jobs in all is refused", "[calendar][loader][hostile]") {
  ScratchDir dir;
  const std::string p = dir.Write("cal.yaml", R"(calendar: c
time_zone: UTC
targets: [facebook/shop, instagram/shop]
campaigns:
  - id: k
    goal: retention
    posts:
      - id: p
        repeat: {rule: FREQ=HOURLY, start: 2027-01-01 00:00, count: 600}
        text: hello
)");
  LoadContext ctx = ShopContext();
  ctx.caps.max_jobs = 1000;
  const LoadResult r = Load({p}, ctx);
  CHECK_FALSE(r.ok());
  CHECK(r.calendars.calendars.empty());
  CHECK(Messages(r) == p + ":8:9: error: post `p`: with this post the calendars make more than "
                           "1000 posts in all, the most herald takes; split them or end some "
                           "repeats sooner\n"
                           "herald: error: the calendars make 1200 posts in all; the limit is "
                           "1000\n");
}

TEST_CASE("without a daemon configuration accounts are not checked, with one warning",
          "[calendar][loader]") {
  ScratchDir dir;
  std::string two = std::string(kSmall) +
                    "      - id: q\n        at: 2027-05-02 10:00\n        text: hi\n"
                    "        targets: [mastodon/anything]\n";
  const std::string p = dir.Write("cal.yaml", two);
  LoadContext ctx;
  ctx.accounts_known = false;
  const LoadResult r = Load({p}, ctx);
  CHECK(r.ok());
  CHECK(Messages(r) ==
        "herald: warning: no daemon configuration given: account names are not checked\n");
  CHECK_FALSE(Load({p}, ShopContext()).ok());
}

TEST_CASE("a third-party connector's limits apply to its platform", "[calendar][loader]") {
  ScratchDir dir;
  const std::string p = dir.Write("cal.yaml", R"(calendar: c
time_zone: UTC
campaigns:
  - id: k
    goal: retention
    posts:
      - id: p
        at: 2027-05-01 10:00
        targets: [outbox/desk]
        text: hello there, this is long
        outbox:
          text: short
)");
  LoadContext ctx;
  ctx.accounts = {"outbox/desk"};
  ctx.limits["outbox"] = *ParsePlatformLimits(R"({"text_max": 5})");
  const LoadResult r = Load({p}, ctx);
  CHECK(r.ok());
  const std::vector<Job> jobs = Expand(r.calendars, TimePoint::min(), TimePoint::max());
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].text == "short");
  ctx.limits["outbox"] = *ParsePlatformLimits(R"({"text_max": 4})");
  CHECK(Messages(Load({p}, ctx)) ==
        p + ":11:9: error: post `p`: outbox text: 5 characters, more than the 4 outbox allows\n");
}

TEST_CASE("duplicate calendar names across files are an error", "[calendar][loader]") {
  ScratchDir dir;
  const std::string a = dir.Write("a.yaml", kSmall);
  const std::string b = dir.Write("b.yaml", kSmall);
  const LoadResult r = Load({a, b}, ShopContext());
  CHECK(Messages(r) == b + ":1:11: error: calendar name `c` is already used by " + a +
                           "; each calendar file needs a name of its own\n");
  CHECK(r.calendars.calendars.size() == 1);
}

TEST_CASE("a connector's objection is an error at the post, once, and drops the calendar",
          "[calendar][loader]") {
  ScratchDir dir;
  const std::string p = dir.Write("c.yaml", R"(calendar: c
time_zone: UTC
targets: [facebook/shop]
audiences:
  two:
    members:
      - {key: ana, first_name: Ana}
      - {key: bo, first_name: Bo}
campaigns:
  - id: k
    goal: retention
    posts:
      - id: fine
        at: 2027-01-05 09:00
        text: All good
      - id: angled
        repeat: {rule: FREQ=DAILY;COUNT=5, start: 2027-01-06 09:00}
        for_each: two
        text: "<b>{{first_name}}</b>"
)");
  LoadContext ctx = ShopContext();
  std::vector<std::string> seen;
  ctx.check_job = [&seen](const Job& job) {
    seen.push_back(job.post_id + " " + job.member_key);
    std::vector<JobProblem> problems;
    if (job.text.find('<') != std::string::npos) problems.push_back({"text", "no angle brackets"});
    return problems;
  };
  const LoadResult r = Load({p}, ctx);
  // One line for both members; the repeat's first occurrence only.
  CHECK(Messages(r) ==
        p + ":16:9: error: post `angled`: facebook/shop: no angle brackets (text)\n");
  CHECK(r.calendars.calendars.empty());
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::string>{"angled ana", "angled bo", "fine "});
}

TEST_CASE("the example calendar validates clean with the real accounts", "[calendar][loader]") {
  LoadContext ctx;
  ctx.accounts = {"facebook/corner-cleaners", "instagram/corner-cleaners",
                  "youtube/corner-cleaners-tv"};
  ctx.limits["instagram"] = *ParsePlatformLimits(
      R"({"text_max": 2200, "hashtags_max": 30, "mentions_max": 20, "link_allowed": false,
          "media_required": true, "media_max_count": 10,
          "media": {"image": {"max_bytes": 8388608, "mime_types": ["image/jpeg"]},
                    "video": {"max_bytes": 104857600, "max_duration_s": 90}},
          "kinds": {"story": {"text": false, "media_required": true, "media_max_count": 1}}})");
  ctx.limits["youtube"] = *ParsePlatformLimits(
      R"({"title_max": 100, "description_max": 5000, "tags_max_total_chars": 500,
          "media_required": true, "media_max_count": 1,
          "media": {"video": {"max_bytes": 137438953472, "max_duration_s": 43200}}})");
  ctx.limits["facebook"] = *ParsePlatformLimits(
      R"({"text_max": 63206, "media": {"image": {"max_bytes": 10485760}, "video": {}}})");
  const LoadResult r = Load({std::string(HERALD_SOURCE_DIR) + "/examples/calendars"}, ctx);
  CHECK(Messages(r).empty());
  const std::vector<Job> jobs = Expand(r.calendars, TimePoint::min(), TimePoint::max());
  CHECK(jobs.size() == 25);
  std::set<std::string> goals, platforms;
  for (const Job& j : jobs) {
    goals.insert(j.goal);
    platforms.insert(j.platform);
  }
  CHECK(goals == std::set<std::string>{"acquisition", "retention"});
  CHECK(platforms == std::set<std::string>{"facebook", "instagram", "youtube"});
}

}  // namespace herald::calendar

namespace herald::calendar {

TEST_CASE("a media path using the date is checked for every occurrence", "[calendar][loader]") {
  ScratchDir dir;
  dir.Write("days/2027-05-01.png", std::string(testing::kTinyPng, sizeof testing::kTinyPng - 1));
  const std::string p = dir.Write("cal.yaml", R"(calendar: c
time_zone: UTC
targets: [facebook/shop]
campaigns:
  - id: k
    goal: retention
    posts:
      - id: daily
        repeat: {rule: FREQ=DAILY, start: 2027-05-01 10:00, count: 2}
        text: hello
        media: ["days/{{iso_date}}.png"]
)");
  CHECK(Messages(Load({p}, ShopContext())) ==
        p + ":11:17: error: media file `days/2027-05-02.png` does not exist\n");
  dir.Write("days/2027-05-02.png", std::string(testing::kTinyPng, sizeof testing::kTinyPng - 1));
  const LoadResult r = Load({p}, ShopContext());
  REQUIRE(r.ok());
  const std::vector<Job> jobs = Expand(r.calendars, TimePoint::min(), TimePoint::max());
  REQUIRE(jobs.size() == 2);
  REQUIRE(jobs[1].media.size() == 1);
  CHECK(jobs[1].media[0].path == dir.path() + "/days/2027-05-02.png");
  CHECK(jobs[1].media[0].mime_type == "image/png");
}

}  // namespace herald::calendar
