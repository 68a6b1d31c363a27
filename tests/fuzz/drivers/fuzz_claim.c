/* libFuzzer driver for the claim core: rounding intervals of printed
 * numbers (any decimals, NaN, Inf, negative values on the log scale) and
 * the exact bounds of SE, z and p over the rounding box.
 * NEV_FUZZ_SOURCES: claim.c status.c */
#include <stdlib.h>
#include "fuzz_input.h"
#include "nev_status.h"
#include "claim.h"

#define NMAX 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nev_fuzz_in in = {data, size};
  size_t n = nev_fuzz_size(&in, NMAX);
  int log_scale = nev_fuzz_byte(&in) & 1;
  size_t nn = n ? n : 1;
  double *x = malloc(3 * nn * sizeof(double));
  double *dec = malloc(3 * nn * sizeof(double));
  double *lo = malloc(3 * nn * sizeof(double));
  double *hi = malloc(3 * nn * sizeof(double));
  double *box = malloc(nn * NEV_CLAIM_NBOX * sizeof(double));
  double *level = malloc(nn * sizeof(double));
  double *null = malloc(nn * sizeof(double));
  double *out = malloc(nn * NEV_CLAIM_NOUT * sizeof(double));
  for (size_t i = 0; i < 3 * n; i++) {
    x[i] = nev_fuzz_double(&in);
    uint8_t d = nev_fuzz_byte(&in);
    dec[i] = (d % 16 == 0) ? nev_fuzz_double(&in) : (double) (d % 9) - 2;
  }
  int st = nev_claim_round_box(3 * n, x, dec, log_scale, lo, hi);
  if (st == NEV_OK) {
    /* Column-major n x NBOX: estimate, lower, upper with their ranges. */
    for (size_t i = 0; i < n; i++)
      for (size_t c = 0; c < 3; c++) {
        box[i + n * (3 * c)] = x[i + n * c];
        box[i + n * (3 * c + 1)] = lo[i + n * c];
        box[i + n * (3 * c + 2)] = hi[i + n * c];
      }
  } else {
    for (size_t j = 0; j < n * NEV_CLAIM_NBOX; j++) box[j] = nev_fuzz_double(&in);
  }
  for (size_t i = 0; i < n; i++) {
    level[i] = (nev_fuzz_byte(&in) % 8 == 0) ? nev_fuzz_double(&in) : 0.95;
    null[i] = (nev_fuzz_byte(&in) % 8 == 0) ? nev_fuzz_double(&in) : (log_scale ? 1 : 0);
  }
  (void) nev_claim_bounds(n, box, level, null, log_scale, out);
  free(x); free(dec); free(lo); free(hi); free(box); free(level); free(null); free(out);
  return 0;
}
