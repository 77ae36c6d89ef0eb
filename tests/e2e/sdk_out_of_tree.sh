#!/usr/bin/env bash
# The SDK works the way a third party uses it: install it from this build to a
# fresh prefix, build examples/outbox-connector out of tree against the
# installed package with its own cmake call, and load the result in heraldd.
#   sdk_out_of_tree.sh BUILD_DIR HERALDD SOURCE_DIR
set -euo pipefail
build=${1:?build dir}
heraldd=${2:?heraldd path}
src=${3:?source dir}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "sdk_out_of_tree: FAIL: $*" >&2; exit 1; }

echo "== install the SDK component to $tmp/prefix"
cmake --install "$build" --component sdk --prefix "$tmp/prefix" >"$tmp/install.log" \
  || { cat "$tmp/install.log" >&2; fail "cmake --install --component sdk"; }
for f in include/herald/plugin_abi.h include/herald/plugin.hpp; do
  [[ -f $tmp/prefix/$f ]] || fail "$f not installed"
done
# Only the SDK: no daemon binary, no platform plugin.
if [[ -n $(find "$tmp/prefix" \( -name heraldd -o -name 'herald_*.so' \)) ]]; then
  fail "the sdk component installed more than the SDK"
fi

echo "== configure and build examples/outbox-connector against it"
# A clean environment for the example: no sanitizer or launcher flags of ours leak in.
env -u CFLAGS -u CXXFLAGS -u LDFLAGS \
  cmake -S "$src/examples/outbox-connector" -B "$tmp/outbox-build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/configure.log" 2>&1 \
  || { cat "$tmp/configure.log" >&2; fail "configure the example"; }
cmake --build "$tmp/outbox-build" >"$tmp/build.log" 2>&1 \
  || { cat "$tmp/build.log" >&2; fail "build the example"; }
grep -qi "warning" "$tmp/build.log" && { cat "$tmp/build.log" >&2; fail "the example built with warnings"; }
[[ -f $tmp/outbox-build/outbox.so ]] || fail "no outbox.so (herald_add_connector must drop the lib prefix)"

echo "== load it in heraldd"
mkdir -p "$tmp/plugins"
cp "$tmp/outbox-build/outbox.so" "$tmp/plugins/"
chmod 755 "$tmp/plugins" "$tmp/plugins/outbox.so"
status=0
"$heraldd" --list-plugins --plugin-dir "$tmp/plugins" >"$tmp/list.out" 2>"$tmp/list.err" || status=$?
cat "$tmp/list.out"
cat "$tmp/list.err" >&2
[[ $status -eq 0 ]] || fail "heraldd --list-plugins exited $status"
grep -Eq '^outbox[[:space:]]+1\.0\.0[[:space:]]' "$tmp/list.out" \
  || fail "heraldd did not list 'outbox 1.0.0'"
echo "sdk_out_of_tree: PASS"
