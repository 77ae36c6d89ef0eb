// Fuzz target: RRULE handling (calendar/recurrence.h) and the local times a
// calendar's `repeat:` gives it. An input is lines: the rule; then,
// optionally, the start, `until <time>`, `count <n>`, and `except <time>`
// lines (times as a calendar writes them, read by ParseLocalTime). The rule's
// parts are checked one by one (CheckRule), then the rule is expanded by
// libical with a cap; neither may crash, hang or overflow.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "calendar/recurrence.h"
#include "calendar/time_zone.h"
#include "fuzz_support.h"

using namespace herald::calendar;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = herald::fuzz::Text(data, size);
  auto next_line = [&text]() {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    return line;
  };

  RecurrenceSpec spec;
  spec.rule = std::string(next_line());
  spec.start = ParseLocalTime("2027-01-05 09:00", false)->time;
  RuleFacts facts;
  const auto problems = CheckRule(spec.rule, facts);

  bool first = true;
  while (!text.empty()) {
    std::string_view line = next_line();
    if (line.rfind("until ", 0) == 0) {
      if (auto t = ParseLocalTime(line.substr(6), true); t.ok()) spec.until = t->time;
    } else if (line.rfind("count ", 0) == 0) {
      int n = 0;
      const std::string_view digits = line.substr(6);
      if (std::from_chars(digits.data(), digits.data() + digits.size(), n).ec == std::errc()) {
        spec.count = n;
      }
    } else if (line.rfind("except ", 0) == 0) {
      if (auto t = ParseLocalTime(line.substr(7), true); t.ok()) {
        spec.except.push_back({t->time, t->date_only});
      }
    } else if (first) {
      if (auto t = ParseLocalTime(line, false); t.ok()) spec.start = t->time;
    }
    first = false;
  }
  // The loader expands only rules without errors; expanding the others too
  // checks that libical's own refusal is handled.
  (void)problems;
  (void)ExpandRecurrence(spec, 2000);
  return 0;
}
