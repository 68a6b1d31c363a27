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

#define NEV_SCAN_CALLS \
  NEV_CALL(scan_text, 3),

#endif
