/* .Call entry points of the scan family (glue in r_scan.c). init.c
 * registers NEV_SCAN_CALLS. */
#ifndef NEV_R_SCAN_H
#define NEV_R_SCAN_H

#include "r_util.h"

/* x: UTF-8 character vector; lenient: TRUE/FALSE; context: characters of
 * context either side of each statistic. Returns a named list,
 * one element per statistic found (names in r_scan.c, scan_names), with
 * the attribute "malformed": statistics skipped per element of x. */
SEXP r_scan_text(SEXP x, SEXP lenient, SEXP context);

/* x: UTF-8 character vector; context: characters of context either side.
 * Returns claim_scan()'s table as a named list of columns (names in
 * r_scan.c, claims_names): where each statistic is, as printed, and as
 * claim_check() checks it; attribute "malformed" as for r_scan_text(). */
SEXP r_scan_claims(SEXP x, SEXP context);

#define NEV_SCAN_CALLS \
  NEV_CALL(scan_text, 3), \
  NEV_CALL(scan_claims, 2),

#endif
