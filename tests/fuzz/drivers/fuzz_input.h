/* Helpers for the libFuzzer drivers: decode the fuzzer's bytes into sizes
 * and doubles. A selector byte chooses between special values (NaN, Inf,
 * zero, negative, huge, tiny) and an ordinary number, so that the
 * interesting values are reached in a few mutations. */
#ifndef NEV_FUZZ_INPUT_H
#define NEV_FUZZ_INPUT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <gsl/gsl_errno.h>

/* GSL must return error codes, never abort, as in the package (init.c). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void) argc; (void) argv;
  gsl_set_error_handler_off();
  return 0;
}

typedef struct {
  const uint8_t *p;
  size_t n;
} nev_fuzz_in;

static inline uint8_t nev_fuzz_byte(nev_fuzz_in *in)
{
  uint8_t b = 0;
  if (in->n) { b = in->p[0]; in->p++; in->n--; }
  return b;
}

/* A size in [0, max]. */
static inline size_t nev_fuzz_size(nev_fuzz_in *in, size_t max)
{
  size_t v = (size_t) nev_fuzz_byte(in) | ((size_t) nev_fuzz_byte(in) << 8);
  return max ? v % (max + 1) : 0;
}

/* A double: special values, a value on a moderate scale, or raw bits. */
static inline double nev_fuzz_double(nev_fuzz_in *in)
{
  uint8_t sel = nev_fuzz_byte(in);
  switch (sel % 16) {
  case 0: return NAN;
  case 1: return INFINITY;
  case 2: return -INFINITY;
  case 3: return 0.0;
  case 4: return -1.0;
  case 5: return 1e308;
  case 6: return 5e-324;
  case 7: return -0.0;
  case 8: {
    uint64_t u = 0;
    double d;
    for (int i = 0; i < 8; i++) u |= (uint64_t) nev_fuzz_byte(in) << (8 * i);
    memcpy(&d, &u, sizeof d);
    return d;
  }
  default: {
    /* Moderate values: signed 16-bit over 1000, in [-32.768, 32.767]. */
    int16_t v = (int16_t) (nev_fuzz_byte(in) | (nev_fuzz_byte(in) << 8));
    return v / 1000.0;
  }
  }
}

/* A positive double (variances, SEs) most of the time, but not always. */
static inline double nev_fuzz_positive(nev_fuzz_in *in)
{
  double d = nev_fuzz_double(in);
  uint8_t keep = nev_fuzz_byte(in);
  return (keep % 8 == 0) ? d : fabs(d) + 1e-4;
}

#endif
