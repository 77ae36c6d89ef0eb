# Time budgets of scripts/test's stages, in one place (sourced, not run).
# CI gives one run of .ci/run 90 minutes on 2 cores; the whole of
# scripts/test is held to about 25 minutes cold (docs/testing.md).

# The fuzz stage: each libFuzzer target of tests/fuzz runs this long, from its
# seeds and regressions; FUZZ_PARALLEL targets at a time (one per core).
# 6 targets x 60 s / 2 = 3 minutes, plus the clang-16 build.
FUZZ_SECONDS_PER_TARGET=${FUZZ_SECONDS_PER_TARGET:-60}
FUZZ_PARALLEL=${FUZZ_PARALLEL:-$(nproc)}
# One input may take this long before libFuzzer calls it a hang (a finding).
FUZZ_INPUT_TIMEOUT_S=${FUZZ_INPUT_TIMEOUT_S:-10}

# The crash storm (ctest storm:crash_storm, in the ctest stage) keeps its sizes
# and its time budget as named constants at the top of tests/storm/crash_storm.py
# (STORM_BUDGET_S, 720 s; about 3 to 5 minutes on 2 cores); STORM_* from the
# environment overrides them for one run (docs/testing.md, "The crash storm").
