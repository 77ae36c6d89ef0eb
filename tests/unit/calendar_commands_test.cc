// heraldctl validate / preview as library functions: exit codes, output
// formats, filters.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "calendar_test_util.h"
#include "ctl/calendar_commands.h"

namespace herald::ctl {
namespace {

using calendar::testing::ScratchDir;

struct Run {
  int rc;
  std::string out;
  std::string err;
};

Run Validate(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int rc = RunCalendarValidate(args, calendar::testing::ShopContext(), out, err);
  return {rc, out.str(), err.str()};
}

Run Preview(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int rc = RunCalendarPreview(args, calendar::testing::ShopContext(), out, err);
  return {rc, out.str(), err.str()};
}

const char kCalendar[] = R"(calendar: c
time_zone: America/Chicago
audiences:
  fans:
    members:
      - {key: ana, name: Ana}
      - {key: tom, name: Tom}
campaigns:
  - id: k
    goal: retention
    targets: [facebook/shop, instagram/shop]
    posts:
      - id: hello
        for_each: fans
        repeat: {rule: "FREQ=WEEKLY;BYDAY=MO", start: "2027-05-03 09:00", count: 3}
        text: "Hi {{name}}"
)";

}  // namespace

TEST_CASE("validate: 0 when clean, 1 with errors, --json", "[calendar][ctl]") {
  ScratchDir dir;
  const std::string good = dir.Write("good.yaml", kCalendar);
  Run r = Validate({good});
  CHECK(r.rc == 0);
  CHECK(r.out == "1 calendar(s), 1 post(s): OK\n");
  CHECK(r.err.empty());

  std::string broken = kCalendar;
  broken.replace(broken.find("text:"), 5, "txet:");
  const std::string bad = dir.Write("bad.yaml", broken);
  r = Validate({bad});
  CHECK(r.rc == 1);
  CHECK(r.err.find(bad + ":16:9: error: unknown key `txet` in a post; did you mean `text`?\n") !=
        std::string::npos);
  CHECK(r.err.find("\n1 error, 0 warnings\n") != std::string::npos);

  r = Validate({bad, "--json"});
  CHECK(r.rc == 1);
  CHECK(r.out.find(R"("line":16,"message":"unknown key `txet` in a post; did you mean `text`?")") !=
        std::string::npos);
  CHECK(Validate({}).rc == 2);
  CHECK(Validate({good, "--bogus"}).rc == 2);
}

