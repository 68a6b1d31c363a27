#!/usr/bin/env bash
# make lint: the release checklist's commands (tools/release-checks.sh), then
# lintr and codetools on the R code (tools/lint.R). Fails if any part fails.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
Rscript -e 'for (p in c("lintr", "codetools")) if (!requireNamespace(p, quietly = TRUE)) quit(status = 1)' ||
  tools/install-deps.sh lintr codetools || exit 1
echo "== release checklist (tools/release-checklist.md)"
tools/release-checks.sh || rc=1
echo "== lintr and codetools"
rm -rf lib/lint; mkdir -p lib/lint
if R CMD INSTALL --no-multiarch --library=lib/lint . >lib/lint/install.log 2>&1; then
  ./cleanup
  Rscript tools/lint.R lib/lint || rc=1
else
  ./cleanup; cat lib/lint/install.log; rc=1
fi
[ $rc -eq 0 ] && echo "lint: OK" || echo "lint: FAILED"
exit $rc
