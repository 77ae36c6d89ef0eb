#!/usr/bin/env python3
"""The daemon's benchmarks, against the real heraldd (Release build) and a
loopback sink that answers at once (bench_sink_server), through a connector
plugin (bench_sink) that POSTs each post with the host's HTTP service.

  bench/daemon/run.py [--build DIR] [--runs N] [--quick]

Scenarios (issue "The daemon"):
  precision  1,000 jobs at distinct instants over 60 s: lateness = arrival at
             the sink minus due time, p50 and p99
  burst      10,000 jobs due at one instant over 1,000 accounts, no rate limit:
             time until all arrived, daemon CPU per published job
  scale      1,000,000 pending jobs in the journal: start-up to READY, RSS
  idle       100,000 jobs all due in more than an hour: context switches of the
             daemon per minute (from /proc) over the observation window

Writes the figures (medians over runs) to the "Daemon" section of
docs/benchmarks.md. Jobs are seeded into the journal directly
(bench_seed_journal) so that due times are exact to the millisecond.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from herald_bench import (TOP, Run, ensure_built, machine, now_ms, percentile,  # noqa: E402
                          proc_stat, thread_ctx_switches, wait_arrivals, write_section)


def precision(build, quick, extra):
    n = 200 if quick else 1000
    span_ms = 12000 if quick else 60000
    run = Run(build, accounts=50)
    try:
        run.start_sink()
        run.write_config(f"http://127.0.0.1:{run.port}/")
        first = now_ms() + 8000
        run.seed(n, first, span_ms // n)
        run.start_daemon(extra_args=extra)
        ok = wait_arrivals(run, n, span_ms / 1000 + 60)
        run.stop()
        rec = run.sink_records()
        late = [arrival / 1000.0 - due for arrival, due, _ in rec]
        return {"ok": ok and len(rec) == n, "jobs": len(rec), "p50_ms": percentile(late, 50),
                "p99_ms": percentile(late, 99), "max_ms": max(late) if late else float("nan")}
    finally:
        run.stop()
        run.cleanup()


def burst(build, quick, extra):
    n = 2000 if quick else 10000
    accounts = 200 if quick else 1000
    run = Run(build, accounts=accounts)
    try:
        run.start_sink()
        run.write_config(f"http://127.0.0.1:{run.port}/")
        due = now_ms() + 6000 + accounts * 3
        run.seed(n, due, 0)
        run.start_daemon(workers=32, extra_args=extra)
        cpu0, _, _ = proc_stat(run.daemon.pid)
        ok = wait_arrivals(run, n, 120)
        cpu1, _, _ = proc_stat(run.daemon.pid)
        run.stop()
        rec = run.sink_records()
        last = max(a for a, _, _ in rec) / 1000.0 if rec else float("nan")
        return {"ok": ok and len(rec) == n, "jobs": len(rec), "all_in_s": (last - due) / 1000.0,
                "cpu_us_per_job": (cpu1 - cpu0) * 1e6 / max(1, len(rec))}
    finally:
        run.stop()
        run.cleanup()


def scale(build, quick, extra):
    n = 100000 if quick else 1000000
    run = Run(build, accounts=10)
    try:
        run.write_config("http://127.0.0.1:9/")
        run.seed(n, now_ms() + 7 * 24 * 3600 * 1000, 1)
        ready_s = run.start_daemon(extra_args=extra)
        _, _, rss = proc_stat(run.daemon.pid)
        run.stop()
        return {"ok": True, "jobs": n, "ready_s": ready_s, "rss_mb": rss}
    finally:
        run.stop()
        run.cleanup()


def idle(build, quick, extra):
    n = 100000
    window_s = 60 if quick else 300
    run = Run(build, accounts=10)
    try:
        run.write_config("http://127.0.0.1:9/")
        run.seed(n, now_ms() + 2 * 3600 * 1000, 10)
        run.start_daemon(extra_args=extra)
        time.sleep(2)
        before = thread_ctx_switches(run.daemon.pid)
        time.sleep(window_s)
        after = thread_ctx_switches(run.daemon.pid)
        run.stop()
        return {"ok": True, "jobs": n, "window_s": window_s,
                "switches_per_min": (after - before) * 60.0 / window_s}
    finally:
        run.stop()
        run.cleanup()


def write_daemon_section(results, args, runs):
    med = lambda name, key: statistics.median(r[key] for r in results[name])  # noqa: E731
    lines = [
        "## Daemon",
        "",
        f"Command: `bench/daemon/run.py --runs {runs}{' --quick' if args.quick else ''}` "
        "(Release build by `scripts/setup --release`). Machine: "
        f"{machine()}; shared "
        "and noisy, so each figure is the median of the runs. The real heraldd publishes "
        "through `bench_sink` (one POST per post through the host's libcurl, keep-alive) to "
        "`bench_sink_server`, a loopback sink that answers at once and timestamps arrivals; "
        "jobs are seeded into the journal with millisecond due times.",
        "",
        "| scenario | target | measured (median) |",
        "| --- | --- | --- |",
    ]
    if "precision" in results:
        lines.append(f"| timer precision: {results['precision'][0]['jobs']} jobs at distinct "
                     f"instants | lateness p50 ≤ 1 ms, p99 ≤ 5 ms | p50 {med('precision', 'p50_ms'):.2f} ms, "
                     f"p99 {med('precision', 'p99_ms'):.2f} ms, max {med('precision', 'max_ms'):.1f} ms |")
    if "burst" in results:
        lines.append(f"| burst: {results['burst'][0]['jobs']} jobs due at once | all in ≤ 5 s, "
                     f"≤ 200 µs CPU per job | all in {med('burst', 'all_in_s'):.2f} s, "
                     f"{med('burst', 'cpu_us_per_job'):.0f} µs CPU per job |")
    if "scale" in results:
        lines.append(f"| scale: {results['scale'][0]['jobs']:,} pending jobs | start-up to READY ≤ 5 s, "
                     f"RSS ≤ 300 MB | {med('scale', 'ready_s'):.2f} s, {med('scale', 'rss_mb'):.0f} MB |")
    if "idle" in results:
        lines.append(f"| idle: {results['idle'][0]['jobs']:,} jobs due in > 1 h, "
                     f"{results['idle'][0]['window_s']} s window | ≤ 1 wake-up per minute | "
                     f"{med('idle', 'switches_per_min'):.1f} context switches per minute (all threads) |")
    ok = all(r["ok"] for rs in results.values() for r in rs)
    if not ok:
        lines.append("")
        lines.append("Some runs did not publish every job: see the driver's output.")
    write_section("Daemon", "\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(TOP, "build", "release"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, shorter windows")
    parser.add_argument("--only", nargs="*", default=["precision", "burst", "scale", "idle"])
    parser.add_argument("--worker-nice", type=int, default=10, help="heraldd --worker-nice")
    parser.add_argument("--no-write", action="store_true", help="print only; leave the doc alone")
    args = parser.parse_args()
    ensure_built(args.build, ["heraldd", "bench_sink", "bench_sink_server", "bench_seed_journal"])
    scenarios = {"precision": precision, "burst": burst, "scale": scale, "idle": idle}
    results = {}
    for name in args.only:
        runs = 1 if name == "idle" else args.runs
        for i in range(runs):
            r = scenarios[name](args.build, args.quick, ["--worker-nice", str(args.worker_nice)])
            print(name, i + 1, r, flush=True)
            results.setdefault(name, []).append(r)
    if not args.no_write:
        write_daemon_section(results, args, args.runs)
    return 0 if all(r["ok"] for rs in results.values() for r in rs) else 1


if __name__ == "__main__":
    sys.exit(main())
