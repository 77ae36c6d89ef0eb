#include "calendar/recurrence.h"

#include <date/date.h>
#include <libical/ical.h>

#include <algorithm>

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

std::vector<std::string> Parts(std::string_view rule) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= rule.size()) {
    std::size_t end = rule.find(';', start);
    if (end == std::string_view::npos) end = rule.size();
    if (end > start) parts.emplace_back(rule.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// libical only says "MALFORMEDDATA"; find the part it refuses so the
// marketer learns what to fix.
Error Explain(std::string_view rule) {
  const std::vector<std::string> parts = Parts(rule);
  bool has_freq = false;
  for (const std::string& p : parts) {
    if (p.rfind("FREQ=", 0) == 0) has_freq = true;
  }
  if (!has_freq) {
    return Error(ErrorCode::kInvalidArgument,
                 "the repeat rule `" + std::string(rule) +
                     "` needs a frequency such as `FREQ=WEEKLY` (RFC 5545 RRULE)");
  }
  for (const std::string& p : parts) {
    icalrecurrencetype r;
    const std::string probe = p.rfind("FREQ=", 0) == 0 ? p : "FREQ=DAILY;" + p;
    if (!Parses(probe, r)) {
      std::string hint;
      if (p.rfind("FREQ=", 0) == 0) {
        hint = "; use SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY";
      } else if (p.rfind("BYDAY=", 0) == 0) {
        hint = "; days are MO, TU, WE, TH, FR, SA, SU, optionally with a position like 1MO or -1FR";
      } else if (p.rfind("UNTIL=", 0) == 0) {
        hint = "; write UNTIL like 20250930T235959, or use `until:` in the repeat block";
      } else if (p.find('=') == std::string::npos) {
        hint = "; every part is NAME=VALUE";
      }
      return Error(ErrorCode::kInvalidArgument,
                   "the repeat rule part `" + p + "` is not valid RFC 5545" + hint);
    }
  }
  return Error(ErrorCode::kInvalidArgument,
               "the repeat rule `" + std::string(rule) + "` is not a valid RFC 5545 RRULE");
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

Status CheckRule(std::string_view rule, bool& has_end) {
  rule = StripPrefix(rule);
  icalrecurrencetype r;
  if (!Parses(std::string(rule), r)) return Explain(rule);
  has_end = r.count > 0 || !icaltime_is_null_time(r.until);
  return Status::Ok();
}

Result<std::vector<LocalSeconds>> ExpandRecurrence(const RecurrenceSpec& spec,
                                                   std::size_t max_occurrences) {
  const std::string_view base = StripPrefix(spec.rule);
  icalrecurrencetype r;
  if (!Parses(std::string(base), r)) return Explain(base);
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
                 "libical cannot start this repeat rule from the given start");
  }
  std::vector<LocalSeconds> out;
  Status status;
  for (icaltimetype n = icalrecur_iterator_next(it); !icaltime_is_null_time(n);
       n = icalrecur_iterator_next(it)) {
    const LocalSeconds t = FromIcal(n);
    if (std::find(spec.except.begin(), spec.except.end(), t) != spec.except.end()) continue;
    if (out.size() >= max_occurrences) {
      status = Error(ErrorCode::kInvalidArgument, "the repeat rule yields more than " +
                                                      std::to_string(max_occurrences) +
                                                      " occurrences; shorten it or split the post");
      break;
    }
    out.push_back(t);
  }
  icalrecur_iterator_free(it);
  icalerror_clear_errno();
  if (!status.ok()) return status.error();
  return out;
}

}  // namespace herald::calendar
