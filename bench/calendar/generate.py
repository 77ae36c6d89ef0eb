#!/usr/bin/env python3
"""Generates a benchmark calendar for bench_calendar.

  generate.py OUT_DIR [--posts 10000] [--members 100] [--year 2027]

Writes OUT_DIR/bench.yaml (one calendar, POSTS one-off posts spread over the
year, each personalized for_each member of a CSV audience, targets
alternating between facebook/bench and instagram/bench) and
OUT_DIR/audience.csv. POSTS x MEMBERS jobs in all.
"""
import argparse
import os
import random

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--posts", type=int, default=10000)
p.add_argument("--members", type=int, default=100)
p.add_argument("--year", type=int, default=2027)
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
rng = random.Random(42)
teams = ["Cubs", "White Sox", "Brewers", "Cardinals", "Twins", "Tigers"]
cities = ["Chicago", "Evanston", "Oak Park", "Milwaukee", "Skokie", "Naperville"]
with open(os.path.join(a.out, "audience.csv"), "w") as f:
    f.write("key,first_name,city,team\n")
    for i in range(a.members):
        f.write(f"m{i:05d},Name{i},{rng.choice(cities)},{rng.choice(teams)}\n")
with open(os.path.join(a.out, "bench.yaml"), "w") as f:
    f.write("calendar: bench\ntime_zone: America/Chicago\n")
    f.write("audiences:\n  fans:\n    file: audience.csv\n")
    f.write("campaigns:\n")
    per_campaign = 500
    for n in range(a.posts):
        if n % per_campaign == 0:
            goal = "retention" if (n // per_campaign) % 2 == 0 else "acquisition"
            f.write(f"  - id: campaign-{n // per_campaign}\n    goal: {goal}\n    posts:\n")
        minute = n * (365 * 24 * 60 // a.posts)
        day, rest = divmod(minute, 24 * 60)
        month_days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        m = 0
        while day >= month_days[m]:
            day -= month_days[m]
            m += 1
        target = "facebook/bench" if n % 2 == 0 else "instagram/bench"
        f.write(f"      - id: post-{n}\n")
        f.write(f"        at: {a.year}-{m + 1:02d}-{day + 1:02d} {rest // 60:02d}:{rest % 60:02d}\n")
        f.write(f"        targets: [{target}]\n")
        f.write("        for_each: fans\n")
        f.write(f"        text: \"Hi {{{{first_name}}}}! Good luck to the {{{{team}}}} this "
                f"{{{{weekday}}}} from all of us in {{{{city}}}}. Tip #{n}: blot, never rub.\"\n")
