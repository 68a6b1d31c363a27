#!/usr/bin/env bash
# make gctorture: the test files matching GCTORTURE_FILTER (default: every
# file) run with gctorture on inside every .Call entry point
# (tests/fuzz/gctorture.R; GCTORTURE_EXCLUDE leaves out the files that take
# minutes under torture), then the PROTECT balance: R's "stack imbalance"
# messages fail the target, and tools/protect-check.R checks the glue files'
# PROTECT/UNPROTECT pattern. GCTORTURE_MODE=full tortures the whole run;
# GCTORTURE_MODE=corpus instead runs tests/fuzz/gctorture-calls.R: a few
# recorded calls per entry point (GCTORTURE_CORPUS, recorded by
# tests/fuzz/record-calls.R when missing), minutes instead of hours.
set -uo pipefail
cd "$(dirname "$0")/.."
GCTORTURE_FILTER=${GCTORTURE_FILTER:-all}
GCTORTURE_MODE=${GCTORTURE_MODE:-call}
rc=0
rm -rf lib/gct; mkdir -p lib/gct
R CMD INSTALL --preclean --no-multiarch --library=lib/gct . >lib/gct/install.log 2>&1 ||
  { cat lib/gct/install.log; ./cleanup; exit 1; }
./cleanup
if [ "$GCTORTURE_MODE" = corpus ]; then
  corpus=${GCTORTURE_CORPUS:-lib/gct/corpus.rds}
  if [ ! -f "$corpus" ]; then
    echo "== gctorture: recording the calls the tests and examples make"
    R_LIBS="lib/gct${R_LIBS:+:$R_LIBS}" NOT_CRAN=true \
      Rscript tests/fuzz/record-calls.R "$corpus" 4 >lib/gct/record.log 2>&1 ||
      { tail -20 lib/gct/record.log; exit 1; }
  fi
  echo "== gctorture on recorded calls of every entry point ($corpus)"
  R_LIBS="lib/gct${R_LIBS:+:$R_LIBS}" \
    Rscript tests/fuzz/gctorture-calls.R "$corpus" 2 >lib/gct/tests.log 2>&1
else
  echo "== gctorture ($GCTORTURE_MODE) on test files matching: $GCTORTURE_FILTER"
  R_LIBS="lib/gct${R_LIBS:+:$R_LIBS}" NOT_CRAN=true \
    Rscript tests/fuzz/gctorture.R "$GCTORTURE_FILTER" "$GCTORTURE_MODE" >lib/gct/tests.log 2>&1
fi
st=$?
tail -4 lib/gct/tests.log
if grep -n 'stack imbalance' lib/gct/tests.log; then echo "PROTECT stack imbalance"; rc=1; fi
if [ $st -ne 0 ]; then echo "tests failed under gctorture (exit $st)"; tail -60 lib/gct/tests.log; rc=1; fi
echo "== PROTECT balance in the glue files"
Rscript tools/protect-check.R src || rc=1
[ $rc -eq 0 ] && echo "gctorture: OK" || echo "gctorture: FAILED"
exit $rc
