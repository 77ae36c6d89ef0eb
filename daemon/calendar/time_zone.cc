#include "calendar/time_zone.h"

#include <date/tz.h>

#include <charconv>
#include <cstdio>
#include <exception>

namespace herald::calendar {

Result<TimeZone> TimeZone::Find(std::string_view name) {
  if (name.empty()) return Error(ErrorCode::kNotFound, "the time zone is empty");
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return TimeZone(zone, std::string(name));
  } catch (const std::exception&) {
    return Error(ErrorCode::kNotFound, "unknown time zone `" + std::string(name) +
                                           "`; use an IANA name such as `America/Chicago`");
  }
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

Error BadTime(std::string_view text) {
  return Error(ErrorCode::kInvalidArgument,
               Quoted(text) + " is not a date and time; write it like `2025-07-04 10:00`");
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
