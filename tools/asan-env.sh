# Sourced by tools/check-memory.sh, tools/fuzz.sh and tools/gctorture.sh.
# Defines the sanitizer environment and a function that installs the package
# built with ASan+UBSan into a private library.

NEV_CC=${NEV_SAN_CC:-gcc}
NEV_ASAN_RT=$("$NEV_CC" -print-file-name=libasan.so)
NEV_ASAN_SUPP="$(pwd)/tools/asan.supp"
# R is not instrumented: leak detection would report R's own allocations, and
# R may legitimately ask malloc for impossible sizes (it then signals an error).
NEV_ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=0:exitcode=23:allocator_may_return_null=1:detect_odr_violation=0:print_summary=1:suppressions=${NEV_ASAN_SUPP}"
NEV_UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=24"

# Run a command with the ASan runtime preloaded.
nev_asan_run() {
  LD_PRELOAD="$NEV_ASAN_RT" ASAN_OPTIONS="$NEV_ASAN_OPTIONS" \
    UBSAN_OPTIONS="$NEV_UBSAN_OPTIONS" "$@"
}

# Install the working tree into library $1 with the sanitizer flags.
nev_install_asan() {
  local lib=$1
  rm -rf "$lib"; mkdir -p "$lib"
  if [ ! -f "$NEV_ASAN_RT" ]; then
    echo "sanitizer runtime not found ($NEV_CC -print-file-name=libasan.so)"; return 1
  fi
  if ! R_MAKEVARS_USER="$(pwd)/tools/Makevars.sanitize" CC="$NEV_CC" \
       nev_asan_run R CMD INSTALL --preclean --no-multiarch --library="$lib" . \
       >"$lib/install.log" 2>&1; then
    cat "$lib/install.log"; ./cleanup; return 1
  fi
  ./cleanup
  # Guard against a silently uninstrumented build.
  local nasan
  nasan=$(nm -D "$lib/nutrievidence/libs/nutrievidence.so" | grep -c '__asan_')
  if [ "${nasan:-0}" -eq 0 ]; then
    echo "the installed nutrievidence.so is not instrumented with ASan"; return 1
  fi
}

# Fail (return 1) if a log contains a sanitizer report or a PROTECT imbalance.
nev_scan_log() {
  local log=$1
  if grep -nE 'ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer|stack imbalance|SUMMARY: (Address|UndefinedBehavior)Sanitizer' "$log"; then
    echo "sanitizer report or stack imbalance in $log"; return 1
  fi
  return 0
}
