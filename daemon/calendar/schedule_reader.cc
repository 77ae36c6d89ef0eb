#include "calendar/schedule_reader.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calendar/recurrence.h"

namespace herald::calendar {

namespace {

constexpr const char* kRepeatKeys[] = {"rule", "start", "until", "count", "except"};

// "2027-03-14 02:30" for messages.
std::string Written(LocalSeconds l) {
  std::string out = FormatLocal(l, 0).substr(0, 16);
  out[10] = ' ';
  return out;
}

// Resolves each wall-clock time in the zone under the DST rule, with one
// warning per time that needed it (a few per post, then a count). Two times
// that land on one instant (a time in a spring-forward gap shifted onto one
// the rule also gives) are one occurrence, so job ids stay unique.
void Resolve(YamlReader& yaml, Post& post, const std::vector<LocalSeconds>& locals,
             const TimeZone& zone, const YAML::Node& where) {
  std::vector<ResolvedTime> resolved;
  resolved.reserve(locals.size());
  std::set<SysSeconds> real;  // instants of times that needed no shift
  for (const LocalSeconds& l : locals) {
    resolved.push_back(zone.Resolve(l));
    if (resolved.back().kind != LocalKind::kGap) real.insert(resolved.back().utc);
  }
  constexpr int kWarningsPerPost = 5;
  int warnings = 0, unsaid = 0;
  const auto warn = [&](const std::string& message) {
    if (++warnings <= kWarningsPerPost) {
      yaml.Warn(where, "post `" + post.id + "`: " + message);
    } else {
      ++unsaid;
    }
  };
  post.occurrences.reserve(locals.size());
  for (std::size_t i = 0; i < locals.size(); ++i) {
    const LocalSeconds l = locals[i];
    const ResolvedTime& r = resolved[i];
    const LocalSeconds wall{r.utc.time_since_epoch() + std::chrono::seconds(r.offset_s)};
    const std::string resolved_text = FormatLocal(wall, r.offset_s) + " = " + FormatUtc(r.utc);
    if (r.kind == LocalKind::kGap) {
      if (real.count(r.utc) > 0) {
        warn(Written(l) + " does not exist in " + zone.name() +
             " (clocks spring forward); shifted forward by the gap it falls on " + Written(wall) +
             ", which the rule also gives, so it is posted once (" + resolved_text + ")");
        continue;
      }
      warn(Written(l) + " does not exist in " + zone.name() +
           " (clocks spring forward); shifted forward by the gap to " + resolved_text);
    } else if (r.kind == LocalKind::kOverlap) {
      warn(Written(l) + " happens twice in " + zone.name() +
           " (clocks fall back); the earlier one is used: " + resolved_text);
    }
    post.occurrences.push_back({l, r.utc, r.offset_s});
  }
  if (unsaid > 0) {
    yaml.Warn(where,
              "post `" + post.id + "`: " + std::to_string(unsaid) +
                  " more of its times fall in a daylight saving change, shifted the same way");
  }
  std::stable_sort(post.occurrences.begin(), post.occurrences.end(),
                   [](const Occurrence& a, const Occurrence& b) { return a.utc < b.utc; });
  post.occurrences.erase(
      std::unique(post.occurrences.begin(), post.occurrences.end(),
                  [](const Occurrence& a, const Occurrence& b) { return a.utc == b.utc; }),
      post.occurrences.end());
}

// The time written at n; `date_only` allows a date alone, read as that day
// (until: its end; except: every time that day).
struct TimeRead {
  LocalSeconds time;
  bool date_only = false;
};

std::optional<TimeRead> TimeAt(YamlReader& yaml, const Entry* e, const YAML::Node& n,
                               bool date_only) {
  if (!n.IsScalar()) {
    yaml.Err(n.IsNull() ? e->key_node : n,
             std::string("`") + e->key + "` must be a date and time like `2025-07-04 10:00`");
    return std::nullopt;
  }
  Result<ParsedLocalTime> t = ParseLocalTime(n.Scalar(), date_only);
  if (!t.ok()) {
    yaml.Err(n, t.error().message());
    return std::nullopt;
  }
  return TimeRead{t->time, t->date_only};
}

// The key of whichever of a and b is written later.
const YAML::Node& Later(const std::vector<Entry>& fields, const Entry* a, const Entry* b) {
  for (const Entry& f : fields) {
    if (&f == a) return b->key_node;
    if (&f == b) return a->key_node;
  }
  return b->key_node;
}

bool ReadRepeat(YamlReader& yaml, Post& post, const Entry* repeat, const TimeZone& zone,
                std::size_t max_occurrences) {
  const std::vector<Entry> fields = yaml.Mapping(repeat->value, "`repeat`");
  if (!repeat->value.IsMap()) return false;
  const std::set<std::string> meant =
      yaml.CheckKeys(fields, {std::begin(kRepeatKeys), std::end(kRepeatKeys)}, "`repeat`");
  RecurrenceSpec spec;
  bool good = true;
  const Entry* rule = FindEntry(fields, "rule");
  const Entry* start = FindEntry(fields, "start");
  const Entry* until = FindEntry(fields, "until");
  const Entry* count = FindEntry(fields, "count");
  if (rule == nullptr) {
    if (meant.count("rule") == 0) {
      yaml.Err(repeat->key_node, "`repeat` needs a `rule`, like `rule: FREQ=WEEKLY;BYDAY=TU`");
    }
    good = false;
  }
  if (start == nullptr && meant.count("start") > 0) {
    good = false;
  } else if (start == nullptr) {
    yaml.Err(repeat->key_node,
             "`repeat` needs a `start`: the first date and time, like `start: 2025-07-01 10:00`");
    good = false;
  }
  RuleFacts facts;
  if (rule != nullptr) {
    if (std::optional<std::string> r = yaml.Scalar(rule, "an RRULE like `FREQ=WEEKLY;BYDAY=TU`")) {
      spec.rule = *r;
      for (const RuleProblem& p : CheckRule(spec.rule, facts)) {
        if (p.warning) {
          yaml.Warn(rule->value, p.message);
        } else {
          yaml.Err(rule->value, p.message);
          good = false;
        }
      }
    } else {
      good = false;
    }
  }
  if (start != nullptr) {
    if (std::optional<TimeRead> t = TimeAt(yaml, start, start->value, false)) {
      spec.start = t->time;
    } else {
      good = false;
      start = nullptr;  // nothing to compare the end with
    }
  }
  if (until != nullptr) {
    if (std::optional<TimeRead> t = TimeAt(yaml, until, until->value, true)) {
      // A date-only `until` includes that whole day.
      spec.until =
          t->date_only ? t->time + std::chrono::hours(24) - std::chrono::seconds(1) : t->time;
      if (start != nullptr && *spec.until < spec.start) {
        yaml.Err(until->value, "`until` (" + until->value.Scalar() + ") is before `start` (" +
                                   start->value.Scalar() + "), so this post never happens");
        good = false;
      }
    } else {
      good = false;
    }
  }
  if (count != nullptr) {
    std::optional<std::string> s = yaml.Scalar(count, "a whole number");
    char* end = nullptr;
    const long n = s ? std::strtol(s->c_str(), &end, 10) : 0;
    if (!s || end == s->c_str() || *end != '\0' || n < 1 || n > 1'000'000) {
      if (s) yaml.Err(count->value, "`count` must be a whole number from 1 to 1000000");
      good = false;
    } else {
      spec.count = static_cast<int>(n);
    }
  }
  if (until != nullptr && count != nullptr) {
    yaml.Err(Later(fields, until, count), "use either `until` or `count`, not both");
    good = false;
  }
  if (facts.has_count || facts.until) {
    const Entry* extra = until != nullptr ? until : count;
    if (extra != nullptr) {
      yaml.Err(extra->key_node, std::string("the rule already ends with its own ") +
                                    (facts.has_count ? "COUNT" : "UNTIL") + "; remove `" +
                                    extra->key + ":` or the rule's " +
                                    (facts.has_count ? "COUNT" : "UNTIL"));
      good = false;
    }
  }
  if (facts.until && start != nullptr && *facts.until < spec.start) {
    yaml.Err(rule->value, "the rule's UNTIL (" + Written(*facts.until) + ") is before `start` (" +
                              start->value.Scalar() + "), so this post never happens");
    good = false;
  }
  // A wrong `except` item is an error, but the others are still matched
  // against the dates, so that one mistake hides no other.
  bool excepts_good = true;
  std::vector<YAML::Node> except_nodes;
  if (const Entry* ex = FindEntry(fields, "except")) {
    std::vector<YAML::Node> items;
    if (ex->value.IsSequence()) {
      for (const YAML::Node& i : ex->value) items.push_back(i);
    } else {
      items.push_back(ex->value);
    }
    for (const YAML::Node& i : items) {
      if (std::optional<TimeRead> t = TimeAt(yaml, ex, i, true)) {
        spec.except.push_back({t->time, t->date_only});
        except_nodes.push_back(i);
      } else {
        excepts_good = false;
      }
    }
  }
  if (!good) return false;
  Result<Expansion> expanded = ExpandRecurrence(spec, max_occurrences);
  if (!expanded.ok()) {
    yaml.Err(repeat->key_node, expanded.error().message());
    return false;
  }
  const std::vector<LocalSeconds>& locals = expanded->occurrences;
  for (std::size_t i = 0; i < spec.except.size(); ++i) {
    if (expanded->except_used[i]) continue;
    std::string nearest;
    if (!locals.empty()) {
      auto it = std::lower_bound(locals.begin(), locals.end(), spec.except[i].time);
      if (it == locals.end() ||
          (it != locals.begin() && spec.except[i].time - *(it - 1) < *it - spec.except[i].time)) {
        --it;
      }
      nearest = "; the nearest is " + Written(*it);
    }
    yaml.Warn(except_nodes[i], "`except: " + except_nodes[i].Scalar() +
                                   "` is not one of this post's dates, so it leaves nothing out" +
                                   nearest);
  }
  if (!excepts_good) return false;
  if (locals.empty()) {
    yaml.Err(repeat->key_node,
             std::find(expanded->except_used.begin(), expanded->except_used.end(), true) !=
                     expanded->except_used.end()
                 ? "every date of this repeat is in `except`, so the post never happens"
                 : "this repeat gives no date at all between its start and its end");
    return false;
  }
  post.rrule = spec.rule;
  Resolve(yaml, post, locals, zone, repeat->value);
  return true;
}

}  // namespace

bool ReadOccurrences(YamlReader& yaml, Post& post, const Entry* at, const Entry* repeat,
                     const TimeZone& zone, std::size_t max_occurrences) {
  if (at == nullptr) return ReadRepeat(yaml, post, repeat, zone, max_occurrences);
  std::optional<std::string> s = yaml.Scalar(at, "a date and time like `2025-07-04 10:00`");
  if (!s) return false;
  Result<ParsedLocalTime> t = ParseLocalTime(*s, false);
  if (!t.ok()) {
    yaml.Err(at->value, t.error().message());
    return false;
  }
  Resolve(yaml, post, {t->time}, zone, at->value);
  return true;
}

}  // namespace herald::calendar
