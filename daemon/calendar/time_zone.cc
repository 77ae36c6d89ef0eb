#include "calendar/time_zone.h"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <exception>
#include <utility>
#include <vector>

#include "calendar/suggest.h"

namespace herald::calendar {

namespace {

// Compared the way a marketer's typing differs: case, spaces for `_`.
std::string Folded(std::string_view name) {
  std::string out;
  for (char c : name) {
    out += c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The tz database's names (zones and their aliases), read once.
const std::vector<std::string>& ZoneNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    try {
      for (const date::time_zone& z : date::get_tzdb().zones) {
        if (z.name() != "localtime" && z.name() != "posixrules" && z.name() != "Factory") {
          out.push_back(z.name());
        }
      }
    } catch (const std::exception&) {
      // No database: no suggestions (Find fails with a plain message).
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return names;
}

// Common abbreviations, which are not zone names (or, like EST, name a
// fixed offset), and the zone most people writing them mean.
constexpr std::pair<std::string_view, std::string_view> kAbbreviations[] = {
    {"ET", "America/New_York"},     {"EDT", "America/New_York"},   {"CT", "America/Chicago"},
    {"CST", "America/Chicago"},     {"CDT", "America/Chicago"},    {"MT", "America/Denver"},
    {"MDT", "America/Denver"},      {"PT", "America/Los_Angeles"}, {"PST", "America/Los_Angeles"},
    {"PDT", "America/Los_Angeles"}, {"AKST", "America/Anchorage"}, {"AKDT", "America/Anchorage"},
    {"BST", "Europe/London"},       {"CEST", "Europe/Berlin"},     {"EEST", "Europe/Athens"},
    {"IST", "Asia/Kolkata"},        {"JST", "Asia/Tokyo"},         {"KST", "Asia/Seoul"},
    {"AEST", "Australia/Sydney"},   {"AEDT", "Australia/Sydney"},  {"NZST", "Pacific/Auckland"},
    {"NZDT", "Pacific/Auckland"}};

// For an offset written as a zone (`UTC+2`, `GMT-05:00`, `+0530`): why it is
// not one and what to write; "" for anything else.
std::string OffsetAdvice(std::string_view name, std::string_view upper) {
  std::size_t i = 0;
  if (upper.substr(0, 3) == "UTC" || upper.substr(0, 3) == "GMT") i = 3;
  while (i < upper.size() && upper[i] == ' ') ++i;
  if (i >= upper.size() || (upper[i] != '+' && upper[i] != '-')) return "";
  const char sign = upper[i++];
  int hours = 0, minutes = 0, digits = 0;
  for (; i < upper.size() && std::isdigit(static_cast<unsigned char>(upper[i])) && digits < 2;
       ++i, ++digits) {
    hours = hours * 10 + (upper[i] - '0');
  }
  if (digits == 0) return "";
  if (i < upper.size() && upper[i] == ':') ++i;
  for (digits = 0;
       i < upper.size() && std::isdigit(static_cast<unsigned char>(upper[i])) && digits < 2;
       ++i, ++digits) {
    minutes = minutes * 10 + (upper[i] - '0');
  }
  if (i != upper.size() || hours > 14 || minutes > 59) return "";
  std::string out = "; `" + std::string(name) +
                    "` is a fixed offset from UTC, not a time zone: write the place's zone, like "
                    "`Europe/Paris`, so that its daylight saving time is followed";
  if (minutes == 0 && hours > 0) {
    out += std::string(" (an offset that never changes is `Etc/GMT") + (sign == '+' ? '-' : '+') +
           std::to_string(hours) + "`, whose sign is reversed)";
  }
  return out;
}

// "; did you mean `America/New_York`?", or a word on abbreviations, or "".
std::string ZoneSuggestion(std::string_view name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (std::string offset = OffsetAdvice(name, upper); !offset.empty()) return offset;
  for (const auto& [abbreviation, zone] : kAbbreviations) {
    if (upper == abbreviation) {
      return "; `" + std::string(name) +
             "` is an abbreviation, not a zone name: write the place's zone, such as `" +
             std::string(zone) + "`";
    }
  }
  const std::string folded = Folded(name);
  const std::vector<std::string>& names = ZoneNames();
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, folded.size() / 4) + 1;
  for (const std::string& z : names) {
    const std::string fz = Folded(z);
    if (fz == folded) return "; did you mean `" + z + "`? (zone names are case-sensitive)";
    const std::size_t slash = fz.rfind('/');
    const std::string_view city =
        slash == std::string::npos ? std::string_view(fz) : std::string_view(fz).substr(slash + 1);
    // A city alone: its zone (the first of the canonical Area/City names).
    if (city == folded && slash != std::string::npos && best_d > 0) {
      best = z;
      best_d = 0;
      continue;
    }
    const std::size_t d = EditDistance(folded, fz);
    if (d < best_d) {
      best_d = d;
      best = z;
    }
  }
  return best.empty() ? "" : "; did you mean `" + best + "`?";
}

}  // namespace

Result<TimeZone> TimeZone::Find(std::string_view name) {
  if (name.empty()) return Error(ErrorCode::kNotFound, "the time zone is empty");
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return TimeZone(zone, std::string(name));
  } catch (const std::exception&) {
    std::string hint = ZoneSuggestion(name);
    if (hint.empty()) hint = "; write an IANA zone name: Area/City, like `Europe/Paris`";
    return Error(ErrorCode::kNotFound, "unknown time zone `" + std::string(name) + "`" + hint);
  }
}

std::string ZoneCaveat(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kFixed[] = {
      {"EST", "UTC-05:00; for New York's clock write `America/New_York`"},
      {"MST", "UTC-07:00; for Denver's clock write `America/Denver` (Phoenix: `America/Phoenix`)"},
      {"HST", "UTC-10:00; for Honolulu write `Pacific/Honolulu`"}};
  for (const auto& [fixed, advice] : kFixed) {
    if (name == fixed) {
      return "`" + std::string(name) + "` is a fixed offset with no daylight saving time, " +
             std::string(advice);
    }
  }
  constexpr std::string_view kEtc = "Etc/GMT";
  if (name.substr(0, kEtc.size()) == kEtc && name.size() > kEtc.size() &&
      (name[kEtc.size()] == '+' || name[kEtc.size()] == '-')) {
    const std::string hours(name.substr(kEtc.size() + 1));
    return "`" + std::string(name) + "` means UTC" + (name[kEtc.size()] == '+' ? "-" : "+") +
           hours + " (these names reverse the sign); for a place's clock write its zone, like " +
           "`Europe/Paris`";
  }
  return "";
}

ResolvedTime TimeZone::Resolve(LocalSeconds local) const {
  const date::local_seconds l{local.time_since_epoch()};
  const date::local_info info = zone_->get_info(l);
  ResolvedTime r;
  switch (info.result) {
    case date::local_info::unique:
      r.kind = LocalKind::kUnique;
      break;
    case date::local_info::nonexistent:
      // Interpreting the time with the offset before the gap lands exactly
      // the gap's length later on the clock after it.
      r.kind = LocalKind::kGap;
      break;
    case date::local_info::ambiguous:
      // first is the offset before the transition: the earlier instant.
      r.kind = LocalKind::kOverlap;
      break;
  }
  r.utc = SysSeconds{local.time_since_epoch() - info.first.offset};
  r.offset_s = OffsetAt(r.utc);
  return r;
}

std::int64_t TimeZone::OffsetAt(SysSeconds utc) const {
  const date::sys_seconds s{utc.time_since_epoch()};
  return zone_->get_info(s).offset.count();
}

namespace {

bool ReadNumber(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto [p, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return ec == std::errc() && p == text.data() + pos + len;
}

// "`text`"; built by appending (GCC 12 warns falsely on "`" + std::string).
std::string Quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.append(1, '`').append(text).append(1, '`');
  return out;
}

// Why text is not a time as herald reads them, with the fix when the intent
// is clear (`2027-1-5 9:00`, `01/05/2027`, `9am`, a zone or `Z` at the end).
Error BadTime(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return Error(ErrorCode::kInvalidArgument, Quoted(text) + " is not a date and time" + why);
  };
  const std::string lower = [&] {
    std::string l(text);
    for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return l;
  }();
  if (lower.find("am") != std::string::npos || lower.find("pm") != std::string::npos) {
    return bad("; write the time on a 24-hour clock, like `2025-07-04 21:00`");
  }
  if (text.find('/') != std::string_view::npos || text.find('.') == 2 || text.find('.') == 1) {
    return bad("; write the date year first with dashes, like `2025-07-04 10:00`");
  }
  // Numbers in order, and what follows the last one.
  std::vector<int> numbers;
  std::vector<std::size_t> widths;
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      std::size_t j = i;
      int n = 0;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) && j - i < 6) {
        n = n * 10 + (text[j] - '0');
        ++j;
      }
      numbers.push_back(n);
      widths.push_back(j - i);
      i = j;
    } else if (text[i] == '-' || text[i] == ':' || text[i] == ' ' || text[i] == 'T') {
      if (text[i] == '-' && numbers.size() >= 5) break;  // an offset like -05:00
      ++i;
    } else {
      break;
    }
  }
  const std::string_view rest = text.substr(i);
  if (numbers.size() >= 5 && !widths.empty() && widths[0] == 4) {
    char fixed[32];
    std::snprintf(fixed, sizeof fixed, "%04d-%02d-%02d %02d:%02d", numbers[0], numbers[1] % 100,
                  numbers[2] % 100, numbers[3] % 100, numbers[4] % 100);
    if (!rest.empty() && rest.find_first_not_of(' ') != std::string_view::npos) {
      return bad(": it names a time zone or UTC offset (`" +
                 std::string(rest.substr(rest.find_first_not_of(' '))) +
                 "`); write the wall-clock time alone, like " + Quoted(fixed) +
                 ", and give the zone with `time_zone:`");
    }
    return bad("; write months, days, hours and minutes with two digits, like " + Quoted(fixed));
  }
  if (numbers.size() == 3 && widths[0] == 4 && rest.empty()) {
    char fixed[32];
    std::snprintf(fixed, sizeof fixed, "%04d-%02d-%02d 10:00", numbers[0], numbers[1] % 100,
                  numbers[2] % 100);
    return bad("; write it like " + Quoted(fixed));
  }
  return bad("; write it like `2025-07-04 10:00`");
}

}  // namespace

