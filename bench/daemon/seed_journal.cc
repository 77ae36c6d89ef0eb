// bench_seed_journal: fills a fresh journal with benchmark jobs, as if a
// calendar had been loaded, with millisecond-exact due times (calendars are
// written to the second; the calendar's own benchmark measures loading them).
//   bench_seed_journal JOURNAL_FILE COUNT ACCOUNTS FIRST_DUE_MS SPACING_MS
// Job i is due at FIRST_DUE_MS + i * SPACING_MS, for account benchsink/a<i % ACCOUNTS>.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "journal/sqlite_journal.h"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s JOURNAL_FILE COUNT ACCOUNTS FIRST_DUE_MS SPACING_MS\n",
                 argv[0]);
    return 2;
  }
  long long count = std::atoll(argv[2]), accounts = std::atoll(argv[3]);
  long long first = std::atoll(argv[4]), spacing = std::atoll(argv[5]);
  auto journal = herald::journal::OpenSqliteJournal(argv[1]);
  if (!journal.ok()) {
    std::fprintf(stderr, "%s\n", journal.error().message().c_str());
    return 1;
  }
  std::vector<herald::journal::JobRecord> jobs;
  jobs.reserve(static_cast<size_t>(count));
  for (long long i = 0; i < count; ++i) {
    herald::journal::JobRecord r;
    char id[32];
    std::snprintf(id, sizeof id, "%016llx",
                  0x1000000000000000ULL + static_cast<unsigned long long>(i));
    r.id = id;
    r.calendar_id = "bench";
    r.post_id = "p" + std::to_string(i);
    r.campaign_id = "bench";
    r.goal = "awareness";
    r.account = "benchsink/a" + std::to_string(i % accounts);
    r.platform = "benchsink";
    r.due_ms = first + i * spacing;
    r.content_hash = id;
    r.payload_json = "{\"id\":\"" + r.id + "\",\"text\":\"benchmark post " + std::to_string(i) +
                     "\",\"media\":[]}";
    r.late_grace_ms = 3600 * 1000;
    jobs.push_back(std::move(r));
  }
  auto diff = (*journal)->ApplyGeneration({"bench"}, jobs, 1, first);
  if (!diff.ok()) {
    std::fprintf(stderr, "%s\n", diff.error().message().c_str());
    return 1;
  }
  std::printf("seeded %zu jobs\n", diff->added);
  return 0;
}
