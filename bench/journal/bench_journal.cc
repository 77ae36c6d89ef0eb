// bench_journal: measures the journal's group commit and its start-up load.
//
//   bench_journal [--dir DIR] [--runs N] [--changes N] [--jobs N]
//
// 1. Group commit: W concurrent writers (1, 8, 32) share --changes state
//    changes (default 8,000), each running BeginAttempt + FinishAttempt
//    (published) on its own jobs; reports state changes/s, commits/s and
//    changes per commit (median of --runs runs).
// 2. Load: a journal with --jobs pending jobs (default 1,000,000); a fresh
//    process (this binary, re-executed) opens it and calls LoadPending();
//    reports wall time and the child's peak RSS (median of --runs runs).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "journal/sqlite_journal.h"

namespace fs = std::filesystem;
using namespace herald::journal;
using Clock = std::chrono::steady_clock;

namespace {

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

long PeakRssKb() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long kb = -1;
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) kb = std::strtol(line + 6, nullptr, 10);
  }
  std::fclose(f);
  return kb;
}

JobRecord MakeRecord(long i, const std::string& calendar) {
  JobRecord r;
  char id[32];
  std::snprintf(id, sizeof id, "%016lx", static_cast<unsigned long>(i) * 2654435761UL);
  r.id = id;
  r.calendar_id = calendar;
  r.post_id = "post-" + std::to_string(i % 500);
  r.campaign_id = "spring-retention";
  r.goal = "retention";
  r.account = "facebook/account-" + std::to_string(i % 1000);
  r.platform = "facebook";
  r.member_key = "member-" + std::to_string(i);
  r.due_ms = 1'800'000'000'000 + i * 1000;
  r.content_hash = "c0ffee" + std::to_string(i);
  r.payload_json = R"({"text":"Hi member )" + std::to_string(i) +
                   R"(, your shirts are ready!","link":"https://example.org/p"})";
  r.late_grace_ms = 900000;
  return r;
}

std::unique_ptr<Journal> OpenOrDie(const fs::path& file) {
  auto journal = OpenSqliteJournal(file);
  if (!journal.ok()) {
    std::fprintf(stderr, "bench_journal: %s\n", journal.error().message().c_str());
    std::exit(1);
  }
  return std::move(*journal);
}

// Inserts `count` pending jobs in calendars of 10,000.
void Fill(Journal& journal, long count) {
  constexpr long kPerCalendar = 10000;
  for (long start = 0; start < count; start += kPerCalendar) {
    std::string calendar = "cal-" + std::to_string(start / kPerCalendar);
    std::vector<JobRecord> records;
    for (long i = start; i < std::min(count, start + kPerCalendar); ++i) {
      records.push_back(MakeRecord(i, calendar));
    }
    auto diff = journal.ApplyGeneration({calendar}, records, 1, 0);
    if (!diff.ok()) {
      std::fprintf(stderr, "bench_journal: %s\n", diff.error().message().c_str());
      std::exit(1);
    }
  }
}

struct GroupResult {
  double changes_per_s;
  double commits_per_s;
  double changes_per_commit;
};

GroupResult RunGroupCommit(const fs::path& dir, int writers, long changes) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto journal = OpenOrDie(dir / "herald.db");
  const long jobs_per_writer = std::max(1L, changes / 2 / writers);
  Fill(*journal, jobs_per_writer * writers);
  auto pending = journal->LoadPending();
  std::vector<JobKey> keys;
  for (const auto& entry : *pending) keys.push_back(entry.key);

  const JournalStats before = journal->Stats();
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (long i = 0; i < jobs_per_writer; ++i) {
        JobKey key = keys[static_cast<size_t>(w * jobs_per_writer + i)];
        if (!journal->BeginAttempt(key, 1).ok()) std::abort();
        AttemptResult result;
        result.outcome = AttemptOutcome::kPublished;
        result.finished_ms = 2;
        result.remote_id = std::to_string(key);
        result.http_status = 200;
        if (!journal->FinishAttempt(key, result).ok()) std::abort();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const JournalStats after = journal->Stats();
  double applied = static_cast<double>(after.changes - before.changes);
  double commits = static_cast<double>(after.commits - before.commits);
  return {applied / seconds, commits / seconds, applied / commits};
}

