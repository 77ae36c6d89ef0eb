#!/usr/bin/env bash
# heraldd --list-plugins lists good plugins, gives one line per broken one, and exits 0.
#   heraldd_list_plugins.sh HERALDD BROKEN_PLUGIN_DIR PLATFORM_PLUGIN_DIR
set -euo pipefail
heraldd=$1 broken=$2 platforms=$3
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

"$heraldd" --list-plugins --plugin-dir "$broken" --plugin-dir "$platforms" >"$out" 2>"$err"

fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; exit 1; }
grep -Eq '^testgood +9\.8\.7 ' "$out" || fail "good plugin not listed"
for p in facebook instagram youtube outbox; do
  grep -Eq "^$p +[0-9]+\.[0-9]+\.[0-9]+ .*${p}\.so" "$out" || fail "$p not listed"
done
expect() { grep -Fq "heraldd: plugin $broken/$1: $2" "$err" || fail "no line for $1: $2"; }
expect not_a_library.so "not a shared library"
expect no_symbols.so "not a herald plugin"
expect abi_major.so "ABI version mismatch: plugin needs 2.0, this heraldd provides 1.2"
expect small_table.so "function table too small"
expect factory_throws.so "probe create() threw an exception across the ABI"
expect missing_symbol.so "cannot be loaded"
expect zz_duplicate.so 'platform "testgood" is already provided by'
# One line per refused file: ten broken fixtures, ten lines.
[[ $(grep -c '^heraldd: plugin ' "$err") -eq 10 ]] || fail "expected 10 problem lines"
echo "ok"
