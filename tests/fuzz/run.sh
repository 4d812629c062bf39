#!/bin/bash
# run.sh - build the libFuzzer targets and run each for a while.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# Configures build-fuzz/ (clang, -DSIFT_FUZZ=ON: ASan+UBSan, libFuzzer
# coverage in siftcore and the plugins), builds the targets, then runs each
# for SECONDS (default 60) on a scratch copy of its seed corpus
# (tests/fuzz/corpus/<dir>/; the committed corpus never grows). TARGETs are
# codec json_input frames config stage_clean stage_boilerplate stage_extract
# (default: all; a fuzz_ prefix is accepted). Prints one line per target:
#   fuzz_codec: runs=812345 seconds=60 cov=1021 crashes=0
# and on a finding crashes=1 with the artifact (kept in build-fuzz/fuzz-artifacts/)
# and the tail of libFuzzer's log. Exits 1 if any target found a crash, leak,
# timeout or out-of-memory; 77 if clang or libFuzzer's runtime is missing.
# Environment: SIFT_FUZZ_BUILD (build dir), SIFT_FUZZ_JOBS (make -j, default 2).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${SIFT_FUZZ_BUILD:-$src/build-fuzz}
seconds=${1:-60}
[ $# -gt 0 ] && shift
all_targets=(codec json_input frames batch config stage_clean stage_boilerplate stage_extract)
if [ $# -eq 0 ]; then targets=("${all_targets[@]}"); else targets=("$@"); fi

# Per target: corpus dir, -max_len (bytes), -timeout (seconds per input).
corpus_of() { case $1 in stage_*) echo stage ;; *) echo "$1" ;; esac; }
max_len_of() {
  case $1 in
    frames) echo 4096 ;;          # a few frames; 9+ zero-length ones reach truncation
    config) echo 8192 ;;          # conf/siftd.conf is ~4 KiB
    stage_*) echo 32768 ;;        # a long article, several when cut at form feeds
    *) echo 16384 ;;              # one document, msgpack or JSON
  esac
}
timeout_of() { case $1 in stage_*) echo 20 ;; *) echo 10 ;; esac; }
# libconfig leaks on most syntax errors (lsan.supp), and libFuzzer runs a
# full leak scan after every input that leaked: 15 times slower. So config
# fuzzes without leak checks, then replays its whole corpus with them.
leaks_of() { case $1 in config) echo 0 ;; *) echo 1 ;; esac; }

# Can clang build a libFuzzer binary here? (clang plus libclang-rt-*-dev on Debian.)
probe=$(mktemp -d "${TMPDIR:-/tmp}/sift-fuzz-probe.XXXXXX")
trap 'rm -rf "$probe"' EXIT
if ! command -v clang >/dev/null 2>&1; then
  echo "SKIP: clang is not installed (Debian: apt-get install clang libclang-rt-14-dev)"
  exit 77
fi
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$probe/p.c"
if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >"$probe/log" 2>&1; then
  major=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
  echo "SKIP: clang cannot link libFuzzer (Debian: apt-get install libclang-rt-${major:-N}-dev)"
  head -3 "$probe/log"
  exit 77
fi

for t in "${targets[@]}"; do
  t=${t#fuzz_}
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "run.sh: unknown target $t (have: ${all_targets[*]})" >&2; exit 2; }
done

echo "== configure and build $build"
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSIFT_FUZZ=ON -DSIFT_WERROR=OFF -DBUILD_TESTING=OFF >"$probe/cmake.log" 2>&1 ||
  { tail -20 "$probe/cmake.log"; echo "run.sh: cmake configure failed" >&2; exit 1; }
bins=()
for t in "${targets[@]}"; do bins+=("fuzz_${t#fuzz_}"); done
cmake --build "$build" -j"${SIFT_FUZZ_JOBS:-2}" --target "${bins[@]}" >"$probe/build.log" 2>&1 ||
  { grep -E "error|Error" "$probe/build.log" | head -20; echo "run.sh: build failed" >&2; exit 1; }

artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

failed=0
for t in "${targets[@]}"; do
  t=${t#fuzz_}
  name=fuzz_$t
  work="$probe/$t"
  mkdir -p "$work/corpus"
  cp -r "$here/corpus/$(corpus_of "$t")/." "$work/corpus/"
  dict=()
  [ -f "$here/$(corpus_of "$t").dict" ] && dict=(-dict="$here/$(corpus_of "$t").dict")
  start=$(date +%s)
  run=("$build/bin/$name" -max_len="$(max_len_of "$t")" -timeout="$(timeout_of "$t")"
       -rss_limit_mb=2048 -artifact_prefix="$artifacts/$name-")
  (cd "$work" && "${run[@]}" -max_total_time="$seconds" -detect_leaks="$(leaks_of "$t")" \
     -print_final_stats=1 "${dict[@]}" corpus >"$work/log" 2>&1)
  rc=$?
  if [ $rc -eq 0 ] && [ "$(leaks_of "$t")" = 0 ]; then
    (cd "$work" && "${run[@]}" -runs=0 -detect_leaks=1 corpus >"$work/replay.log" 2>&1)
    rc=$?
    cat "$work/replay.log" >> "$work/log"
  fi
  elapsed=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$work/log" | tail -1 | cut -d' ' -f2)
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$work/log" | tail -1)
  if [ $rc -eq 0 ] && [ -z "$artifact" ]; then
    echo "$name: runs=${runs:-?} seconds=$elapsed cov=${cov:-?} crashes=0"
  else
    failed=1
    echo "$name: runs=${runs:-?} seconds=$elapsed cov=${cov:-?} crashes=1 artifact=${artifact:-none (exit $rc)}"
    grep -E "ERROR|fuzz:|SUMMARY|#[0-9]+ +in " "$work/log" | head -25 | sed 's/^/    /'
  fi
done
exit $failed
