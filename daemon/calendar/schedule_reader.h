// Schedules: when a post happens, read from its `at:` (once) or its
// `repeat:` block (an RRULE with `start`, `until` or `count`, `except`), every
// wall-clock time resolved in the post's zone under the DST rule: a time in a
// spring-forward gap is shifted forward and a repeated one takes the earlier
// instant, each with a warning. Problems go to the reader's Diagnostics. Any
// thread, with its own reader.
#pragma once

#include <cstddef>

#include "calendar/model.h"
#include "calendar/time_zone.h"
#include "calendar/yaml_reader.h"

namespace herald::calendar {

// Fills post.occurrences (sorted by UTC) and post.rrule from `at` or `repeat`
// (exactly one is non-null), at most max_occurrences of them. False, with
// errors, when the times cannot be read.
bool ReadOccurrences(YamlReader& yaml, Post& post, const Entry* at, const Entry* repeat,
                     const TimeZone& zone, std::size_t max_occurrences);

}  // namespace herald::calendar
