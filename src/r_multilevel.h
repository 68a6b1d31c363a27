/* .Call entry points of the three-level and cluster-robust family (glue in
 * r_multilevel.c); init.c registers NEV_MULTILEVEL_CALLS. */
#ifndef NEV_R_MULTILEVEL_H
#define NEV_R_MULTILEVEL_H

#include "r_util.h"

SEXP r_ml3_fit(SEXP yi, SEXP vi, SEXP X, SEXP start, SEXP rho, SEXP method,
               SEXP tol, SEXP maxiter, SEXP fix);
SEXP r_ml3_profile(SEXP yi, SEXP vi, SEXP X, SEXP start, SEXP rho,
                   SEXP method, SEXP tol, SEXP maxiter, SEXP which,
                   SEXP est, SEXP ll_max, SEXP level);
SEXP r_robust_vcov(SEXP X, SEXP e, SEXP vi, SEXP start, SEXP rho,
                   SEXP sigma2, SEXP type, SEXP C);

#define NEV_MULTILEVEL_CALLS \
  NEV_CALL(ml3_fit, 9), \
  NEV_CALL(ml3_profile, 12), \
  NEV_CALL(robust_vcov, 8),

#endif