TEST_CASE("preview: table, filters and window", "[calendar][ctl]") {
  ScratchDir dir;
  const std::string cal = dir.Write("c.yaml", kCalendar);
  Run r = Preview({cal});
  CHECK(r.rc == 0);
  CHECK(r.out.find("12 posts\n") != std::string::npos);
  CHECK(r.out.find(
            "2027-05-03T09:00:00-05:00  facebook/shop   ana     hello  k (retention)  Hi Ana") !=
        std::string::npos);
  r = Preview({cal, "--target", "instagram/shop", "--member", "tom", "--from", "2027-05-10", "--to",
               "2027-05-17"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("1 post\n") != std::string::npos);
  CHECK(r.out.find("2027-05-10T09:00:00-05:00  instagram/shop  tom") != std::string::npos);
  r = Preview({cal, "--from", "2027-05-10 14:00Z", "--to", "2027-05-10 14:01Z"});
  CHECK(r.out.find("4 posts\n") != std::string::npos);
  CHECK(Preview({cal, "--from", "soon"}).rc == 2);
  CHECK(Preview({cal, "--format", "pdf"}).rc == 2);
}

TEST_CASE("validate --help and preview --help list their arguments; an unknown member is an error",
          "[calendar][ctl]") {
  Run r = Validate({"--help"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("PATH") != std::string::npos);
  CHECK(r.out.find("--json") != std::string::npos);
  r = Preview({"--help"});
  CHECK(r.rc == 0);
  for (const char* option :
       {"PATH", "--from", "--to", "--target", "--member", "--format", "--output"}) {
    INFO(option);
    CHECK(r.out.find(option) != std::string::npos);
  }
  ScratchDir dir;
  const std::string cal = dir.Write("c.yaml", kCalendar);
  r = Preview({cal, "--member", "tomm"});
  CHECK(r.rc == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "preview: --member `tomm`: no audience of these calendars has a member with this "
        "key; did you mean `tom`?\n");
  r = Preview({cal, "--target", "instagram/shopp"});
  CHECK(r.rc == 2);
  CHECK(r.err.find("did you mean `instagram/shop`?") != std::string::npos);
}

TEST_CASE("preview: json and ics", "[calendar][ctl]") {
  ScratchDir dir;
  const std::string cal = dir.Write("c.yaml", kCalendar);
  Run r = Preview({cal, "--format", "json", "--member", "ana", "--target", "facebook/shop"});
  CHECK(r.rc == 0);
  CHECK(r.out.rfind("[\n{", 0) == 0);
  CHECK(r.out.find(R"("text":"Hi Ana")") != std::string::npos);
  CHECK(r.out.find(R"("due":"2027-05-17T14:00:00Z")") != std::string::npos);

  const std::string ics = dir.path() + "/plan.ics";
  r = Preview({cal, "--format", "ics", "--output", ics, "--member", "tom"});
  CHECK(r.rc == 0);
  CHECK(r.out.empty());
  std::ifstream in(ics);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  CHECK(s.rfind("BEGIN:VCALENDAR", 0) == 0);
  CHECK(s.find("DTSTART:20270503T140000Z") != std::string::npos);
  CHECK(s.find("SUMMARY:instagram/shop: hello for tom") != std::string::npos);
  std::size_t events = 0;
  for (std::size_t at = s.find("BEGIN:VEVENT"); at != std::string::npos;
       at = s.find("BEGIN:VEVENT", at + 1)) {
    ++events;
  }
  CHECK(events == 6);
}

TEST_CASE("preview refuses calendars with errors", "[calendar][ctl]") {
  ScratchDir dir;
  std::string broken = kCalendar;
  broken.replace(broken.find("America/Chicago"), 15, "America/Chicgo");
  const Run r = Preview({dir.Write("c.yaml", broken)});
  CHECK(r.rc == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("unknown time zone `America/Chicgo`") != std::string::npos);
}

}  // namespace herald::ctl

namespace herald::ctl {

TEST_CASE("preview of the example calendar, exactly", "[calendar][ctl]") {
  calendar::LoadContext ctx;
  ctx.accounts_known = false;
  const std::string examples = std::string(HERALD_SOURCE_DIR) + "/examples/calendars";
  std::ostringstream out, err;
  REQUIRE(RunCalendarPreview({examples, "--member", "ana-r"}, ctx, out, err) == 0);
  CHECK(out.str() ==
        "WHEN (LOCAL)               ACCOUNT                    MEMBER  POST                  "
        "CAMPAIGN              TEXT\n"
        "2027-03-26T08:30:00-05:00  facebook/corner-cleaners   ana-r   opening-day-shoutout  "
        "game-day (retention)  Big day, Ana! Good luck to the Cubs from all of us in Chicag...\n"
        "2027-03-26T08:30:00-05:00  instagram/corner-cleaners  ana-r   opening-day-shoutout  "
        "game-day (retention)  Go Cubs! Ana, show us your game-day look and we will press t...\n"
        "2 posts\n");
  std::ostringstream json, err2;
  REQUIRE(RunCalendarPreview({examples, "--member", "ana-r", "--target",
                              "instagram/corner-cleaners", "--format", "json"},
                             ctx, json, err2) == 0);
  CHECK(json.str().find(R"("text":"Go Cubs! Ana, show us your game-day look and we will press )"
                        R"(the navy blazer on the house. #GameDay #CornerCleaners")") !=
        std::string::npos);
  CHECK(json.str().find(R"("media":[{"alt":"Cubs colours on the Corner Cleaners counter",)"
                        R"("kind":"image","mime_type":"image/jpeg","path":")" +
                        std::filesystem::canonical(examples).string() +
                        R"(/media/teams/cubs.jpg","size_bytes":7142}])") != std::string::npos);
}

}  // namespace herald::ctl
