// Property: a random small calendar with faults injected (drawn from the kinds
// of mistake validate must catch) gives exactly the injected problems, each at
// its line:col, and nothing else: one mistake hides no other and a clean post
// stays clean. Seeds are fixed, so a failure names the calendar to rerun.
#include <catch2/catch.hpp>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "calendar/loader.h"
#include "calendar_test_util.h"

namespace herald::calendar {
namespace {

using testing::ScratchDir;

constexpr int kCalendars = 150;  // seeds tried; each calendar has up to 6 posts

struct Expected {
  int line;
  int col;
  Severity severity;
  std::string fragment;  // a part of the message that names the mistake
};

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  // The calendar's text; expected() says what validate must report.
  std::string Calendar() {
    Line("calendar: c");
    Line("time_zone: America/Chicago");
    Line("targets: [facebook/shop]");
    Line("audiences:");
    Line("  fans:");
    Line("    members:");
    Line("      - {key: ana, first_name: Ana, team: Cubs}");
    Line("      - {key: bo, first_name: Bo, team: Sox}");
    Line("campaigns:");
    Line("  - id: k");
    Line("    goal: retention");
    Line("    posts:");
    const int posts = Pick(1, 6);
    for (int i = 0; i < posts; ++i) Post(i);
    if (Pick(0, 4) == 0) {
      Line("  - id: k");
      expected_.push_back({line_, 9, Severity::kError, "campaign id `k` is used twice"});
      Line("    goal: awareness");
      Line("    posts:");
      Line("      - id: other");
      Line("        at: 2027-03-05 09:00");
      Line("        text: Another campaign.");
    }
    return text_.str();
  }

  const std::vector<Expected>& expected() const { return expected_; }

 private:
  enum Fault {
    kNone,
    kUnknownKey,
    kBadDate,
    kBadFrequency,
    kBadDay,
    kUntilBeforeStart,
    kCountAndUntil,
    kBadCount,
    kUnknownVariable,
    kVariableWithoutAudience,
    kUnquotedMustache,
    kBadZone,
    kUnknownAccount,
    kMissingMedia,
    kHashtagComment,
    kExceptNoMatch,
    kDuplicateId,
    kFaults
  };

  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <std::size_t N>
  const char* Any(const char* const (&options)[N]) {
    return options[Pick(0, N - 1)];
  }
  void Line(const std::string& s) {
    text_ << s << '\n';
    ++line_;
  }
  void Expect(int col, Severity s, std::string fragment) {
    expected_.push_back({line_, col, s, std::move(fragment)});
  }

