// Recurrence: RFC 5545 RRULEs expanded by libical in local wall-clock time
// (the calendar's zone is applied afterwards, so "every Tuesday 09:00" stays
// 09:00 across DST). No recurrence arithmetic is done here by hand; what is
// hand-written is the reading of each rule part, because libical only says
// that a rule is malformed and a marketer needs to know what is wrong with
// it ("February has no day 30", "COUNT and UNTIL cannot both be given").
// Stateless functions; any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/model.h"
#include "common/result.h"

namespace herald::calendar {

// A day to leave out: one occurrence (`2027-02-16 09:00`), or every
// occurrence of a day (`2027-02-16`).
struct ExceptDate {
  LocalSeconds time;
  bool whole_day = false;
};

struct RecurrenceSpec {
  std::string rule;  // "FREQ=WEEKLY;BYDAY=TU", an optional "RRULE:" prefix allowed
  LocalSeconds start;
  std::optional<LocalSeconds> until;  // inclusive, local
  std::optional<int> count;
  std::vector<ExceptDate> except;  // occurrences to leave out (EXDATE)
};

// What a rule says about its own end.
struct RuleFacts {
  bool has_count = false;
  std::optional<LocalSeconds> until;  // the rule's UNTIL, local
};

struct RuleProblem {
  bool warning = false;  // else an error
  std::string message;   // a sentence that names the part and says what is wrong
};

// Every problem of the rule, each part read on its own (an unknown part,
// a value out of range, a part that does not go with the frequency, dates
// no month has); `facts` is filled from the parts that could be read.
std::vector<RuleProblem> CheckRule(std::string_view rule, RuleFacts& facts);

struct Expansion {
  std::vector<LocalSeconds> occurrences;  // in order
  std::vector<bool> except_used;          // per spec.except: it left an occurrence out
};

// All occurrences in order. Fails (kInvalidArgument) when the rule is
// malformed, has no end, or yields more than max_occurrences.
Result<Expansion> ExpandRecurrence(const RecurrenceSpec& spec, std::size_t max_occurrences);

}  // namespace herald::calendar
