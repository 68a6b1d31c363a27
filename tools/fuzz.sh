#!/usr/bin/env bash
# make fuzz:
#  1. calls:   every registered .Call entry point is called with adversarial
#              arguments in child R processes, against the ASan+UBSan build
#              (tests/fuzz/fuzz-calls.R). The starting points are the
#              arguments the test suite passes (tests/fuzz/record-calls.R).
#  2. drivers: each libFuzzer driver tests/fuzz/drivers/fuzz_*.c is built
#              with clang -fsanitize=fuzzer,address,undefined against the C
#              core files it names (NEV_FUZZ_SOURCES) and run for
#              FUZZ_SECONDS seconds (default 25). Drivers whose core files
#              are not in the tree yet are skipped, and said so.
#  3. properties: the property-based tests (tests/testthat/test-property-*.R,
#              quickcheck) against the ASan+UBSan build, with
#              FUZZ_PROPERTY_TESTS (default 300) random cases per property
#              instead of the suite's 10.
# Usage: tools/fuzz.sh [calls|drivers|properties|all]   (default all)
# Environment: FUZZ_SECONDS, FUZZ_CFLAGS (extra flags for the drivers), FUZZ_CORPUS (reuse a recorded corpus file), and
# those of tests/fuzz/fuzz-calls.R (FUZZ_ONLY, FUZZ_TIMEOUT, ...).
set -uo pipefail
cd "$(dirname "$0")/.."
. tools/asan-env.sh
what=${1:-all}
FUZZ_SECONDS=${FUZZ_SECONDS:-25}
out=lib/fuzz
mkdir -p "$out"
rc=0

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@";
  elif command -v sudo >/dev/null 2>&1; then sudo "$@";
  else echo "fuzz: need root (or sudo) to run: $*" >&2; return 1; fi
}

run_calls() {
  Rscript -e 'if (!requireNamespace("processx", quietly = TRUE)) quit(status = 1)' ||
    tools/install-deps.sh processx || return 1
  echo "== fuzz: ASan+UBSan build"
  nev_install_asan lib/fuzz-asan || return 1
  if [ -n "${FUZZ_CORPUS:-}" ] && [ -f "$FUZZ_CORPUS" ]; then
    echo "== fuzz: using the recorded corpus $FUZZ_CORPUS"
    [ "$FUZZ_CORPUS" -ef "$out/corpus.rds" ] || cp "$FUZZ_CORPUS" "$out/corpus.rds"
  else
    echo "== fuzz: recording the arguments the tests and examples pass to each entry point"
    R_LIBS="lib/fuzz-asan${R_LIBS:+:$R_LIBS}" NOT_CRAN=true \
      nev_asan_run Rscript tests/fuzz/record-calls.R "$out/corpus.rds" 4 \
      >"$out/record.log" 2>&1 || { cat "$out/record.log"; return 1; }
    nev_scan_log "$out/record.log" || return 1
    tail -2 "$out/record.log"
  fi
  echo "== fuzz: adversarial calls of every .Call entry point"
  rm -rf "$out/calls"
  # A case asking for an absurd amount of memory gets NULL from malloc (an
  # R error) instead of taking the machine down.
  NEV_ASAN_OPTIONS="$NEV_ASAN_OPTIONS:malloc_limit_mb=4096:hard_rss_limit_mb=4096" \
  R_LIBS="lib/fuzz-asan${R_LIBS:+:$R_LIBS}" \
    nev_asan_run Rscript tests/fuzz/fuzz-calls.R "$out/corpus.rds" "$out/calls"
}

find_clang() {
  local c
  for c in ${CLANG:-} clang clang-16 clang-15 clang-14 clang-13; do
    command -v "$c" >/dev/null 2>&1 && { echo "$c"; return 0; }
  done
  return 1
}

libfuzzer_ok() {
  printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void) d; (void) n; return 0; }\n' \
    >"$out/probe.c"
  "$1" -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" >/dev/null 2>&1
}