// The child: open, load, report "seconds peak_rss_kb count" on stdout.
int LoadChild(const fs::path& file) {
  auto start = Clock::now();
  auto journal = OpenOrDie(file);
  auto recovered = journal->RecoverAfterCrash(0);
  auto pending = journal->LoadPending();
  if (!recovered.ok() || !pending.ok()) return 1;
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%.4f %ld %zu\n", seconds, PeakRssKb(), pending->size());
  return 0;
}

bool RunLoadChild(const fs::path& file, double* seconds, long* rss_kb, size_t* count) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return false;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::close(pipe_fds[0]);
    ::execl("/proc/self/exe", "bench_journal", "--load-child", file.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  char buf[128] = {};
  ssize_t n = ::read(pipe_fds[0], buf, sizeof buf - 1);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return n > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
         std::sscanf(buf, "%lf %ld %zu", seconds, rss_kb, count) == 3;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path dir = fs::temp_directory_path() / "herald-bench-journal";
  int runs = 5;
  long changes = 8000;
  long jobs = 1'000'000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench_journal: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--load-child") return LoadChild(next());
    if (arg == "--dir") {
      dir = next();
    } else if (arg == "--runs") {
      runs = std::max(1, std::stoi(next()));
    } else if (arg == "--changes") {
      changes = std::max(2L, std::stol(next()));
    } else if (arg == "--jobs") {
      jobs = std::max(1L, std::stol(next()));
    } else {
      std::fprintf(stderr,
                   "usage: bench_journal [--dir DIR] [--runs N] [--changes N] [--jobs N]\n");
      return 2;
    }
  }

  std::printf("group commit: %ld state changes per run, median of %d runs\n", changes, runs);
  std::printf("%8s %14s %12s %18s\n", "writers", "changes/s", "commits/s", "changes/commit");
  for (int writers : {1, 8, 32}) {
    std::vector<double> rate, commits, per_commit;
    for (int r = 0; r < runs; ++r) {
      GroupResult g = RunGroupCommit(dir / "group", writers, changes);
      rate.push_back(g.changes_per_s);
      commits.push_back(g.commits_per_s);
      per_commit.push_back(g.changes_per_commit);
    }
    std::printf("%8d %14.0f %12.0f %18.1f\n", writers, Median(rate), Median(commits),
                Median(per_commit));
    std::fflush(stdout);
  }

  fs::path load_dir = dir / "load";
  fs::remove_all(load_dir);
  fs::create_directories(load_dir);
  auto fill_start = Clock::now();
  {
    auto journal = OpenOrDie(load_dir / "herald.db");
    Fill(*journal, jobs);
  }
  double fill_s = std::chrono::duration<double>(Clock::now() - fill_start).count();
  std::printf("\nload: %ld pending jobs (inserted in %.1f s), fresh process, median of %d runs\n",
              jobs, fill_s, runs);
  std::vector<double> seconds, rss;
  for (int r = 0; r < runs; ++r) {
    double s = 0;
    long kb = 0;
    size_t count = 0;
    if (!RunLoadChild(load_dir / "herald.db", &s, &kb, &count) ||
        count != static_cast<size_t>(jobs)) {
      std::fprintf(stderr, "bench_journal: load child failed\n");
      return 1;
    }
    seconds.push_back(s);
    rss.push_back(static_cast<double>(kb));
  }
  std::printf("open + recover + LoadPending: %.3f s, peak RSS %.1f MB\n", Median(seconds),
              Median(rss) / 1024.0);
  fs::remove_all(dir);
  return 0;
}
