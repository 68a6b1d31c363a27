/* .Call entry points of the pool family (glue in r_pool.c). Add each
 * entry point's prototype here and list it in NEV_POOL_CALLS as
 * NEV_CALL(name, arity); init.c registers the list. */
#ifndef NEV_R_POOL_H
#define NEV_R_POOL_H

#include "r_util.h"

SEXP r_pool_fit(SEXP yi, SEXP vi, SEXP X, SEXP method, SEXP test,
                SEXP adhoc, SEXP level, SEXP tol, SEXP maxiter, SEXP tau2_fix);
SEXP r_pool_scan(SEXP yi, SEXP vi);
/* pool()'s nev_pool object for plain vectors and one method (r_pool.c),
 * or NULL when pool() must take its R path. */
SEXP r_pool_object(SEXP yi, SEXP vi, SEXP method, SEXP method_name,
                   SEXP test, SEXP test_name, SEXP adhoc, SEXP level,
                   SEXP tol, SEXP maxiter, SEXP pi_df, SEXP i2, SEXP measure,
                   SEXP call, SEXP control);
SEXP r_pool_qprofile(SEXP yi, SEXP vi, SEXP X, SEXP level, SEXP tol);
SEXP r_pool_batch(SEXP yi, SEXP vi, SEXP start, SEXP method, SEXP test,
                  SEXP adhoc, SEXP level, SEXP tol, SEXP maxiter,
                  SEXP threads);
SEXP r_pool_batch_groups(SEXP yi, SEXP vi, SEXP group);
SEXP r_pool_counts(SEXP ai, SEXP n1i, SEXP ci, SEXP n2i, SEXP measure,
                   SEXP method);

#define NEV_POOL_CALLS \
  NEV_CALL(pool_fit, 10), \
  NEV_CALL(pool_scan, 2), \
  NEV_CALL(pool_object, 15), \
  NEV_CALL(pool_qprofile, 5), \
  NEV_CALL(pool_batch, 10), \
  NEV_CALL(pool_batch_groups, 3), \
  NEV_CALL(pool_counts, 6),

#endif
