// Expansion: occurrences in the window, DST in two zones, RRULE parts,
// personalization, per-platform variants, stable ids and content hashes.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "calendar/expand.h"
#include "calendar_test_util.h"

namespace herald::calendar {
namespace {

using testing::ScratchDir;
using testing::ShopContext;
using testing::Utc;

CalendarSet LoadOk(const ScratchDir& dir, const std::string& yaml) {
  const std::string path = dir.Write("cal.yaml", yaml);
  LoadResult r = Load({path}, ShopContext());
  for (const Diagnostic& d : r.diagnostics) {
    if (d.severity == Severity::kError) FAIL(d.ToString());
  }
  return std::move(r.calendars);
}

std::string OnePost(const std::string& zone, const std::string& timing,
                    const std::string& extra = "") {
  return "calendar: c\ntime_zone: " + zone +
         "\ntargets: [facebook/shop]\ncampaigns:\n  - id: k\n    goal: retention\n"
         "    posts:\n      - id: p\n        text: hi\n" +
         timing + extra;
}

std::vector<std::string> LocalTimes(const std::vector<Job>& jobs) {
  std::vector<std::string> out;
  for (const Job& j : jobs) out.push_back(j.local_time);
  return out;
}

const TimePoint kMin = TimePoint::min();
const TimePoint kMax = TimePoint::max();

}  // namespace

TEST_CASE("one-off post resolves its wall-clock time in the calendar's zone",
          "[calendar][expand]") {
  ScratchDir dir;
  const CalendarSet set = LoadOk(dir, OnePost("America/Chicago", "        at: 2027-07-04 10:00\n"));
  const std::vector<Job> jobs = Expand(set, kMin, kMax);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].due == Utc("2027-07-04 15:00"));
  CHECK(jobs[0].local_time == "2027-07-04T10:00:00-05:00");
  CHECK(jobs[0].time_zone == "America/Chicago");
  CHECK(jobs[0].account == "facebook/shop");
  CHECK(jobs[0].platform == "facebook");
  CHECK(jobs[0].id.size() == 16);
  CHECK(jobs[0].late_policy.skip);
}

TEST_CASE("the window includes from and excludes to", "[calendar][expand]") {
  ScratchDir dir;
  const CalendarSet set = LoadOk(dir, OnePost("UTC", "        at: 2027-07-04 10:00\n"));
  CHECK(Expand(set, Utc("2027-07-04 10:00"), Utc("2027-07-04 10:01")).size() == 1);
  CHECK(Expand(set, Utc("2027-07-04 09:00"), Utc("2027-07-04 10:00")).empty());
  CHECK(Expand(set, Utc("2027-07-04 10:00:01"), kMax).empty());
}

TEST_CASE("DST gap and overlap in America/Chicago", "[calendar][expand][dst]") {
  ScratchDir dir;
  // 2027-03-14 02:30 does not exist; 2027-11-07 01:30 happens twice.
  const CalendarSet set = LoadOk(dir, OnePost("America/Chicago",
                                              "        repeat:\n"
                                              "          rule: FREQ=DAILY\n"
                                              "          start: 2027-03-13 02:30\n"
                                              "          count: 3\n"));
  const std::vector<Job> jobs = Expand(set, kMin, kMax);
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0].due == Utc("2027-03-13 08:30"));  // CST
  CHECK(jobs[1].due == Utc("2027-03-14 08:30"));  // shifted forward by the gap: 03:30 CDT
  CHECK(jobs[1].local_time == "2027-03-14T03:30:00-05:00");
  CHECK(jobs[2].due == Utc("2027-03-15 07:30"));  // CDT

  ScratchDir dir2;
  const CalendarSet fall =
      LoadOk(dir2, OnePost("America/Chicago", "        at: 2027-11-07 01:30\n"));
  const std::vector<Job> f = Expand(fall, kMin, kMax);
  REQUIRE(f.size() == 1);
  CHECK(f[0].due == Utc("2027-11-07 06:30"));  // the earlier instant (CDT)
  CHECK(f[0].local_time == "2027-11-07T01:30:00-05:00");
}

