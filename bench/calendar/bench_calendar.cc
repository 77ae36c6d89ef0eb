// bench_calendar: load + validate + expand a generated calendar several
// times on one thread and report each run, the median and the peak RSS.
//   bench/calendar/generate.py /tmp/cal-bench --posts 10000 --members 100
//   bench_calendar /tmp/cal-bench [--runs 5]
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "calendar/expand.h"
#include "calendar/loader.h"

namespace {

using herald::calendar::Expand;
using herald::calendar::Load;
using herald::calendar::LoadContext;
using herald::calendar::ParsePlatformLimits;
using herald::calendar::TimePoint;

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// CPU time of this process: on a shared machine wall time also counts
// other processes' turns.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_calendar DIR [--runs N]\n");
    return 2;
  }
  const std::string dir = argv[1];
  int runs = 5;
  if (argc >= 4 && std::strcmp(argv[2], "--runs") == 0) runs = std::max(1, std::atoi(argv[3]));

  LoadContext ctx;
  ctx.accounts = {"facebook/bench", "instagram/bench"};
  ctx.limits["facebook"] = *ParsePlatformLimits(R"({"text_max": 63206})");
  ctx.limits["instagram"] = *ParsePlatformLimits(
      R"({"text_max": 2200, "hashtags_max": 30, "mentions_max": 20, "link_allowed": false})");

  std::vector<double> totals, cpu_totals;
  for (int i = 0; i < runs; ++i) {
    const double c0 = CpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    const herald::calendar::LoadResult r = Load({dir}, ctx);
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = CpuSeconds();
    if (!r.ok()) {
      for (const auto& d : r.diagnostics) std::fprintf(stderr, "%s\n", d.ToString().c_str());
      return 1;
    }
    const std::vector<herald::calendar::Job> jobs =
        Expand(r.calendars, TimePoint::min(), TimePoint::max());
    const auto t2 = std::chrono::steady_clock::now();
    const double c2 = CpuSeconds();
    std::printf(
        "run %d: %zu jobs; load+validate %.3f s (cpu %.3f), expand %.3f s (cpu %.3f), "
        "total %.3f s (cpu %.3f)\n",
        i + 1, jobs.size(), Seconds(t1 - t0), c1 - c0, Seconds(t2 - t1), c2 - c1, Seconds(t2 - t0),
        c2 - c0);
    totals.push_back(Seconds(t2 - t0));
    cpu_totals.push_back(c2 - c0);
  }
  std::sort(totals.begin(), totals.end());
  std::sort(cpu_totals.begin(), cpu_totals.end());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("median over %d runs: wall %.3f s, cpu %.3f s; peak RSS %.0f MB\n", runs,
              totals[totals.size() / 2], cpu_totals[cpu_totals.size() / 2],
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
