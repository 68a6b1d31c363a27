#!/usr/bin/env bash
# Does the property-based harness catch a real bug? A copy of the package
# with one defect planted in the C core (the working tree is left alone) is
# installed into a temporary library, and the property tests of pool()
# (tests/testthat/test-property-pool.R) run against it. The script succeeds
# when the properties fail, with quickcheck's shrunk counterexample printed,
# and fails when the planted bug goes unnoticed (or cannot be planted).
#
#   tests/fuzz/plant-bug.sh [weights|zero|all]     (default all)
#
#   weights: the sum of the weights of an intercept-only fit leaves out the
#            last study once there are 7 or more (src/pool.c, ws_prep): the
#            estimate and its SE depend on the order of the studies.
#   zero:    tau2 estimates below 1e-4 are set to 0 (src/pool.c,
#            estimate_tau2): an absolute threshold, wrong once the data are
#            rescaled.
#
# Environment: NEV_PROPERTY_TESTS (cases per property, default 100),
# PLANT_SEED (R's seed, default 1).
set -uo pipefail
cd "$(dirname "$0")/../.."
what=${1:-all}
[ "$what" = all ] && bugs="weights zero" || bugs=$what
export NEV_PROPERTY_TESTS=${NEV_PROPERTY_TESTS:-100}
seed=${PLANT_SEED:-1}
Rscript -e 'if (!requireNamespace("quickcheck", quietly = TRUE)) quit(status = 1)' ||
  { echo "plant-bug: the quickcheck package is needed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0

# perl substitution on one file of the copy; exactly one match or an error
plant() {
  local file=$1 expr=$2
  perl -0777 -i -pe "\$n = ($expr); END { exit(\$n == 1 ? 0 : 3) }" "$file"
}

for bug in $bugs; do
  src=$tmp/$bug/pkg
  lib=$tmp/$bug/lib
  mkdir -p "$src" "$lib"
  git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$src"
  case $bug in
    weights)
      plant "$src/src/pool.c" \
        's{(intercept only: O\(k\) \*/\n\s*double sw = 0\.0;\n\s*for \(size_t i = 0; )i < k;}{\1i + (k >= 7) < k;}' ;;
    zero)
      plant "$src/src/pool.c" 's{if \(t < 0\.0\) t = 0\.0;}{if (t < 1e-4) t = 0.0;}' ;;
    *) echo "plant-bug: unknown bug '$bug' (weights, zero or all)"; exit 2 ;;
  esac
  [ $? -eq 0 ] || { echo "plant-bug: could not plant '$bug' (src/pool.c changed?)"; rc=1; continue; }
  echo "== planted bug '$bug':"
  diff -u src/pool.c "$src/src/pool.c" | grep -E '^[-+][^-+]'
  R CMD INSTALL --no-multiarch --library="$lib" "$src" >"$tmp/$bug/install.log" 2>&1 ||
    { tail -20 "$tmp/$bug/install.log"; rc=1; continue; }
  echo "== property tests of pool() against it ($NEV_PROPERTY_TESTS cases per property)"
  R_LIBS="$lib${R_LIBS:+:$R_LIBS}" NOT_CRAN=true Rscript -e '
    set.seed(as.integer(commandArgs(TRUE)[1]))
    suppressPackageStartupMessages({library(testthat); library(nutrievidence)})
    r <- test_dir("tests/testthat", filter = "property-pool",
                  package = "nutrievidence", load_package = "installed",
                  reporter = "summary", stop_on_failure = FALSE)
    d <- as.data.frame(r)
    cat(sprintf("\n%d properties failed, %d held, %d skipped\n",
                sum(d$failed > 0 | d$error), sum(d$failed == 0 & !d$error &
                !d$skipped), sum(d$skipped)))
    for (i in seq_len(nrow(d)))
      cat(sprintf("  %-5s %s\n", if (d$failed[i] > 0 || d$error[i]) "FAIL"
                  else if (d$skipped[i]) "skip" else "held", d$test[i]))
    quit(status = if (any(d$failed > 0 | d$error)) 0 else 1)
  ' "$seed" 2>&1
  if [ $? -eq 0 ]; then
    echo "== '$bug': caught"
  else
    echo "== '$bug': NOT caught by the property tests"
    rc=1
  fi
done
[ $rc -eq 0 ] && echo "plant-bug: every planted bug was caught" ||
  echo "plant-bug: FAILED"
exit $rc
