/* Claim checking core: interval arithmetic on reported (rounded) ratios,
 * confidence limits and p-values. C99 + GSL only; the caller owns every
 * buffer; every routine returns a status from nev_status.h. */
#ifndef NEV_CLAIM_H
#define NEV_CLAIM_H

#include <stddef.h>

/* Columns of the n x 9 input box (column-major): point value, low and high
 * end of the rounding interval of the estimate, the lower and the upper
 * confidence limit. */
enum {
  NEV_CLAIM_EST = 0, NEV_CLAIM_EST_LO, NEV_CLAIM_EST_HI,
  NEV_CLAIM_LOW, NEV_CLAIM_LOW_LO, NEV_CLAIM_LOW_HI,
  NEV_CLAIM_UPP, NEV_CLAIM_UPP_LO, NEV_CLAIM_UPP_HI,
  NEV_CLAIM_NBOX
};

/* Columns of the n x NEV_CLAIM_NOUT result (column-major). */
enum {
  NEV_CLAIM_SE = 0,      /* SE from the printed numbers, full CI width   */
  NEV_CLAIM_SE_LOW,      /* smallest SE over the rounding box            */
  NEV_CLAIM_SE_HIGH,     /* largest SE over the rounding box             */
  NEV_CLAIM_Z,           /* |g(est) - g(null)| / SE, printed numbers     */
  NEV_CLAIM_Z_LOW,
  NEV_CLAIM_Z_HIGH,
  NEV_CLAIM_P,           /* two-sided normal p from z                    */
  NEV_CLAIM_P_LOW,
  NEV_CLAIM_P_HIGH,
  NEV_CLAIM_PHALF_LOW,   /* range of p with the SE taken from either     */
  NEV_CLAIM_PHALF_HIGH,  /* half of the CI alone                         */
  NEV_CLAIM_SYM_A_LOW,   /* est^2 (log) or 2 est (linear): its range     */
  NEV_CLAIM_SYM_A_HIGH,
  NEV_CLAIM_SYM_B_LOW,   /* lower*upper (log) or lower+upper (linear)    */
  NEV_CLAIM_SYM_B_HIGH,
  NEV_CLAIM_SYMMETRIC,   /* 1 if the two ranges intersect, else 0        */
  NEV_CLAIM_INSIDE,      /* 1 if lower <= est <= upper is attainable     */
  NEV_CLAIM_NOUT
};

/* Rounding interval of a printed number: x printed with `decimals` decimal
 * places (negative: tens, hundreds, ...) lies in [x - h, x + h] with
 * h = 0.5 * 10^-decimals. The interval is closed and widened by a few units
 * in the last place so that a value exactly on a rounding boundary counts
 * as attainable. On the log scale (log_scale != 0) x must be positive and
 * the low end is clamped at 0. A NaN x gives NaN ends (a missing row).
 * Errors: NEV_ERR_ARG (decimals not a whole number in [-300, 300]),
 * NEV_ERR_DOMAIN (x infinite, or x <= 0 on the log scale). */
int nev_claim_round_box(size_t n, const double *restrict x,
                        const double *restrict decimals, int log_scale,
                        double *restrict lo, double *restrict hi);

/* Bounds on the SE, z and two-sided p implied by a rounded estimate and CI,
 * and the symmetry test, for n claims. `box` is n x NEV_CLAIM_NBOX,
 * `level` and `null` have length n, `out` is n x NEV_CLAIM_NOUT. With
 * g = log (log_scale != 0) or the identity and q = Phi^-1(1 - (1-level)/2):
 *   SE = (g(upper) - g(lower)) / (2 q),  z = |g(est) - g(null)| / SE.
 * The numerator depends on the estimate only and the SE on the limits only,
 * and each is monotone in its arguments, so the bounds over the box are
 * attained at its ends: they are exact, not approximations.
 * A row with a NaN in its box is a missing row: its outputs are NaN.
 * Errors: NEV_ERR_ARG (level not in (0, 1), null not finite, a box end on
 * the wrong side of its point value, lower limit not below upper limit),
 * NEV_ERR_DOMAIN (infinite values; on the log scale a non-positive point
 * value or null, or a negative box end). */
int nev_claim_bounds(size_t n, const double *restrict box,
                     const double *restrict level,
                     const double *restrict null, int log_scale,
                     double *restrict out);

/* Interval of a reported p-value: "p = x" printed with `decimals`
 * decimal places (op 0) is its rounding interval cut to [0, 1]; "p < x"
 * (op < 0) is [0, x]; "p > x" (op > 0) is [x, 1]. A NaN x gives NaN ends.
 * Errors as nev_claim_round_box(). */
int nev_claim_p_box(int op, double x, double decimals, double *lo,
                    double *hi);

/* Rounding interval of the ratio 1 + sign * x / 100 of a percent change x
 * printed with `decimals` decimal places (sign -1 for a reduction, +1 for
 * an increase), cut at 0. A NaN x gives NaN ends. Errors as
 * nev_claim_round_box(). */
int nev_claim_percent_box(double x, double decimals, double sign,
                          double *lo, double *hi);

/* The verdict rules 3-6 of claim_check() on one checked claim: `res` is
 * its row of nev_claim_bounds() output, columns `stride` apart; p_lo and
 * p_hi the interval of the reported p (NaN: none). *p_consistent is 1, 0
 * or -1 (no p). */
enum {
  NEV_CLAIM_V_CONSISTENT = 0, /* every check passes                      */
  NEV_CLAIM_V_OUTSIDE,        /* the estimate lies outside its CI        */
  NEV_CLAIM_V_ASYMMETRIC,     /* the CI is not symmetric about it        */
  NEV_CLAIM_V_P               /* the reported p disagrees with the CI    */
};
int nev_claim_verdict(const double *res, size_t stride, double p_lo,
                      double p_hi, int *p_consistent);

#endif
