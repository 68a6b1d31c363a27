#!/usr/bin/env bash
# Memory checks of the C code (make check-memory):
#  1. ASan + UBSan: the package is built with -fsanitize=address,undefined
#     into lib/asan and the testthat suite (ASAN_FILTER, default: every file)
#     is run with the ASan runtime preloaded. Any sanitizer report, PROTECT
#     stack imbalance or failed test fails the target.
#  2. valgrind: the ordinary build in lib/plain, the test files matching
#     VALGRIND_FILTER run under R -d "valgrind --leak-check=full
#     --error-exitcode=1". VALGRIND_FILTER=all runs every file (slow); the
#     default is the fast subset below.
# Usage: tools/check-memory.sh [asan|valgrind|all]   (default all)
set -uo pipefail
cd "$(dirname "$0")/.."
. tools/asan-env.sh
what=${1:-all}
ASAN_FILTER=${ASAN_FILTER:-all}
# Fast subset for valgrind: the infrastructure test, the bad-input suite
# (every exported function with its documented bad inputs) and the claim
# and effect families (small inputs, closed forms).
VALGRIND_FILTER=${VALGRIND_FILTER:-"infrastructure|bad-input|claim|effect"}
rc=0

run_asan() {
  echo "== check-memory: ASan+UBSan build ($NEV_CC)"
  nev_install_asan lib/asan || return 1
  local log=lib/asan/tests.log
  echo "== check-memory: test suite under ASan+UBSan (filter: $ASAN_FILTER)"
  R_LIBS="lib/asan${R_LIBS:+:$R_LIBS}" NOT_CRAN=true \
    nev_asan_run Rscript tools/run-tests.R "$ASAN_FILTER" >"$log" 2>&1
  local st=$?
  tail -5 "$log"
  nev_scan_log "$log" || { tail -60 "$log"; return 1; }
  if [ $st -ne 0 ]; then
    echo "tests failed under ASan+UBSan (exit $st)"; tail -60 "$log"; return 1
  fi
  echo "ASan+UBSan: no reports"
}

run_valgrind() {
  if ! command -v valgrind >/dev/null; then
    echo "check-memory: installing valgrind"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
    fi
    command -v valgrind >/dev/null || { echo "valgrind not installed"; return 1; }
  fi
  echo "== check-memory: plain build for valgrind"
  rm -rf lib/plain; mkdir -p lib/plain
  R CMD INSTALL --preclean --no-multiarch --library=lib/plain . \
    >lib/plain/install.log 2>&1 || { cat lib/plain/install.log; ./cleanup; return 1; }
  ./cleanup
  local log=lib/plain/valgrind.log
  echo "== check-memory: valgrind on test files matching: $VALGRIND_FILTER"
  R_LIBS="lib/plain${R_LIBS:+:$R_LIBS}" NOT_CRAN=true \
    R -d "valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite -q" \
    --vanilla --slave -f tools/run-tests.R --args "$VALGRIND_FILTER" >"$log" 2>&1
  local st=$?
  tail -5 "$log"
  if grep -nE '^==[0-9]+== (Invalid|Conditional jump|Use of uninitialised|Syscall param|Mismatched|Source and destination overlap)|definitely lost in [1-9]|stack imbalance' "$log"; then
    echo "valgrind reported errors"; return 1
  fi
  [ $st -eq 0 ] || { echo "valgrind run failed (exit $st)"; tail -60 "$log"; return 1; }
  echo "valgrind: no errors"
}

case "$what" in
  asan) run_asan || rc=1 ;;
  valgrind) run_valgrind || rc=1 ;;
  all) run_asan || rc=1; run_valgrind || rc=1 ;;
  *) echo "usage: $0 [asan|valgrind|all]"; exit 2 ;;
esac
[ $rc -eq 0 ] && echo "check-memory: OK" || echo "check-memory: FAILED"
exit $rc
