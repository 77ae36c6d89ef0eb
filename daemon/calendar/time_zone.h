// TimeZone: an IANA zone from the system tz database (/usr/share/zoneinfo,
// through Howard Hinnant's date/tz built with USE_OS_TZDB), and the rule for
// wall-clock times that do not exist or occur twice:
//   gap (spring forward): the time is shifted forward by the gap's length;
//   overlap (fall back):  the earlier of the two instants is taken.
// Also the strict parser for the local times marketers write. A TimeZone
// points into the process-wide tz database; copy it freely, use from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "calendar/model.h"
#include "common/result.h"

namespace date {
class time_zone;
}

namespace herald::calendar {

enum class LocalKind { kUnique, kGap, kOverlap };

struct ResolvedTime {
  SysSeconds utc;
  std::int64_t offset_s = 0;  // UTC offset in force at utc
  LocalKind kind = LocalKind::kUnique;
};

class TimeZone {
 public:
  // kNotFound with a plain message when the name is not a known IANA zone:
  // the nearest name in the tz database by edit distance (ignoring case,
  // spaces for `_`, or a city written alone: `Chicago`), or for an
  // abbreviation (`CST`) a zone that uses it.
  static Result<TimeZone> Find(std::string_view name);

  ResolvedTime Resolve(LocalSeconds local) const;
  std::int64_t OffsetAt(SysSeconds utc) const;
  const std::string& name() const { return name_; }

 private:
  TimeZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const date::time_zone* zone_;
  std::string name_;
};

// A warning for a zone name that exists but rarely means what a marketer
// wants: `EST`, `MST`, `HST` (fixed offsets, no daylight saving time) and
// `Etc/GMT+5` (whose sign is reversed). Empty for other names.
std::string ZoneCaveat(std::string_view name);

struct ParsedLocalTime {
  LocalSeconds time;
  bool date_only = false;  // "2025-09-30" without a time of day
};

// Accepts "2025-07-04 10:00", "2025-07-04T10:00", with optional ":SS", and
// (when allow_date_only) "2025-07-04". Rejects impossible dates (2025-02-30).
Result<ParsedLocalTime> ParseLocalTime(std::string_view text, bool allow_date_only);

// "2025-07-04T10:00:00-05:00"
std::string FormatLocal(LocalSeconds local, std::int64_t offset_s);
// "2025-07-04T15:00:00Z"
std::string FormatUtc(SysSeconds utc);

}  // namespace herald::calendar
