/* libFuzzer driver for the dose core: Greenland-Longnecker and Hamling
 * pseudo-counts and covariance of one study (the iteration that fits the
 * pseudo-counts), then the per-study GLS fit on the reconstructed
 * covariance, on fuzzed log RRs, variances, cases and totals.
 * NEV_FUZZ_SOURCES: dose.c status.c */
#include <stdlib.h>
#include "fuzz_input.h"
#include "nev_status.h"
#include "dose.h"

#define MMAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nev_fuzz_in in = {data, size};
  size_t m = nev_fuzz_size(&in, MMAX);
  size_t ref = m ? nev_fuzz_size(&in, m - 1) : 0;
  int type = nev_fuzz_byte(&in) % 4;
  int method = nev_fuzz_byte(&in) % 3;
  size_t mm = m ? m : 1, q = m > 1 ? m - 1 : 1;
  double *y = malloc(mm * sizeof(double)), *v = malloc(mm * sizeof(double));
  double *cases = malloc(mm * sizeof(double)), *n = malloc(mm * sizeof(double));
  double *A = malloc(mm * sizeof(double)), *N = malloc(mm * sizeof(double));
  double *S = malloc(q * q * sizeof(double));
  for (size_t i = 0; i < m; i++) {
    y[i] = nev_fuzz_double(&in);
    v[i] = nev_fuzz_positive(&in);
    cases[i] = 1 + 200 * fabs(nev_fuzz_double(&in));
    if (nev_fuzz_byte(&in) % 16 == 0) cases[i] = nev_fuzz_double(&in);
    n[i] = cases[i] * (1 + 10 * fabs(nev_fuzz_double(&in)));
    if (nev_fuzz_byte(&in) % 16 == 0) n[i] = nev_fuzz_double(&in);
  }
  int iter = 0;
  size_t bad = 0;
  int st = nev_dose_pseudo(type, method, m, ref, y, v, cases, n, A, N, S, &iter, &bad);
  if (st != NEV_OK && st < NEV_WARN_FIRST && bad > m) __builtin_trap();
  if ((st == NEV_OK || st >= NEV_WARN_FIRST) && m > 1) {
    size_t p = 1 + (nev_fuzz_byte(&in) % 2);
    double *X = malloc(q * p * sizeof(double)), *yy = malloc(q * sizeof(double));
    double *b = malloc(p * sizeof(double)), *V = malloc(p * p * sizeof(double));
    double chi2;
    for (size_t i = 0, r = 0; i < m; i++) {
      if (i == ref) continue;
      yy[r] = y[i];
      for (size_t j = 0; j < p; j++) X[r * p + j] = nev_fuzz_double(&in);
      r++;
    }
    (void) nev_dose_gls(q, p, X, yy, S, b, V, &chi2);
    free(X); free(yy); free(b); free(V);
  }
  free(y); free(v); free(cases); free(n); free(A); free(N); free(S);
  return 0;
}