ensure_clang() {
  local cc
  cc=$(find_clang) && libfuzzer_ok "$cc" && { echo "$cc"; return 0; }
  echo "fuzz: installing clang and its libFuzzer runtime" >&2
  as_root apt-get update -qq >&2 || return 1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang >&2 || return 1
  cc=$(find_clang) || return 1
  local ver
  ver=$("$cc" -dumpversion | cut -d. -f1)
  libfuzzer_ok "$cc" || as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "libclang-rt-${ver}-dev" >&2 || return 1
  libfuzzer_ok "$cc" && { echo "$cc"; return 0; }
  echo "fuzz: clang cannot link -fsanitize=fuzzer" >&2; return 1
}

run_drivers() {
  local cc d name srcs s missing bin corpus st
  cc=$(ensure_clang) || return 1
  command -v gsl-config >/dev/null || tools/install-deps.sh || return 1
  echo "== fuzz: libFuzzer drivers ($cc, $FUZZ_SECONDS s each)"
  local fail=0
  for d in tests/fuzz/drivers/fuzz_*.c; do
    name=$(basename "$d" .c)
    srcs=$(sed -n "s/.*NEV_FUZZ_SOURCES:[[:space:]]*\([^*]*\).*/\1/p" "$d" | head -1)
    missing=""
    for s in $srcs; do [ -f "src/$s" ] || missing="$missing $s"; done
    if [ -n "$missing" ]; then
      echo "-- $name: skipped (not in this tree yet:$missing)"; continue
    fi
    bin="$out/drivers/$name"; mkdir -p "$out/drivers" "$out/drivers/$name.corpus"
    if ! "$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
         -fno-omit-frame-pointer ${FUZZ_CFLAGS:-} -Isrc -Itests/fuzz/drivers $(gsl-config --cflags) \
         "$d" $(for s in $srcs; do echo "src/$s"; done) $(gsl-config --libs) -lm \
         -o "$bin" >"$bin.build.log" 2>&1; then
      cat "$bin.build.log"; echo "-- $name: BUILD FAILED"; fail=1; continue
    fi
    corpus="$out/drivers/$name.corpus"
    seeds=""
    [ -d "tests/fuzz/corpus/$name" ] && seeds="tests/fuzz/corpus/$name"
    ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
      "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$out/drivers/$name-" \
      "$corpus" $seeds >"$bin.log" 2>&1
    st=$?
    if [ $st -ne 0 ]; then
      grep -E 'ERROR|runtime error|SUMMARY|Test unit written|timeout|^ +#[0-9] ' "$bin.log" |
        grep -vE 'fuzzer::|__sanitizer|libc|_start' | head -25
      echo "-- $name: FAILED (exit $st); reproduce with $bin <artifact>"; fail=1
    else
      echo "-- $name: ok ($(grep -E 'stat::number_of_executed_units' "$bin.log" | awk '{print $2}') runs, $(grep -cE '^#[0-9]+.*(NEW|REDUCE)' "$bin.log") corpus updates)"
    fi
  done
  return $fail
}

run_properties() {
  Rscript -e 'if (!requireNamespace("quickcheck", quietly = TRUE)) quit(status = 1)' ||
    tools/install-deps.sh quickcheck || return 1
  [ -f lib/fuzz-asan/nutrievidence/DESCRIPTION ] || nev_install_asan lib/fuzz-asan || return 1
  local n=${FUZZ_PROPERTY_TESTS:-300} log="$out/properties.log"
  echo "== fuzz: property-based tests, $n cases per property"
  R_LIBS="lib/fuzz-asan${R_LIBS:+:$R_LIBS}" NOT_CRAN=true NEV_PROPERTY_TESTS="$n" \
    nev_asan_run Rscript tools/run-tests.R property >"$log" 2>&1
  local st=$?
  tail -3 "$log"
  nev_scan_log "$log" || return 1
  [ $st -eq 0 ] || { grep -A30 -E '^(Failure|Error)' "$log" | head -60; return 1; }
}

case "$what" in
  calls) run_calls || rc=1 ;;
  drivers) run_drivers || rc=1 ;;
  properties) run_properties || rc=1 ;;
  all) run_calls || rc=1; run_drivers || rc=1; run_properties || rc=1 ;;
  *) echo "usage: $0 [calls|drivers|properties|all]"; exit 2 ;;
esac
[ $rc -eq 0 ] && echo "fuzz: OK" || echo "fuzz: FAILED"
exit $rc
