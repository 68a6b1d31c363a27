/* .Call entry points of the diagnostics family (glue in r_diag.c). */
#ifndef NEV_R_DIAG_H
#define NEV_R_DIAG_H

#include "r_util.h"

SEXP r_diag_loo(SEXP yi, SEXP vi, SEXP X, SEXP method, SEXP test,
                SEXP adhoc, SEXP level, SEXP tol, SEXP maxiter, SEXP tau2_fix,
                SEXP btt0, SEXP influence);
SEXP r_diag_cumul(SEXP yi, SEXP vi, SEXP method, SEXP test, SEXP adhoc,
                  SEXP level, SEXP tol, SEXP maxiter, SEXP tau2_fix);
SEXP r_diag_wls(SEXP y, SEXP v, SEXP X);
SEXP r_diag_kendall(SEXP x, SEXP y, SEXP exact);
SEXP r_diag_trimfill(SEXP yi, SEXP vi, SEXP method, SEXP tol, SEXP maxiter,
                     SEXP estimator, SEXP side, SEXP tf_maxiter);

#define NEV_DIAG_CALLS \
  NEV_CALL(diag_loo, 12), \
  NEV_CALL(diag_cumul, 9), \
  NEV_CALL(diag_wls, 3), \
  NEV_CALL(diag_kendall, 3), \
  NEV_CALL(diag_trimfill, 8),

#endif