  void Post(int i) {
    // About half the posts are clean.
    const Fault fault = Pick(0, 1) == 0 ? kNone : static_cast<Fault>(Pick(1, kFaults - 1));
    const std::string id = "p" + std::to_string(i);
    if (fault == kDuplicateId && i > 0) {
      Line("      - id: p" + std::to_string(i - 1));
      Expect(13, Severity::kError, "post id `p" + std::to_string(i - 1) + "` is used twice");
    } else {
      Line("      - id: " + id);
    }
    const std::string day = "2027-03-0" + std::to_string(2 + i);  // no DST change nearby
    const bool repeats = fault == kBadFrequency || fault == kBadDay || fault == kUntilBeforeStart ||
                         fault == kCountAndUntil || fault == kBadCount || fault == kExceptNoMatch ||
                         Pick(0, 2) == 0;
    if (!repeats) {
      if (fault == kBadDate) {
        const std::string bad = Any({"2027-02-29", "2027-04-31", "2027-06-31", "2027-02-30"});
        Line("        at: " + bad + " 09:00");
        Expect(13, Severity::kError, "`" + bad + " 09:00` is not a real date");
      } else {
        Line("        at: " + day + " 09:00");
      }
    } else {
      Line("        repeat:");
      if (fault == kBadFrequency) {
        const std::string f = Any({"WEKLY", "DAYLY", "MONTLY", "weeks"});
        Line("          rule: FREQ=" + f);
        Expect(17, Severity::kError, "`FREQ=" + f + "` is not a frequency");
      } else if (fault == kBadDay) {
        const std::string d = Any({"TUES", "MON", "XX", "1TUE"});
        Line("          rule: FREQ=WEEKLY;BYDAY=" + d);
        Expect(17, Severity::kError, "`" + d + "` is not a day");
      } else {
        Line("          rule: FREQ=WEEKLY");
      }
      Line("          start: " + day + " 09:00");
      if (fault == kUntilBeforeStart) {
        Line("          until: 2027-02-01 09:00");
        Expect(18, Severity::kError, "`until` (2027-02-01 09:00) is before `start`");
      } else if (fault == kCountAndUntil) {
        Line("          count: 3");
        Line("          until: 2027-05-01 09:00");
        Expect(11, Severity::kError, "use either `until` or `count`, not both");
      } else if (fault == kBadCount) {
        const std::string n = Any({"0", "-2", "three", "2000000"});
        Line("          count: " + n);
        Expect(18, Severity::kError, "`count` must be a whole number");
      } else {
        Line("          count: 3");
      }
      if (fault == kExceptNoMatch) {
        Line("          except: [" + day.substr(0, 9) + std::to_string(3 + i) + " 09:00]");
        Expect(20, Severity::kWarning, "is not one of this post's dates");
      }
    }
    const bool personal = fault == kUnknownVariable || fault == kUnquotedMustache ||
                          (fault != kVariableWithoutAudience && Pick(0, 1) == 0);
    if (personal) Line("        for_each: fans");
    switch (fault) {
      case kUnknownVariable: {
        const std::string v = Any({"frist_name", "teem", "fist_name", "tema"});
        Line("        text: \"Hi {{" + v + "}}\"");
        Expect(15, Severity::kError, "template variable `" + v + "` is not in audience `fans`");
        break;
      }
      case kVariableWithoutAudience:
        Line("        text: \"Hi {{first_name}}\"");
        Expect(15, Severity::kError, "has no `for_each` audience to fill it");
        break;
      case kUnquotedMustache:
        Line("        text: {{first_name}}, your coat is ready.");
        Expect(15, Severity::kError, "quote this text");
        break;
      case kHashtagComment:
        Line("        text: Go team! #GameDay");
        Expect(24, Severity::kWarning, "`#GameDay` after the text of `text` is read by YAML");
        break;
      default:
        Line(personal ? "        text: \"Hi {{first_name}}, go {{team}}!\""
                      : "        text: Hi all.");
    }
    if (fault == kUnknownKey) {
      const std::string key = Any({"txet", "tagets", "medai", "repaet", "for_eahc"});
      Line("        " + key + ": something");
      Expect(9, Severity::kError, "unknown key `" + key + "` in a post");
    } else if (fault == kBadZone) {
      const std::string zone = Any({"Europe/Lodnon", "America/Chicgo", "Mars/Olympus"});
      Line("        time_zone: " + zone);
      Expect(20, Severity::kError, "unknown time zone `" + zone + "`");
    } else if (fault == kUnknownAccount) {
      const std::string account = Any({"facebook/shpo", "instagram/shops", "youtube/chop"});
      Line("        targets: [" + account + "]");
      Expect(19, Severity::kError, "unknown account `" + account + "`");
    } else if (fault == kMissingMedia) {
      Line("        media: [missing-" + id + ".jpg]");
      Expect(17, Severity::kError, "media file `missing-" + id + ".jpg` does not exist");
    }
  }

  std::mt19937 rng_;
  std::ostringstream text_;
  int line_ = 0;  // lines written so far: the last one's number
  std::vector<Expected> expected_;
};

std::string Show(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += d.ToString() + "\n";
  return out;
}

}  // namespace

TEST_CASE("random calendars with injected faults give exactly those faults, at their places",
          "[calendar][property]") {
  testing::ScratchDir dir;
  for (int seed = 1; seed <= kCalendars; ++seed) {
    Generator g(static_cast<unsigned>(seed));
    const std::string text = g.Calendar();
    const std::string path = dir.Write("seed-" + std::to_string(seed) + ".yaml", text);
    const LoadResult r = Load({path}, testing::ShopContext());
    INFO("seed " << seed << ":\n" << text << "gave:\n" << Show(r.diagnostics));
    std::vector<bool> matched(r.diagnostics.size(), false);
    for (const Expected& e : g.expected()) {
      bool found = false;
      for (std::size_t i = 0; i < r.diagnostics.size() && !found; ++i) {
        const Diagnostic& d = r.diagnostics[i];
        if (matched[i] || d.line != e.line || d.col != e.col || d.severity != e.severity ||
            d.message.find(e.fragment) == std::string::npos) {
          continue;
        }
        matched[i] = found = true;
      }
      INFO("expected " << e.line << ":" << e.col << " " << e.fragment);
      CHECK(found);
    }
    CHECK(std::count(matched.begin(), matched.end(), false) == 0);
    const bool any_error =
        std::any_of(g.expected().begin(), g.expected().end(),
                    [](const Expected& e) { return e.severity == Severity::kError; });
    CHECK(r.ok() == !any_error);
  }
}

}  // namespace herald::calendar
