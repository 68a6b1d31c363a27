/* Effect sizes from 2x2 counts, group means, reported confidence intervals
 * and reported p-values. Core routines: C99 + GSL, no R headers. The caller
 * owns every buffer; each routine returns a status from nev_status.h.
 *
 * Missing values: a NaN in any input of a row marks the row missing; its
 * outputs are NaN and the row takes no part in any across-row decision
 * (to = "if0all"). Every other value is checked: a value outside its domain
 * returns NEV_ERR_DOMAIN and, when `bad` is not NULL, the 0-based index of
 * the first offending row in *bad. Outputs are then unspecified. An unknown
 * measure or `to` code, a NULL buffer (k > 0) or an invalid `add` returns
 * NEV_ERR_ARG. */
#ifndef NEV_EFFECT_H
#define NEV_EFFECT_H

#include <stddef.h>

/* Measures for 2x2 counts. */
enum { NEV_EFFECT_RR = 0, NEV_EFFECT_OR = 1, NEV_EFFECT_RD = 2 };
/* Where to add the continuity correction (metafor::escalc's `to`). */
enum {
  NEV_ADD_ONLY0 = 0,  /* rows with a zero cell                      */
  NEV_ADD_ALL = 1,    /* every row                                  */
  NEV_ADD_IF0ALL = 2, /* every row if any (kept) row has a zero cell */
  NEV_ADD_NONE = 3    /* never                                      */
};
/* Measures for group means. */
enum { NEV_EFFECT_MD = 0, NEV_EFFECT_SMD = 1, NEV_EFFECT_ROM = 2 };

/* 2x2 counts: ai events of n1i in group 1, ci events of n2i in group 2
 * (0 <= ai <= n1i, 0 < n1i, same for group 2; counts need not be whole).
 * The cells are ai, bi = n1i - ai, ci, di = n2i - ci. `add` (>= 0, finite)
 * is added to all four cells of the rows selected by `to`. With drop00 != 0
 * a row with no events in both groups (ai = ci = 0) or only events in both
 * groups (bi = di = 0) gives NaN. RR and OR on the log scale, RD on the
 * risk scale; RD variance is the large-sample p(1-p)/n sum. Rows whose
 * estimate or variance is not finite (a zero cell with to = NONE) give
 * NaN. yi, vi, sei have length k. */
int nev_effect_counts(const double *restrict ai, const double *restrict n1i,
                      const double *restrict ci, const double *restrict n2i,
                      size_t k, int measure, double add, int to, int drop00,
                      double *restrict yi, double *restrict vi,
                      double *restrict sei, size_t *bad);

/* Two groups' means, SDs and sizes (sd >= 0, n > 0). MD: m1 - m2 with
 * variance sd1^2/n1 + sd2^2/n2. SMD: Hedges' g = c(m) d, m = n1 + n2 - 2 > 1,
 * c(m) = exp(lgamma(m/2) - log(sqrt(m/2)) - lgamma((m-1)/2)), pooled SD > 0,
 * variance 1/n1 + 1/n2 + g^2/(2(n1+n2)); correct = 0 gives Cohen's d
 * (c = 1). ROM: log(m1/m2) with m1, m2 > 0 and variance
 * sd1^2/(n1 m1^2) + sd2^2/(n2 m2^2); correct != 0 adds Lajeunesse's (2015)
 * bias correction (sd1^2/(n1 m1^2) - sd2^2/(n2 m2^2)) / 2. MD ignores
 * correct. */
int nev_effect_means(const double *restrict m1i, const double *restrict sd1i,
                     const double *restrict n1i, const double *restrict m2i,
                     const double *restrict sd2i, const double *restrict n2i,
                     size_t k, int measure, int correct, double *restrict yi,
                     double *restrict vi, double *restrict sei, size_t *bad);

/* An estimate with its confidence interval at `level` (0 < level < 1, one
 * per row). With logscale != 0 all three must be positive and are logged.
 * Needs lower < upper and lower <= estimate <= upper. yi = estimate (on the
 * working scale), sei = (upper - lower) / (2 z), z = upper (1 - level)/2
 * normal quantile, vi = sei^2, asym = ((upper - yi) - (yi - lower)) /
 * ((upper - lower) / 2): 0 for a symmetric interval, in [-2, 2]. */
int nev_effect_ci(const double *restrict est, const double *restrict lower,
                  const double *restrict upper, const double *restrict level,
                  size_t k, int logscale, double *restrict yi,
                  double *restrict vi, double *restrict sei,
                  double *restrict asym, size_t *bad);

/* An estimate with its two-sided p-value (0 < p <= 1); positive estimates
 * when logscale != 0. sei = |yi| / z, z = upper p/2 normal quantile. A row
 * with p = 1 or yi = 0 carries no information on the SE: NaN. */
int nev_effect_p(const double *restrict est, const double *restrict p,
                 size_t k, int logscale, double *restrict yi,
                 double *restrict vi, double *restrict sei, size_t *bad);

#endif
