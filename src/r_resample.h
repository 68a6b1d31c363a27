/* .Call entry points for permutation tests and GOSH (glue in
 * r_resample.c, core in resample.c). Each returns a named list (names next
 * to the entry point in r_resample.c). */
#ifndef NEV_R_RESAMPLE_H
#define NEV_R_RESAMPLE_H

#include "r_util.h"

SEXP r_resample_perm(SEXP yi, SEXP vi, SEXP X, SEXP btt0, SEXP settings,
                     SEXP kind, SEXP group, SEXP first, SEXP n,
                     SEXP threads);
SEXP r_resample_gosh(SEXP yi, SEXP vi, SEXP X, SEXP settings, SEXP kind,
                     SEXP first, SEXP n, SEXP threads);
SEXP r_resample_count_perms(SEXP group);

#define NEV_RESAMPLE_CALLS \
  NEV_CALL(resample_perm, 10), \
  NEV_CALL(resample_gosh, 8), \
  NEV_CALL(resample_count_perms, 1),

#endif
