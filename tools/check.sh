#!/usr/bin/env bash
# Builds the package, runs R CMD check --as-cran (offline-safe), and prints the
# testthat counts as the last line: "N passed, N failed".
# Exits non-zero on a check ERROR or WARNING or any failed test.
set -uo pipefail
cd "$(dirname "$0")/.."
out=check
rm -rf "$out"; mkdir -p "$out"
pkg=$(sed -n 's/^Package: //p' DESCRIPTION)
ver=$(sed -n 's/^Version: //p' DESCRIPTION)
src=$(pwd)

( cd "$out" && R CMD build "$src" ) > "$out/build.log" 2>&1
if [ ! -f "$out/${pkg}_${ver}.tar.gz" ]; then
  cat "$out/build.log"; echo "R CMD build failed"; echo "0 passed, 1 failed"; exit 1
fi

( cd "$out" && \
  _R_CHECK_CRAN_INCOMING_REMOTE_=false \
  _R_CHECK_CRAN_INCOMING_=false \
  _R_CHECK_SYSTEM_CLOCK_=false \
  _R_CHECK_FUTURE_FILE_TIMESTAMPS_=false \
  _R_CHECK_RD_MATH_RENDERING_=false \
  NOT_CRAN=true \
  R CMD check --as-cran --no-manual "${pkg}_${ver}.tar.gz" ) > "$out/check.log" 2>&1
cat "$out/check.log"

rcheck="$out/${pkg}.Rcheck"
status=$(grep -E '^Status:' "$rcheck/00check.log" 2>/dev/null | tail -1)
counts=$(cat "$rcheck"/tests/testthat.Rout* 2>/dev/null | grep -E '\[ FAIL [0-9]+ \| WARN [0-9]+ \| SKIP [0-9]+ \| PASS [0-9]+ \]' | tail -1)
if [ -n "$counts" ]; then
  fail=$(echo "$counts" | sed -E 's/.*FAIL ([0-9]+).*/\1/')
  pass=$(echo "$counts" | sed -E 's/.*PASS ([0-9]+).*/\1/')
  skip=$(echo "$counts" | sed -E 's/.*SKIP ([0-9]+).*/\1/')
else
  pass=0; fail=1; skip=0
  echo "no testthat summary found (tests did not run to the end)"
  tail -40 "$rcheck"/tests/testthat.Rout* 2>/dev/null
fi
rc=0
case "$status" in
  *ERROR*|*WARNING*) rc=1 ;;
  "") rc=1; echo "R CMD check did not finish" ;;
esac
[ "$fail" = 0 ] || rc=1
echo "check: ${status:-no status}"
echo "${pass} passed, ${fail} failed, ${skip} skipped"
exit $rc