TEST_CASE("DST gap and overlap in Europe/Berlin, with warnings", "[calendar][expand][dst]") {
  ScratchDir dir;
  const std::string path =
      dir.Write("cal.yaml", OnePost("Europe/Berlin", "        at: 2027-03-28 02:15\n") +
                                "      - id: q\n        text: hi\n        at: 2027-10-31 02:15\n");
  const LoadResult r = Load({path}, ShopContext());
  REQUIRE(r.ok());
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.diagnostics[0].severity == Severity::kWarning);
  CHECK(r.diagnostics[0].message.find("post `p`") != std::string::npos);
  CHECK(r.diagnostics[0].message.find("2027-03-28T01:15:00Z") != std::string::npos);
  CHECK(r.diagnostics[1].message.find("2027-10-31T00:15:00Z") != std::string::npos);
  const std::vector<Job> jobs = Expand(r.calendars, kMin, kMax);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].local_time == "2027-03-28T03:15:00+02:00");
  CHECK(jobs[1].local_time == "2027-10-31T02:15:00+02:00");
}

TEST_CASE("an hourly rule across the spring-forward gap: one job per instant, {{time}} as sent",
          "[calendar][expand][dst]") {
  ScratchDir dir;
  // 02:30 does not exist on 2027-03-14 in Chicago; shifted by the gap it is
  // 03:30, which the rule gives anyway: one job, with a warning.
  const std::string path = dir.Write("cal.yaml", OnePost("America/Chicago",
                                                         "        repeat:\n"
                                                         "          rule: FREQ=HOURLY\n"
                                                         "          start: 2027-03-14 00:30\n"
                                                         "          count: 5\n") +
                                                     "      - id: q\n        text: at {{time}}\n"
                                                     "        at: 2027-03-14 02:10\n");
  const LoadResult r = Load({path}, ShopContext());
  REQUIRE(r.ok());
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.diagnostics[0].message.find("posted once") != std::string::npos);
  const std::vector<Job> jobs = Expand(r.calendars, kMin, kMax);
  std::set<std::string> ids;
  std::vector<std::string> hourly;
  for (const Job& j : jobs) {
    ids.insert(j.id);
    if (j.post_id == "p") hourly.push_back(j.local_time);
  }
  CHECK(ids.size() == jobs.size());
  CHECK(hourly == std::vector<std::string>{"2027-03-14T00:30:00-06:00", "2027-03-14T01:30:00-06:00",
                                           "2027-03-14T03:30:00-05:00",
                                           "2027-03-14T04:30:00-05:00"});
  const auto q =
      std::find_if(jobs.begin(), jobs.end(), [](const Job& j) { return j.post_id == "q"; });
  REQUIRE(q != jobs.end());
  CHECK(q->local_time == "2027-03-14T03:10:00-05:00");
  CHECK(q->text == "at 03:10");
}

TEST_CASE("weekly rule keeps the wall-clock time across DST", "[calendar][expand][rrule]") {
  ScratchDir dir;
  const CalendarSet set = LoadOk(dir, OnePost("America/Chicago",
                                              "        repeat:\n"
                                              "          rule: FREQ=WEEKLY;BYDAY=TU,TH\n"
                                              "          start: 2027-03-09 09:00\n"
                                              "          until: 2027-03-18\n"
                                              "          except: [2027-03-11 09:00]\n"));
  CHECK(LocalTimes(Expand(set, kMin, kMax)) ==
        std::vector<std::string>{"2027-03-09T09:00:00-06:00", "2027-03-16T09:00:00-05:00",
                                 "2027-03-18T09:00:00-05:00"});
}

