#!/usr/bin/env bash
# Runs every check of tools/release-checklist.md: each fenced ```sh block
# whose first line is "# check: NAME" runs in bash from the package root and
# passes when it exits 0. Prints one line per check and fails if any fails.
set -uo pipefail
cd "$(dirname "$0")/.."
list=tools/release-checklist.md
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
  /^```sh[[:space:]]*$/ { inb = 1; n++; f = sprintf("%s/%03d.sh", dir, n); next }
  /^```[[:space:]]*$/ && inb { inb = 0; close(f); next }
  inb { print > f }
' "$list"
fail=0; total=0
for f in "$tmp"/*.sh; do
  name=$(sed -n '1s/^# check: //p' "$f")
  [ -n "$name" ] || continue
  total=$((total + 1))
  if out=$(bash -o pipefail "$f" 2>&1); then
    echo "ok    $name"
  else
    echo "FAIL  $name"; echo "$out" | sed 's/^/      /' | head -40; fail=$((fail + 1))
  fi
done
echo "release checks: $((total - fail)) of $total passed"
[ $fail -eq 0 ]
