#include "calendar/recurrence.h"

#include <date/date.h>
#include <libical/ical.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "calendar/suggest.h"

namespace herald::calendar {
namespace {

std::string_view StripPrefix(std::string_view rule) {
  constexpr std::string_view kPrefix = "RRULE:";
  if (rule.substr(0, kPrefix.size()) == kPrefix) rule.remove_prefix(kPrefix.size());
  return rule;
}

bool Parses(const std::string& rule, icalrecurrencetype& out) {
  icalerror_set_errors_are_fatal(0);
  icalerror_clear_errno();
  out = icalrecurrencetype_from_string(rule.c_str());
  const bool ok = out.freq != ICAL_NO_RECURRENCE && icalerrno == ICAL_NO_ERROR;
  icalerror_clear_errno();
  return ok;
}

constexpr std::string_view kFreqs[] = {"SECONDLY", "MINUTELY", "HOURLY", "DAILY",
                                       "WEEKLY",   "MONTHLY",  "YEARLY"};
constexpr std::string_view kDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
constexpr std::string_view kPartNames[] = {
    "FREQ",  "UNTIL",      "COUNT",     "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR",
    "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH",  "BYSETPOS", "WKST"};
constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};  // at most

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

template <std::size_t N>
bool OneOf(const std::string_view (&list)[N], std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

template <std::size_t N>
std::string Listed(const std::string_view (&list)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    out += i == 0 ? "" : (i + 1 == N ? " or " : ", ");
    out += list[i];
  }
  return out;
}

// " (did you mean X?)" among candidates, or "".
template <std::size_t N>
std::string Nearest(std::string_view word, const std::string_view (&list)[N]) {
  const std::string s = Suggest(word, {std::begin(list), std::end(list)});
  if (s.empty()) return "";
  return " (did you mean " + s.substr(s.find('`') + 1, s.rfind('`') - s.find('`') - 1) + "?)";
}

// A whole number with an optional sign; nullopt otherwise.
std::optional<long> Number(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  std::size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  long n = 0;
  for (std::size_t k = i; k < s.size(); ++k) {
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return std::nullopt;
    n = n * 10 + (s[k] - '0');
  }
  return s[0] == '-' ? -n : n;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// Reads UTC-less RFC 5545 DATE-TIME "20271231T235959"; a sentence when it
// is anything else.
std::optional<std::string> ReadUntil(std::string_view v, LocalSeconds& out) {
  const std::string part = "the repeat rule part `UNTIL=" + std::string(v) + "`";
  const std::string fix =
      "write it like UNTIL=20271231T235959, or use `until: 2027-12-31` in "
      "the repeat block";
  if (v.find('-') != std::string_view::npos || v.find(':') != std::string_view::npos) {
    return part + " is not RFC 5545 syntax (no dashes or colons in UNTIL); " + fix;
  }
  const bool digits8 = v.size() >= 8 && std::all_of(v.begin(), v.begin() + 8, [](char c) {
                         return std::isdigit(static_cast<unsigned char>(c));
                       });
  if (digits8 && v.size() == 8) {
    return part +
           " is a date without a time; the start has a time of day, so RFC 5545 wants "
           "one in UNTIL too: " +
           fix;
  }
  const bool shaped = digits8 && (v.size() == 15 || v.size() == 16) && v[8] == 'T' &&
                      std::all_of(v.begin() + 9, v.begin() + 15, [](char c) {
                        return std::isdigit(static_cast<unsigned char>(c));
                      });
  if (!shaped || (v.size() == 16 && v[15] != 'Z')) {
    return part + " is not a date and time; " + fix;
  }
  if (v.size() == 16) {
    return part + " is in UTC (the `Z`), but calendar times are wall-clock times in the post's " +
           "zone: drop the `Z`, or use `until:` in the repeat block";
  }
  const auto num = [&](std::size_t at, std::size_t n) {
    int x = 0;
    for (std::size_t i = at; i < at + n; ++i) x = x * 10 + (v[i] - '0');
    return x;
  };
  const int y = num(0, 4), mo = num(4, 2), d = num(6, 2), h = num(9, 2), mi = num(11, 2),
            sec = num(13, 2);
  if (mo < 1 || mo > 12) return part + ": there is no month " + std::to_string(mo);
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) {
    return part + ": " + kMonths[mo - 1] + " " + std::to_string(y) + " has no day " +
           std::to_string(d);
  }
  if (h > 23 || mi > 59 || sec > 59) return part + " is not a real time of day";
  out = LocalSeconds{date::local_days{ymd}.time_since_epoch() + std::chrono::hours(h) +
                     std::chrono::minutes(mi) + std::chrono::seconds(sec)};
  return std::nullopt;
}

// "February", "February and April", "February, April and June".
std::string MonthList(const std::vector<int>& months) {
  std::string out;
  for (std::size_t i = 0; i < months.size(); ++i) {
    out += i == 0 ? "" : (i + 1 == months.size() ? " and " : ", ");
    out += kMonths[months[i] - 1];
  }
  return out;
}

icaltimetype ToIcal(LocalSeconds t) {
  const auto day = date::floor<date::days>(date::local_seconds{t.time_since_epoch()});
  const date::year_month_day ymd{day};
  const date::hh_mm_ss hms{date::local_seconds{t.time_since_epoch()} - day};
  icaltimetype it = icaltime_null_time();
  it.year = static_cast<int>(ymd.year());
  it.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  it.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  it.hour = static_cast<int>(hms.hours().count());
  it.minute = static_cast<int>(hms.minutes().count());
  it.second = static_cast<int>(hms.seconds().count());
  it.is_date = 0;
  return it;
}

LocalSeconds FromIcal(const icaltimetype& t) {
  const date::year_month_day ymd{date::year{t.year}, date::month{static_cast<unsigned>(t.month)},
                                 date::day{static_cast<unsigned>(t.day)}};
  const date::local_days day{ymd};
  return LocalSeconds{day.time_since_epoch() + std::chrono::hours(t.hour) +
                      std::chrono::minutes(t.minute) + std::chrono::seconds(t.second)};
}

}  // namespace