TEST_CASE("RRULE BYMONTHDAY, COUNT, UNTIL in the rule, positional BYDAY",
          "[calendar][expand][rrule]") {
  ScratchDir a, b, c;
  CHECK(LocalTimes(Expand(LoadOk(a, OnePost("UTC",
                                            "        repeat:\n"
                                            "          rule: FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=3\n"
                                            "          start: 2027-01-01 12:00\n")),
                          kMin, kMax)) == std::vector<std::string>{"2027-01-01T12:00:00+00:00",
                                                                   "2027-01-15T12:00:00+00:00",
                                                                   "2027-02-01T12:00:00+00:00"});
  CHECK(LocalTimes(Expand(
            LoadOk(b, OnePost("UTC",
                              "        repeat:\n"
                              "          rule: FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270430T235959\n"
                              "          start: 2027-01-01 18:00\n")),
            kMin, kMax)) ==
        std::vector<std::string>{"2027-01-29T18:00:00+00:00", "2027-02-26T18:00:00+00:00",
                                 "2027-03-26T18:00:00+00:00", "2027-04-30T18:00:00+00:00"});
  const std::vector<Job> daily = Expand(LoadOk(c, OnePost("UTC",
                                                          "        repeat:\n"
                                                          "          rule: RRULE:FREQ=DAILY\n"
                                                          "          start: 2027-01-01 08:00\n"
                                                          "          count: 10\n")),
                                        Utc("2027-01-03 00:00"), Utc("2027-01-05 00:00"));
  CHECK(LocalTimes(daily) ==
        std::vector<std::string>{"2027-01-03T08:00:00+00:00", "2027-01-04T08:00:00+00:00"});
}

TEST_CASE("for_each renders one post per member, variants override per platform",
          "[calendar][expand][template]") {
  ScratchDir dir;
  dir.Write("fans.csv", "key,first_name,team\nana,Ana,Cubs\n\"tom\",\"Tom \"\"T\"\"\",Brewers\n");
  dir.Write("teams/Cubs.png", std::string(testing::kTinyPng, sizeof testing::kTinyPng - 1));
  dir.Write("teams/Brewers.png", std::string(testing::kTinyPng, sizeof testing::kTinyPng - 1));
  const CalendarSet set = LoadOk(dir, R"(calendar: c
time_zone: America/Chicago
audiences:
  fans: {file: fans.csv}
campaigns:
  - id: game-day
    goal: retention
    targets: [facebook/shop, instagram/shop]
    posts:
      - id: shout
        at: 2027-04-02 08:00
        for_each: fans
        text: "Go {{team}}, {{first_name}}! ({{weekday}} {{date}}, {{campaign}}/{{goal}}) <&>"
        instagram:
          text: "{{first_name}}: #GameDay {{#vip}}VIP{{/vip}}"
          media:
            - path: teams/{{team}}.png
              alt: "{{team}} colours"
)");
  const std::vector<Job> jobs = Expand(set, kMin, kMax);
  REQUIRE(jobs.size() == 4);
  std::map<std::string, const Job*> by;
  for (const Job& j : jobs) by[j.account + " " + j.member_key] = &j;
  REQUIRE(by.count("facebook/shop ana") == 1);
  CHECK(by["facebook/shop ana"]->text == "Go Cubs, Ana! (Friday April 2, game-day/retention) <&>");
  CHECK(by["facebook/shop tom"]->text ==
        "Go Brewers, Tom \"T\"! (Friday April 2, game-day/retention) <&>");
  CHECK(by["facebook/shop ana"]->media.empty());
  const Job& ig = *by["instagram/shop tom"];
  CHECK(ig.text == "Tom \"T\": #GameDay ");
  REQUIRE(ig.media.size() == 1);
  CHECK(ig.media[0].path == dir.path() + "/teams/Brewers.png");
  CHECK(ig.media[0].mime_type == "image/png");
  CHECK(ig.media[0].alt == "Brewers colours");
  CHECK(ig.goal == "retention");
  CHECK(ig.campaign_id == "game-day");
  std::set<std::string> ids;
  for (const Job& j : jobs) ids.insert(j.id);
  CHECK(ids.size() == 4);
}

TEST_CASE("an empty CSV cell counts as absent: its section shows nothing", "[calendar][expand]") {
  ScratchDir dir;
  dir.Write("fans.csv", "key,name,team\nana,Ana,Cubs\nbo,Bo,\n");
  const CalendarSet set = LoadOk(dir, R"(calendar: c
time_zone: UTC
targets: [facebook/shop]
audiences:
  fans: {file: fans.csv}
campaigns:
  - id: k
    goal: retention
    posts:
      - id: p
        at: 2027-03-26 08:30
        for_each: fans
        text: "Hi {{name}}!{{#team}} Good luck to the {{team}}.{{/team}}{{^team}} Enjoy.{{/team}}"
)");
  std::map<std::string, std::string> texts;
  for (const Job& j : Expand(set, kMin, kMax)) texts[j.member_key] = j.text;
  CHECK(texts == std::map<std::string, std::string>{{"ana", "Hi Ana! Good luck to the Cubs."},
                                                    {"bo", "Hi Bo! Enjoy."}});
}

