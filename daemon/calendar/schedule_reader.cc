#include "calendar/schedule_reader.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "calendar/recurrence.h"

namespace herald::calendar {

namespace {

constexpr const char* kRepeatKeys[] = {"rule", "start", "until", "count", "except"};

}  // namespace

bool ReadOccurrences(YamlReader& yaml, Post& post, const Entry* at, const Entry* repeat,
                     const TimeZone& zone, std::size_t max_occurrences) {
  std::vector<LocalSeconds> locals;
  const Entry* where = at != nullptr ? at : repeat;
  if (at != nullptr) {
    std::optional<std::string> s = yaml.Scalar(at, "a date and time like `2025-07-04 10:00`");
    if (!s) return false;
    Result<ParsedLocalTime> t = ParseLocalTime(*s, false);
    if (!t.ok()) {
      yaml.Err(at->value, t.error().message());
      return false;
    }
    locals.push_back(t->time);
  } else {
    const std::vector<Entry> fields = yaml.Mapping(repeat->value, "`repeat`");
    yaml.CheckKeys(fields, {std::begin(kRepeatKeys), std::end(kRepeatKeys)}, "`repeat`");
    RecurrenceSpec spec;
    bool good = true;
    const Entry* rule = FindEntry(fields, "rule");
    const Entry* start = FindEntry(fields, "start");
    if (rule == nullptr || start == nullptr) {
      yaml.Err(repeat->key_node,
               "`repeat` needs a `rule` (like `FREQ=WEEKLY;BYDAY=TU`) and a `start`");
      return false;
    }
    if (std::optional<std::string> r = yaml.Scalar(rule, "an RRULE like `FREQ=WEEKLY;BYDAY=TU`")) {
      spec.rule = *r;
      bool has_end = false;
      Status st = CheckRule(spec.rule, has_end);
      if (!st.ok()) {
        yaml.Err(rule->value, st.error().message());
        good = false;
      }
    } else {
      good = false;
    }
    auto time_of = [&](const Entry* e, const YAML::Node& n,
                       bool date_only) -> std::optional<LocalSeconds> {
      if (!n.IsScalar()) {
        yaml.Err(n,
                 std::string("`") + e->key + "` must be a date and time like `2025-07-04 10:00`");
        return std::nullopt;
      }
      Result<ParsedLocalTime> t = ParseLocalTime(n.Scalar(), date_only);
      if (!t.ok()) {
        yaml.Err(n, t.error().message());
        return std::nullopt;
      }
      // A date-only `until` includes that whole day.
      if (t->date_only) return t->time + std::chrono::hours(24) - std::chrono::seconds(1);
      return t->time;
    };
    if (auto t = time_of(start, start->value, false)) {
      spec.start = *t;
    } else {
      good = false;
    }
    if (const Entry* u = FindEntry(fields, "until")) {
      if (auto t = time_of(u, u->value, true)) {
        spec.until = *t;
      } else {
        good = false;
      }
    }
    if (const Entry* c = FindEntry(fields, "count")) {
      std::optional<std::string> s = yaml.Scalar(c, "a whole number");
      char* end = nullptr;
      const long n = s ? std::strtol(s->c_str(), &end, 10) : 0;
      if (!s || end == s->c_str() || *end != '\0' || n < 1 || n > 1'000'000) {
        if (s) yaml.Err(c->value, "`count` must be a whole number from 1 to 1000000");
        good = false;
      } else {
        spec.count = static_cast<int>(n);
      }
    }
    if (spec.until && spec.count) {
      yaml.Err(repeat->key_node, "use either `until` or `count`, not both");
      good = false;
    }
    if (const Entry* ex = FindEntry(fields, "except")) {
      std::vector<YAML::Node> items;
      if (ex->value.IsSequence()) {
        for (const YAML::Node& i : ex->value) items.push_back(i);
      } else {
        items.push_back(ex->value);
      }
      for (const YAML::Node& i : items) {
        if (auto t = time_of(ex, i, false)) {
          spec.except.push_back(*t);
        } else {
          good = false;
        }
      }
    }
    if (!good) return false;
    Result<std::vector<LocalSeconds>> occ = ExpandRecurrence(spec, max_occurrences);
    if (!occ.ok()) {
      yaml.Err(repeat->key_node, occ.error().message());
      return false;
    }
    locals = std::move(occ).value();
    post.rrule = spec.rule;
  }
  for (const LocalSeconds& l : locals) {
    const ResolvedTime r = zone.Resolve(l);
    if (r.kind != LocalKind::kUnique) {
      std::string written = FormatLocal(l, 0).substr(0, 16);
      written[10] = ' ';
      const std::string resolved =
          FormatLocal(LocalSeconds{r.utc.time_since_epoch() + std::chrono::seconds(r.offset_s)},
                      r.offset_s) +
          " = " + FormatUtc(r.utc);
      if (r.kind == LocalKind::kGap) {
        yaml.Warn(where->value,
                  "post `" + post.id + "`: " + written + " does not exist in " + zone.name() +
                      " (clocks spring forward); shifted forward by the gap to " + resolved);
      } else {
        yaml.Warn(where->value, "post `" + post.id + "`: " + written + " happens twice in " +
                                    zone.name() +
                                    " (clocks fall back); the earlier one is used: " + resolved);
      }
    }
    post.occurrences.push_back({l, r.utc, r.offset_s});
  }
  std::sort(post.occurrences.begin(), post.occurrences.end(),
            [](const Occurrence& a, const Occurrence& b) { return a.utc < b.utc; });
  return true;
}

}  // namespace herald::calendar
