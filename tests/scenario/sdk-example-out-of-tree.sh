#!/bin/bash
# sdk example: the counter plugin builds out of tree against the INSTALLED SDK and runs in the
# INSTALLED sift.
#
# Installs the build under a temporary prefix, copies sdk/example out of the source tree, builds
# it with nothing but pkg-config's sift-plugin.pc (no path into the source tree), checks the
# build fence (exactly one exported sift_ symbol), then drives the installed `sift`:
#   - `sift run --stages /path/to/counter.so`, by SIFT_PLUGIN_PATH, and by a config's
#     plugin_path: fields.counter is right, min_words drops with its reason, --explain notes;
#   - `sift check --plugins` lists the declared options; an out-of-range option makes
#     `sift check -c` exit 1 naming FILE:LINE;
#   - `cmake --install` of the example puts counter.so in pkg-config's plugindir, where the
#     installed sift finds it by name;
#   - the installed sift finds the installed shipped plugins and config on its own.
# Not tested here: the loader's refusals (tests/unit/test_plugin_loader.c) or the counting
# rules in depth (one paragraph, headline and number case each).
# Env: srcdir = repo root, SIFT_BUILD = a built build dir. Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail

srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${SIFT_BUILD:-}

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
step() { echo "== $*"; }
# show FILE: print a log file indented, for failure messages.
show() { sed 's/^/   | /' "$1" >&2; }

[ -n "$build" ] && [ -x "$build/bin/sift" ] || fail "SIFT_BUILD must name a built build dir (got '$build')"
build=$(cd "$build" && pwd)
for tool in cmake pkg-config nm python3 cc; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sift-sdk-example.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tmp=$(cd "$tmp" && pwd -P) # canonical, to compare with realpath below
cd "$tmp"
# Nothing from the caller's environment may point sift or pkg-config elsewhere.
unset SIFT_PLUGIN_PATH SIFT_CONF PKG_CONFIG_LIBDIR CFLAGS LDFLAGS
prefix=$tmp/prefix

step "install $build under $prefix"
cmake --install "$build" --prefix "$prefix" >install.log 2>&1 ||
  { show install.log; fail "cmake --install $build failed"; }