TEST_CASE("youtube options go to options_json and ToJson", "[calendar][expand]") {
  ScratchDir dir;
  const CalendarSet set = LoadOk(dir, R"(calendar: c
time_zone: UTC
campaigns:
  - id: k
    goal: awareness
    posts:
      - id: v
        at: 2027-05-01 10:00
        targets: [youtube/shop]
        text: Watch
        late: publish within 1h30m
        youtube:
          title: "Behind the counter, {{year}}"
          tags: [a, "b c"]
          privacy: unlisted
)");
  const std::vector<Job> jobs = Expand(set, kMin, kMax);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].options_json ==
        R"({"privacy":"unlisted","tags":["a","b c"],"title":"Behind the counter, 2027"})");
  CHECK_FALSE(jobs[0].late_policy.skip);
  CHECK(jobs[0].late_policy.grace == std::chrono::seconds(5400));
  const std::string json = ToJson(jobs[0]);
  CHECK(json.find(R"("options":{"privacy":"unlisted")") != std::string::npos);
  CHECK(json.find(R"("late":"publish within 1h30m")") != std::string::npos);
  CHECK(json.find(R"("due":"2027-05-01T10:00:00Z")") != std::string::npos);
}

TEST_CASE("a platform's post kind goes to options_json for that platform only",
          "[calendar][expand]") {
  ScratchDir dir;
  const CalendarSet set = LoadOk(dir, R"(calendar: c
time_zone: UTC
campaigns:
  - id: k
    goal: awareness
    posts:
      - id: s
        at: 2027-05-01 10:00
        targets: [instagram/shop, facebook/shop]
        text: Open late tonight
        instagram: {kind: story}
)");
  const std::vector<Job> jobs = Expand(set, kMin, kMax);
  REQUIRE(jobs.size() == 2);
  for (const Job& j : jobs) {
    INFO(j.account);
    CHECK(j.options_json == (j.platform == "instagram" ? R"({"kind":"story"})" : "{}"));
  }
}

TEST_CASE("ids are stable and editing one post changes only its jobs content hash",
          "[calendar][expand]") {
  const std::string base = R"(calendar: c
time_zone: UTC
targets: [facebook/shop]
campaigns:
  - id: k
    goal: retention
    posts:
      - id: a
        at: 2027-05-01 10:00
        text: first
      - id: b
        at: 2027-05-02 10:00
        text: second
)";
  ScratchDir d1, d2, d3;
  const std::vector<Job> one = Expand(LoadOk(d1, base), kMin, kMax);
  const std::vector<Job> two = Expand(LoadOk(d2, base), kMin, kMax);
  std::string edited = base;
  edited.replace(edited.find("second"), 6, "second, edited");
  const std::vector<Job> three = Expand(LoadOk(d3, edited), kMin, kMax);
  REQUIRE(one.size() == 2);
  REQUIRE(three.size() == 2);
  CHECK(one[0].id == two[0].id);
  CHECK(one[0].content_hash == two[0].content_hash);
  CHECK(one[0].id == three[0].id);
  CHECK(one[0].content_hash == three[0].content_hash);
  CHECK(one[1].id == three[1].id);
  CHECK(one[1].content_hash != three[1].content_hash);
  CHECK(one[0].id != one[1].id);
}

TEST_CASE("several calendar files in one folder load together", "[calendar][expand]") {
  ScratchDir dir;
  dir.Write("a.yaml", OnePost("UTC", "        at: 2027-05-01 10:00\n"));
  std::string b = OnePost("UTC", "        at: 2027-05-01 09:00\n");
  b.replace(b.find("calendar: c"), 11, "calendar: d");
  dir.Write("b.yml", b);
  dir.Write("notes.txt", "not a calendar");
  const LoadResult r = Load({dir.path()}, ShopContext());
  REQUIRE(r.ok());
  const std::vector<Job> jobs = Expand(r.calendars, kMin, kMax);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].calendar_id == "d");
  CHECK(jobs[1].calendar_id == "c");
  CHECK(jobs[0].id != jobs[1].id);
}

}  // namespace herald::calendar