std::vector<RuleProblem> CheckRule(std::string_view rule, RuleFacts& facts) {
  std::vector<RuleProblem> out;
  const auto error = [&](std::string m) { out.push_back({false, std::move(m)}); };
  const auto warn = [&](std::string m) { out.push_back({true, std::move(m)}); };
  rule = StripPrefix(rule);
  std::string text(rule);
  if (text.find_first_of(" \t") != std::string::npos) {
    error("the repeat rule `" + text + "` has spaces in it; write it without, like " +
          "FREQ=WEEKLY;BYDAY=TU");
    text.erase(
        std::remove_if(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; }),
        text.end());
  }
  if (text.empty()) {
    error("the repeat rule is empty; write one like FREQ=WEEKLY;BYDAY=TU");
    return out;
  }
  std::map<std::string, std::string> parts;    // NAME -> VALUE, upper case
  std::map<std::string, std::string> written;  // NAME -> the part as written
  for (std::string_view p : Split(text, ';')) {
    if (p.empty()) continue;
    const std::size_t eq = p.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      error("the repeat rule part `" + std::string(p) + "` is not NAME=VALUE, like FREQ=WEEKLY");
      continue;
    }
    const std::string name = Upper(p.substr(0, eq));
    if (!OneOf(kPartNames, name)) {
      error("the repeat rule part `" + std::string(p) + "`: `" + std::string(p.substr(0, eq)) +
            "` is not a part of an RFC 5545 rule" + Nearest(name, kPartNames));
      continue;
    }
    if (!parts.emplace(name, Upper(p.substr(eq + 1))).second) {
      error("the repeat rule gives " + name + " twice; keep one");
      continue;
    }
    written[name] = std::string(p);
  }
  const auto part = [&](const std::string& name) {
    return "the repeat rule part `" + written[name] + "`";
  };
  std::string freq;
  if (auto it = parts.find("FREQ"); it == parts.end()) {
    error("the repeat rule `" + text +
          "` needs a frequency such as `FREQ=WEEKLY` (RFC 5545 RRULE)");
  } else if (!OneOf(kFreqs, it->second)) {
    error(part("FREQ") + " is not a frequency; use " + Listed(kFreqs) +
          Nearest(it->second, kFreqs));
  } else {
    freq = it->second;
  }
  // A list of whole numbers in [lo, hi] (and their negatives when signed).
  struct Range {
    const char* name;
    long lo, hi;
    bool signed_values;
    const char* meaning;
  };
  static constexpr Range kRanges[] = {
      {"BYSECOND", 0, 59, false, "seconds are 0 to 59"},
      {"BYMINUTE", 0, 59, false, "minutes are 0 to 59"},
      {"BYHOUR", 0, 23, false, "hours are 0 to 23"},
      {"BYMONTHDAY", 1, 31, true, "days of the month are 1 to 31, or -1 (the last) to -31"},
      {"BYYEARDAY", 1, 366, true, "days of the year are 1 to 366, or -1 to -366"},
      {"BYWEEKNO", 1, 53, true, "weeks of the year are 1 to 53, or -1 to -53"},
      {"BYMONTH", 1, 12, false, "months are 1 to 12"},
      {"BYSETPOS", 1, 366, true, "positions are 1 to 366, or -1 (the last) to -366"}};
  std::map<std::string, std::vector<long>> numbers;
  for (const Range& r : kRanges) {
    auto it = parts.find(r.name);
    if (it == parts.end()) continue;
    bool good = true;
    for (std::string_view item : Split(it->second, ',')) {
      const std::optional<long> n = Number(item);
      const long a = n ? (*n < 0 ? -*n : *n) : 0;
      if (!n || (*n < 0 && !r.signed_values) || a < r.lo || a > r.hi || (*n == 0 && r.lo > 0)) {
        error(part(r.name) + ": `" + std::string(item) + "` is out of range; " + r.meaning);
        good = false;
        break;
      }
      numbers[r.name].push_back(*n);
    }
    if (!good) numbers.erase(r.name);
  }
  if (auto it = parts.find("INTERVAL"); it != parts.end()) {
    const std::optional<long> n = Number(it->second);
    if (!n || *n < 1) error(part("INTERVAL") + ": the interval must be a whole number from 1 up");
  }
  if (auto it = parts.find("COUNT"); it != parts.end()) {
    const std::optional<long> n = Number(it->second);
    if (!n || *n < 1 || *n > 1'000'000) {
      error(part("COUNT") + ": COUNT must be a whole number from 1 to 1000000");
    } else {
      facts.has_count = true;
    }
  }
  if (auto it = parts.find("UNTIL"); it != parts.end()) {
    LocalSeconds until;
    if (std::optional<std::string> why = ReadUntil(it->second, until)) {
      error(*why);
    } else {
      facts.until = until;
    }
  }
  if (parts.count("COUNT") > 0 && parts.count("UNTIL") > 0) {
    error("the repeat rule has COUNT and UNTIL; COUNT and UNTIL cannot both be given");
  }
  bool positioned_day = false;
  if (auto it = parts.find("BYDAY"); it != parts.end()) {
    for (std::string_view item : Split(it->second, ',')) {
      std::size_t i = 0;
      if (i < item.size() && (item[i] == '+' || item[i] == '-')) ++i;
      std::size_t digits = i;
      while (digits < item.size() && std::isdigit(static_cast<unsigned char>(item[digits]))) {
        ++digits;
      }
      const std::string_view day = item.substr(digits);
      if (!OneOf(kDays, day)) {
        const std::string guess = day.size() >= 2 && OneOf(kDays, day.substr(0, 2))
                                      ? " (did you mean " + std::string(day.substr(0, 2)) + "?)"
                                      : Nearest(day, kDays);
        error(part("BYDAY") + ": `" + std::string(item) +
              "` is not a day; days are MO, TU, WE, TH, FR, SA, SU, optionally with a position "
              "like 1MO or -1FR" +
              guess);
        break;
      }
      if (digits > i || i > 0) {
        const std::optional<long> n = Number(item.substr(0, digits));
        const long limit = freq == "YEARLY" ? 53 : 5;
        if (!n || *n == 0 || *n > limit || *n < -limit) {
          error(part("BYDAY") + ": `" + std::string(item) + "`: the position must be 1 to " +
                std::to_string(limit) + " or -1 to -" + std::to_string(limit) +
                (freq == "YEARLY" ? " in a year" : " in a month"));
          break;
        }
        positioned_day = true;
      }
    }
  }
  if (auto it = parts.find("WKST"); it != parts.end() && !OneOf(kDays, it->second)) {
    error(part("WKST") + ": the week starts on a day: MO, TU, WE, TH, FR, SA or SU");
  }
  // What RFC 5545 lets each frequency use.
  if (!freq.empty()) {
    if (positioned_day && freq != "MONTHLY" && freq != "YEARLY") {
      error(part("BYDAY") + ": a day with a position (like 1MO, the first Monday) needs " +
            "FREQ=MONTHLY or FREQ=YEARLY, not FREQ=" + freq);
    }
    if (positioned_day && freq == "YEARLY" && parts.count("BYWEEKNO") > 0) {
      error(part("BYDAY") + ": a day with a position cannot go with BYWEEKNO");
    }
    if (parts.count("BYMONTHDAY") > 0 && freq == "WEEKLY") {
      error(part("BYMONTHDAY") +
            " cannot go with FREQ=WEEKLY; use FREQ=MONTHLY for days of the "
            "month, or BYDAY for days of the week");
    }
    if (parts.count("BYYEARDAY") > 0 &&
        (freq == "DAILY" || freq == "WEEKLY" || freq == "MONTHLY")) {
      error(part("BYYEARDAY") + " cannot go with FREQ=" + freq + "; use FREQ=YEARLY");
    }
    if (parts.count("BYWEEKNO") > 0 && freq != "YEARLY") {
      error(part("BYWEEKNO") + " only goes with FREQ=YEARLY, not FREQ=" + freq);
    }
  }
  if (parts.count("BYSETPOS") > 0 && std::none_of(parts.begin(), parts.end(), [](const auto& kv) {
        return kv.first.rfind("BY", 0) == 0 && kv.first != "BYSETPOS";
      })) {
    error(part("BYSETPOS") + " picks among the dates of another BY... part (like BYDAY), and " +
          "there is none");
  }
  // Days that no month of the rule has: no date at all.
  if (numbers.count("BYMONTHDAY") > 0) {
    const std::vector<long>& days = numbers["BYMONTHDAY"];
    const bool any_negative = std::any_of(days.begin(), days.end(), [](long d) { return d < 0; });
    const long lowest = *std::min_element(days.begin(), days.end());
    std::vector<int> months;
    if (numbers.count("BYMONTH") > 0) {
      for (long m : numbers["BYMONTH"]) months.push_back(static_cast<int>(m));
    }
    std::sort(months.begin(), months.end());
    months.erase(std::unique(months.begin(), months.end()), months.end());
    if (!any_negative && !months.empty() && std::all_of(months.begin(), months.end(), [&](int m) {
          return lowest > kMonthDays[m - 1];
        })) {
      std::string listed;
      std::vector<long> sorted = days;
      std::sort(sorted.begin(), sorted.end());
      sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        listed +=
            (i == 0 ? "" : (i + 1 == sorted.size() ? " or " : ", ")) + std::to_string(sorted[i]);
      }
      error("the repeat rule never happens: " + MonthList(months) +
            (months.size() == 1 ? " has" : " have") + " no day " + listed);
    } else if (!any_negative && months.empty() && freq == "MONTHLY" &&
               *std::max_element(days.begin(), days.end()) >= 29) {
      const long highest = *std::max_element(days.begin(), days.end());
      warn(part("BYMONTHDAY") + ": months with no day " + std::to_string(highest) +
           " get no post on it (RFC 5545 skips them); for the last day of every month write " +
           "BYMONTHDAY=-1");
    }
  }
  return out;
}

