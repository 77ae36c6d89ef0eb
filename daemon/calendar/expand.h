// Expand: turns a loaded CalendarSet into the concrete jobs due in a window:
// occurrences x audience members x targets, each rendered. A pure function of
// the set and the window (no I/O, no clock): same input, same jobs and ids.
// Any thread; the set is only read.
#pragma once

#include <vector>

#include "calendar/job.h"
#include "calendar/model.h"

namespace herald::calendar {

// Jobs with from <= due < to, sorted by due; jobs due at the same instant
// keep the calendar's order (calendar, post, target, member).
std::vector<Job> Expand(const CalendarSet& calendars, TimePoint from, TimePoint to);

}  // namespace herald::calendar
