#!/bin/sh
# fuzz/run.sh TARGET SECONDS [BUILD_DIR] — run one libFuzzer target for
# SECONDS, niced, on a working corpus seeded from fuzz/corpus/TARGET.
#   TARGET    png | jpeg | roi_analyze | cli_args | manifest
#   BUILD_DIR a build configured with CC=clang -DSCARSCORE_FUZZ=ON
#             (default: build-fuzz next to this folder's parent; built here
#             when the target is missing)
# New interesting inputs go to BUILD_DIR/fuzz/live-corpus/TARGET (never into the
# repository); crashes to BUILD_DIR/fuzz/artifacts/TARGET/ — copy each into
# tests/crashers/ with a fix. Final figures (execs, coverage) are printed
# and kept in BUILD_DIR/fuzz/logs/TARGET.log. Exit status: libFuzzer's
# (non-zero when it found a crash, leak or timeout).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 TARGET SECONDS [BUILD_DIR]" >&2; exit 2; }
target=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
build=${3:-$root/build-fuzz}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
seeds=$root/fuzz/corpus/$target
[ -d "$seeds" ] || { echo "$0: no seed corpus $seeds (unknown target?)" >&2; exit 2; }

if [ ! -x "$build/fuzz/fuzz_$target" ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DSCARSCORE_FUZZ=ON -DSCARSCORE_SANITIZE=ON -DSCARSCORE_BENCH=OFF \
      -DSCARSCORE_SAMPLES=OFF -DSCARSCORE_TESTS=OFF
  fi
  cmake --build "$build" -j2 --target "fuzz_$target"
fi

work=$build/fuzz/live-corpus/$target
artifacts=$build/fuzz/artifacts/$target
logs=$build/fuzz/logs
mkdir -p "$work" "$artifacts" "$logs"

# Images: inputs up to 64 KiB (a few hundred real-world chunks/markers);
# argument lists and manifests up to 4 KiB. A single input may take 10 s
# and 2 GiB before it counts as a hang or a memory bomb.
case $target in
  cli_args|manifest) max_len=4096 ;;
  *) max_len=65536 ;;
esac

ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=64} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
nice -n 19 "$build/fuzz/fuzz_$target" \
  -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
  -close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$artifacts/" \
  "$work" "$seeds" 2>&1 | tee "$logs/$target.log" | grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|ERROR|SUMMARY' || true
status=$(grep -c -E '^==[0-9]+==ERROR|^SUMMARY|deadly signal|Test unit written' "$logs/$target.log" || true)
[ "$status" = 0 ]