Result<Expansion> ExpandRecurrence(const RecurrenceSpec& spec, std::size_t max_occurrences) {
  const std::string_view base = StripPrefix(spec.rule);
  icalrecurrencetype r;
  if (!Parses(std::string(base), r)) {
    RuleFacts facts;
    std::vector<RuleProblem> problems = CheckRule(base, facts);
    for (const RuleProblem& p : problems) {
      if (!p.warning) return Error(ErrorCode::kInvalidArgument, p.message);
    }
    return Error(ErrorCode::kInvalidArgument,
                 "the repeat rule `" + std::string(base) + "` is not a valid RFC 5545 RRULE");
  }
  const bool rule_has_end = r.count > 0 || !icaltime_is_null_time(r.until);
  if (rule_has_end && (spec.until || spec.count)) {
    return Error(ErrorCode::kInvalidArgument,
                 "the rule already has UNTIL or COUNT; remove `until:`/`count:` or the rule's own");
  }
  if (spec.until) r.until = ToIcal(*spec.until);
  if (spec.count) r.count = *spec.count;
  if (!rule_has_end && !spec.until && !spec.count) {
    return Error(
        ErrorCode::kInvalidArgument,
        "a repeating post needs an end: add `until:` or `count:` (or UNTIL/COUNT in the rule)");
  }
  icalrecur_iterator* it = icalrecur_iterator_new(r, ToIcal(spec.start));
  if (it == nullptr) {
    icalerror_clear_errno();
    return Error(ErrorCode::kInvalidArgument,
                 "the repeat rule `" + std::string(base) + "` gives no date from its start");
  }
  Expansion out;
  out.except_used.assign(spec.except.size(), false);
  Status status;
  for (icaltimetype n = icalrecur_iterator_next(it); !icaltime_is_null_time(n);
       n = icalrecur_iterator_next(it)) {
    const LocalSeconds t = FromIcal(n);
    bool left_out = false;
    for (std::size_t i = 0; i < spec.except.size(); ++i) {
      const ExceptDate& e = spec.except[i];
      const bool match =
          e.whole_day ? date::floor<date::days>(date::local_seconds{t.time_since_epoch()}) ==
                            date::floor<date::days>(date::local_seconds{e.time.time_since_epoch()})
                      : e.time == t;
      if (match) {
        out.except_used[i] = true;
        left_out = true;
      }
    }
    if (left_out) continue;
    if (out.occurrences.size() >= max_occurrences) {
      status = Error(ErrorCode::kInvalidArgument, "the repeat rule yields more than " +
                                                      std::to_string(max_occurrences) +
                                                      " occurrences; shorten it or split the post");
      break;
    }
    out.occurrences.push_back(t);
  }
  icalrecur_iterator_free(it);
  icalerror_clear_errno();
  if (!status.ok()) return status.error();
  return out;
}

}  // namespace herald::calendar