Result<ParsedLocalTime> ParseLocalTime(std::string_view text, bool allow_date_only) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!ReadNumber(text, 0, 4, y) || text.size() < 10 || text[4] != '-' ||
      !ReadNumber(text, 5, 2, mo) || text[7] != '-' || !ReadNumber(text, 8, 2, d)) {
    return BadTime(text);
  }
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) {
    return Error(ErrorCode::kInvalidArgument,
                 Quoted(text) + " is not a real date (no such day in that month)");
  }
  ParsedLocalTime out;
  if (text.size() == 10) {
    if (!allow_date_only) {
      std::string example(text);
      example.append(" 10:00");
      return Error(ErrorCode::kInvalidArgument,
                   Quoted(text) + " has no time of day; write it like " + Quoted(example));
    }
    out.date_only = true;
  } else {
    if ((text[10] != ' ' && text[10] != 'T') || !ReadNumber(text, 11, 2, h) || text.size() < 16 ||
        text[13] != ':' || !ReadNumber(text, 14, 2, mi)) {
      return BadTime(text);
    }
    if (text.size() == 19) {
      if (text[16] != ':' || !ReadNumber(text, 17, 2, s)) return BadTime(text);
    } else if (text.size() != 16) {
      return BadTime(text);
    }
    if (h > 23 || mi > 59 || s > 59) {
      return Error(ErrorCode::kInvalidArgument, Quoted(text) + " is not a real time of day");
    }
  }
  const date::local_days day{ymd};
  out.time = LocalSeconds{day.time_since_epoch() + std::chrono::hours(h) +
                          std::chrono::minutes(mi) + std::chrono::seconds(s)};
  return out;
}

std::string FormatLocal(LocalSeconds local, std::int64_t offset_s) {
  const date::local_seconds l{local.time_since_epoch()};
  std::string out = date::format("%Y-%m-%dT%H:%M:%S", l);
  const char sign = offset_s < 0 ? '-' : '+';
  const std::int64_t a = offset_s < 0 ? -offset_s : offset_s;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, static_cast<int>(a / 3600),
                static_cast<int>((a % 3600) / 60));
  return out + buf;
}

std::string FormatUtc(SysSeconds utc) {
  const date::sys_seconds s{utc.time_since_epoch()};
  return date::format("%Y-%m-%dT%H:%M:%SZ", s);
}

}  // namespace herald::calendar
