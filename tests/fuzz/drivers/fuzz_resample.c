/* libFuzzer driver for the resampling core: nev_rs_batch() with every kind
 * (exact and given sign flips, row permutations, GOSH subsets), fuzzed
 * data, designs, ranks, row labels, given draws and thread counts. The core
 * must return a status (NEV_ERR_ARG for a bad batch), never read or write
 * out of bounds, leak or hang; a fit that fails is a per-fit status.
 * NEV_FUZZ_SOURCES: resample.c pool.c status.c */
#include <stdlib.h>
#include "fuzz_input.h"
#include "nev_status.h"
#include "resample.h"

#define KMAX 12
#define PMAX 3
#define NMAX 20

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nev_fuzz_in in = {data, size};
  size_t k = nev_fuzz_size(&in, KMAX);
  size_t p = 1 + nev_fuzz_size(&in, PMAX - 1);
  int use_x = nev_fuzz_byte(&in) & 1;
  if (!use_x) p = 1;
  int kind = nev_fuzz_byte(&in) % 8 - 1;      /* includes invalid -1, 6 */
  size_t n = nev_fuzz_size(&in, NMAX);
  double first = (double) nev_fuzz_size(&in, 5000);
  if (nev_fuzz_byte(&in) % 8 == 0) first = nev_fuzz_double(&in);
  int nt = (int) nev_fuzz_size(&in, 3);        /* includes invalid 0 */
  nev_rs_model m;
  nev_pool_opts_default(&m.opts);
  m.opts.method = nev_fuzz_byte(&in) % 10;
  m.opts.test = nev_fuzz_byte(&in) % 2;
  m.k = k; m.p = p;
  m.btt0 = nev_fuzz_size(&in, p);              /* includes invalid p */
  const size_t kk = k ? k : 1, W = (kk + 30) / 31;
  double *y = malloc(kk * sizeof(double)), *v = malloc(kk * sizeof(double));
  double *X = use_x ? malloc(kk * p * sizeof(double)) : NULL;
  int *group = malloc(kk * sizeof(int));
  size_t gsz = (n ? n : 1) * (kk > W ? kk : W);
  int *given = malloc(gsz * sizeof(int));
  for (size_t i = 0; i < k; i++) {
    y[i] = nev_fuzz_double(&in);
    v[i] = nev_fuzz_positive(&in);
    group[i] = (int) nev_fuzz_size(&in, k) - (nev_fuzz_byte(&in) == 0);
  }
  if (X)
    for (size_t j = 0; j < k * p; j++)
      X[j] = (j < k) ? 1.0 : nev_fuzz_double(&in);
  for (size_t j = 0; j < gsz; j++)
    given[j] = (int) nev_fuzz_size(&in, 2 * kk) - 1;
  m.yi = y; m.vi = v; m.X = X;
  double *work = malloc((size_t) (nt > 0 ? nt : 1) *
                        nev_rs_work_size(kk, p) * sizeof(double));
  size_t nn = n ? n : 1;
  double *beta = malloc(nn * p * sizeof(double));
  double *zval = malloc(nn * p * sizeof(double));
  double *qm = malloc(nn * sizeof(double)), *t2 = malloc(nn * sizeof(double));
  double *i2 = malloc(nn * sizeof(double)), *h2 = malloc(nn * sizeof(double));
  double *qe = malloc(nn * sizeof(double));
  int *ks = malloc(nn * sizeof(int)), *st = malloc(nn * sizeof(int));
  nev_rs_out o = {beta, zval, qm, t2, i2, h2, qe, ks, st};
  (void) nev_rs_batch(&m, kind, given, group, first, n, nt, work, &o);
  if (k) (void) nev_rs_count_perms(group, k);
  free(y); free(v); free(X); free(group); free(given); free(work);
  free(beta); free(zval); free(qm); free(t2); free(i2); free(h2); free(qe);
  free(ks); free(st);
  return 0;
}
