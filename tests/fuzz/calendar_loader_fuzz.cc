// Fuzz target: the calendar loader (YAML, the audience CSV it names, the text
// templates), then the expansion of what it accepted into jobs. An input is a
// calendar file, optionally followed by a line `%% aud.csv` and the content
// of the audience file `aud.csv` beside it. Load must never crash or hang
// whatever it is given (loader.h); it may refuse with diagnostics.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "calendar/expand.h"
#include "calendar/loader.h"
#include "fuzz_support.h"

using namespace herald::calendar;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const herald::fuzz::ScratchDir dir;
  static const LoadContext context = [] {
    LoadContext c;
    c.accounts = {"facebook/shop",
                  "instagram/shop",
                  "youtube/shop",
                  "facebook/corner-cleaners",
                  "instagram/corner-cleaners",
                  "youtube/corner-cleaners"};
    // Small caps, so that one input stays well within the fuzzer's time
    // limit; the caps' own checks are exercised all the same.
    c.caps.max_file_bytes = 1u << 20;
    c.caps.max_csv_bytes = 1u << 20;
    c.caps.max_csv_rows = 2000;
    c.caps.max_yaml_nodes = 200'000;
    c.caps.max_occurrences_per_post = 2000;
    c.caps.max_jobs = 20'000;
    return c;
  }();

  const auto [yaml, csv] = herald::fuzz::SplitAt(herald::fuzz::Text(data, size), "%% aud.csv");
  const std::string calendar = dir.Write("cal.yaml", yaml);
  if (csv.data() != nullptr) {
    dir.Write("aud.csv", csv);
  } else {
    dir.Remove("aud.csv");
  }
  LoadResult result = Load({calendar}, context);
  if (result.ok()) {
    using std::chrono::sys_days;
    using namespace std::chrono;
    const TimePoint from = time_point_cast<milliseconds>(sys_days{year{2000} / 1 / 1});
    const TimePoint to = time_point_cast<milliseconds>(sys_days{year{2100} / 1 / 1});
    (void)Expand(result.calendars, from, to);
  }
  return 0;
}
