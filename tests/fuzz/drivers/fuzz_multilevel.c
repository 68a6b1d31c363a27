/* libFuzzer driver for the three-level and cluster-robust cores:
 * nev_ml3_fit(), nev_ml3_profile() and nev_robust() on fuzzed effect
 * sizes, variances, moderators, cluster sizes, rho and options (NaN, Inf,
 * zero, negative, huge and tiny values included). The cores must return a
 * status and never read or write out of bounds, leak, or loop forever
 * (libFuzzer -timeout). With NEV_OK the estimates must be finite and the
 * variance components >= 0.
 * NEV_FUZZ_SOURCES: multilevel.c robust.c status.c */
#include <stdlib.h>
#include "fuzz_input.h"
#include "nev_status.h"
#include "multilevel.h"
#include "robust.h"

#define KMAX 30
#define PMAX 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nev_fuzz_in in = {data, size};
  size_t k = nev_fuzz_size(&in, KMAX);
  size_t p = 1 + nev_fuzz_size(&in, PMAX - 1);
  nev_ml3_opts o;
  nev_ml3_opts_default(&o);
  o.method = nev_fuzz_byte(&in) % 3;             /* includes invalid 2 */
  if (nev_fuzz_byte(&in) % 4 == 0) o.rho = nev_fuzz_double(&in);
  if (nev_fuzz_byte(&in) % 8 == 0) o.tol = nev_fuzz_double(&in);
  if (nev_fuzz_byte(&in) % 8 == 0) o.maxiter = (int) nev_fuzz_size(&in, 50) - 2;
  if (nev_fuzz_byte(&in) % 8 == 0) o.fix[nev_fuzz_byte(&in) & 1] =
    nev_fuzz_double(&in);
  /* clusters: sizes 1..4 until k rows are used */
  size_t *start = malloc((k + 2) * sizeof(size_t));
  size_t m = 0;
  start[0] = 0;
  while (start[m] < k) {
    size_t n = 1 + nev_fuzz_byte(&in) % 4;
    start[m + 1] = start[m] + n > k ? k : start[m] + n;
    m++;
  }
  double *y = malloc((k ? k : 1) * sizeof(double));
  double *v = malloc((k ? k : 1) * sizeof(double));
  double *X = malloc((k ? k : 1) * p * sizeof(double));
  double *beta = malloc(p * sizeof(double)), *vb = malloc(p * p * sizeof(double));
  double *vc = malloc(p * p * sizeof(double)), *df = malloc(p * sizeof(double));
  double *C = malloc(p * sizeof(double));
  for (size_t i = 0; i < k; i++) {
    y[i] = nev_fuzz_double(&in);
    v[i] = nev_fuzz_positive(&in);
  }
  for (size_t j = 0; j < k * p; j++)
    X[j] = (j < k) ? 1.0 : nev_fuzz_double(&in);
  for (size_t j = 0; j < p; j++) C[j] = j == p - 1 ? 1.0 : 0.0;
  nev_ml3_result r = {0};
  r.beta = beta; r.vb = vb;
  int st = nev_ml3_fit(y, v, X, k, p, start, m, &o, &r);
  if (st == NEV_OK || st == NEV_WARN_NOCONV) {
    for (size_t j = 0; j < p; j++)
      if (!isfinite(beta[j])) __builtin_trap();
    if (!(r.sigma2[0] >= 0) || !(r.sigma2[1] >= 0)) __builtin_trap();
    if (nev_fuzz_byte(&in) % 4 == 0) {
      double lb, ub;
      (void) nev_ml3_profile(y, v, X, k, p, start, m, &o,
                             nev_fuzz_byte(&in) & 1, r.sigma2,
                             o.method == NEV_ML3_REML ? r.ll_reml : r.ll_ml,
                             0.95, &lb, &ub);
    }
    double *e = malloc(k * sizeof(double));
    for (size_t i = 0; i < k; i++) {
      e[i] = y[i];
      for (size_t j = 0; j < p; j++) e[i] -= X[i + j * k] * beta[j];
    }
    double nu;
    (void) nev_robust(X, e, v, k, p, start, m, o.rho, r.sigma2[0],
                      r.sigma2[1], nev_fuzz_byte(&in) % 6, C, 1, vc, df,
                      &nu);
    free(e);
  }
  free(start); free(y); free(v); free(X); free(beta); free(vb); free(vc);
  free(df); free(C);
  return 0;
}
