// Recurrence: RFC 5545 RRULEs expanded by libical in local wall-clock time
// (the calendar's zone is applied afterwards, so "every Tuesday 09:00" stays
// 09:00 across DST). No recurrence arithmetic is done here by hand. Stateless
// functions; any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/model.h"
#include "common/result.h"

namespace herald::calendar {

struct RecurrenceSpec {
  std::string rule;  // "FREQ=WEEKLY;BYDAY=TU", an optional "RRULE:" prefix allowed
  LocalSeconds start;
  std::optional<LocalSeconds> until;  // inclusive, local
  std::optional<int> count;
  std::vector<LocalSeconds> except;  // occurrences to leave out (EXDATE)
};

// Checks the rule's syntax; the error is a plain sentence naming the part
// libical refused. has_end is set when the rule itself has UNTIL or COUNT.
Status CheckRule(std::string_view rule, bool& has_end);

// All occurrences in order. Fails (kInvalidArgument) when the rule is
// malformed, has no end, or yields more than max_occurrences.
Result<std::vector<LocalSeconds>> ExpandRecurrence(const RecurrenceSpec& spec,
                                                   std::size_t max_occurrences);

}  // namespace herald::calendar