sift=$prefix/bin/sift
[ -x "$sift" ] || fail "no bin/sift under $prefix after install"
pc=$(find "$prefix" -name sift-plugin.pc -print -quit)
[ -n "$pc" ] || fail "no sift-plugin.pc installed under $prefix"
case "$pc" in
  "$prefix"/lib/pkgconfig/* | "$prefix"/lib/*/pkgconfig/* | "$prefix"/lib64/pkgconfig/*) ;;
  *) fail "sift-plugin.pc installed at unexpected $pc" ;;
esac
export PKG_CONFIG_PATH=${pc%/*}

step "pkg-config resolves sift-plugin to the installed prefix"
for var in includedir plugindir; do
  dir=$(pkg-config --variable=$var sift-plugin) || fail "pkg-config cannot read sift-plugin.pc"
  real=$(realpath -m "$dir")
  case "$real" in "$prefix"/*) ;; *) fail "sift-plugin.pc: $var=$dir is outside $prefix" ;; esac
done
includedir=$(realpath -m "$(pkg-config --variable=includedir sift-plugin)")
plugindir=$(realpath -m "$(pkg-config --variable=plugindir sift-plugin)")
[ -f "$includedir/sift/plugin.h" ] || fail "no sift/plugin.h in pkg-config's includedir $includedir"

step "build sdk/example out of tree against the installed SDK"
cp -r "$srcdir/sdk/example" counter-src
rm -rf counter-src/build* # a developer's in-source build must not leak in
cmake -S counter-src -B counter-build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS=-Werror \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >counter-configure.log 2>&1 ||
  { show counter-configure.log; fail "configuring sdk/example failed"; }
cmake --build counter-build >counter-build.log 2>&1 ||
  { show counter-build.log; fail "building sdk/example failed"; }
so=$tmp/counter-build/counter.so
[ -f "$so" ] || fail "the example did not produce counter.so (PREFIX \"\" MODULE)"
if grep -q -- "$srcdir/sdk/include" counter-build/compile_commands.json; then
  fail "the example compiled against $srcdir/sdk/include instead of the installed header"
fi

step "build fence: one exported sift_ symbol"
nm -D --defined-only "$so" >nm.txt
n=$(grep -c ' sift_' nm.txt || true)
[ "$n" = 1 ] && grep -q ' sift_plugin_entry$' nm.txt ||
  { show nm.txt; fail "counter.so exports $n sift_ symbols, want exactly sift_plugin_entry"; }

mkdir in
printf 'The harbour opened at dawn. Crowds gathered early!\n\nWas it worth the wait? Most said yes.\n' >in/one.txt
printf 'Too short here\n' >in/two.txt
printf 'Council Votes\n\nThe vote was 7 to 2. It passed.\n' >in/three.txt

# check_out FILE EXPECT_JSON: each document's fields.counter and status, via python3.
cat >check.py <<'EOF'
import json, sys
path, want = sys.argv[1], json.loads(sys.argv[2])
docs, problems = {}, []
with open(path, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        try:
            d = json.loads(line)
        except ValueError as e:
            sys.exit(f"{path}:{n}: not JSON: {e}")
        missing = {"id", "source", "text", "fields", "scores", "status", "trace"} - d.keys()
        if missing:
            problems.append(f"{path}:{n}: missing keys {sorted(missing)}")
        docs[d.get("id")] = d
if sorted(docs) != sorted(want):
    problems.append(f"documents {sorted(docs)}, want {sorted(want)}")
for doc_id, w in want.items():
    d = docs.get(doc_id, {})
    got = d.get("fields", {}).get("counter", {})
    for key in ("words", "sentences", "paragraphs"):
        if got.get(key) != w[key]:
            problems.append(f"{doc_id}: counter.{key} = {got.get(key)!r}, want {w[key]}")
    avg = got.get("avg_sentence_words")
    if not isinstance(avg, (int, float)) or abs(avg - w["avg"]) > 1e-9:
        problems.append(f"{doc_id}: counter.avg_sentence_words = {avg!r}, want {w['avg']}")
    status = d.get("status", {})
    if status.get("state") != w["state"] or status.get("reason") != w.get("reason"):
        problems.append(f"{doc_id}: status {status}, want state={w['state']} reason={w.get('reason')}")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
defaults='{"one.txt":   {"words": 16, "sentences": 4, "paragraphs": 2, "avg": 4.0, "state": "ok"},
           "two.txt":   {"words": 3, "sentences": 1, "paragraphs": 1, "avg": 3.0, "state": "ok"},
           "three.txt": {"words": 10, "sentences": 3, "paragraphs": 2, "avg": 3.3333333333333335,
                         "state": "ok"}}'
check_out() { python3 check.py "$1" "$2" || { show "$1"; fail "$3"; }; }
# run_ok NAME ARGS...: the installed sift run, exit 0, stdout in NAME.jsonl, stderr in NAME.err.
run_ok() {
  local name=$1 rc=0
  shift
  "$sift" run "$@" >"$name.jsonl" 2>"$name.err" || rc=$?
  [ "$rc" = 0 ] || { show "$name.err"; fail "sift run $* exited $rc"; }
}

step "sift run --stages <path to counter.so>"
run_ok by-path --stages "$so" --explain in
check_out by-path.jsonl "$defaults" "wrong counts with --stages $so"
grep -q 'counted 16 words, 4 sentences, 2 paragraphs' by-path.err ||
  { show by-path.err; fail "--explain does not show the counter's note"; }

step "SIFT_PLUGIN_PATH=<dir> sift run --stages counter"
SIFT_PLUGIN_PATH=$tmp/counter-build run_ok by-env --stages counter in
check_out by-env.jsonl "$defaults" "wrong counts with SIFT_PLUGIN_PATH"

step "a config with plugin_path and options"
cat >good.conf <<EOF
plugin_path = "$tmp/counter-build";
pipelines = (
  { name = "default";
    stages = (
      { plugin = "counter";
        options = { min_words = 5; count_numbers = false; }; }
    ); }
);
EOF
"$sift" check -c good.conf --plugins >check-good.out 2>&1 ||
  { show check-good.out; fail "sift check -c good.conf failed"; }
for opt in min_words count_numbers sentence_ends; do
  grep -q "option $opt " check-good.out || { show check-good.out; fail "sift check --plugins does not list option $opt"; }
done
run_ok by-conf -c good.conf in
check_out by-conf.jsonl '{
  "one.txt":   {"words": 16, "sentences": 4, "paragraphs": 2, "avg": 4.0, "state": "ok"},
  "two.txt":   {"words": 3, "sentences": 1, "paragraphs": 1, "avg": 3.0, "state": "dropped",
                "reason": "words=3 below min_words=5"},
  "three.txt": {"words": 8, "sentences": 3, "paragraphs": 2, "avg": 2.6666666666666665,
                "state": "ok"}}' "wrong counts or drops with the config's options"

step "an out-of-range option: sift check -c exits 1 naming FILE:LINE"
sed 's/min_words = 5;/min_words = -5;/' good.conf >bad.conf
line=$(grep -n 'min_words = -5' bad.conf | cut -d: -f1)
rc=0
"$sift" check -c "$tmp/bad.conf" >check-bad.out 2>&1 || rc=$?
[ "$rc" = 1 ] || { show check-bad.out; fail "sift check on bad.conf exited $rc, want 1"; }
grep -qF "$tmp/bad.conf:$line: stage counter: option min_words: must be between 0 and" check-bad.out ||
  { show check-bad.out; fail "sift check does not name $tmp/bad.conf:$line and the bounds"; }
rc=0
"$sift" run -c bad.conf in >/dev/null 2>run-bad.err || rc=$?
[ "$rc" != 0 ] || fail "sift run accepted bad.conf"
grep -qF "bad.conf:$line:" run-bad.err || { show run-bad.err; fail "sift run does not name bad.conf:$line"; }

step "cmake --install of the example into pkg-config's plugindir"
cmake --install counter-build >counter-install.log 2>&1 ||
  { show counter-install.log; fail "cmake --install of the example failed"; }
[ -f "$plugindir/counter.so" ] || fail "counter.so not installed into plugindir $plugindir"
run_ok by-name --stages counter in/one.txt
check_out by-name.jsonl '{"one.txt": {"words": 16, "sentences": 4, "paragraphs": 2, "avg": 4.0,
                                      "state": "ok"}}' "the installed counter, found by name"

step "the installed sift finds the installed shipped plugins and config on its own"
[ -f "$plugindir/clean.so" ] || fail "no clean.so installed in $plugindir (is the clean plugin built?)"
run_ok shipped --stages clean in/one.txt
python3 - shipped.jsonl <<'EOF' || { show shipped.jsonl; fail "sift run --stages clean: wrong output"; }
import json, sys
docs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert len(docs) == 1, f"{len(docs)} documents, want 1"
d = docs[0]
assert d["status"]["state"] == "ok", d["status"]
assert [t["stage"] for t in d["trace"]] == ["clean"], d["trace"]
EOF
"$sift" check >check-default.out 2>&1 ||
  { show check-default.out; fail "sift check of the installed default config failed"; }
grep -qF "$prefix/" check-default.out ||
  { show check-default.out; fail "sift check did not read the config installed under $prefix"; }

echo "PASS: sdk example builds out of tree against the installed SDK and runs in the installed sift"
