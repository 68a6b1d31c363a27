/* Claim checking core: rounding intervals, bounds on the SE, z and p
 * implied by a rounded estimate and CI, and the symmetry test. */
#include "claim.h"
#include "nev_status.h"

#include <float.h>
#include <math.h>
#include <gsl/gsl_cdf.h>

/* Relative slack (in units of the magnitude involved) added to closed
 * intervals so that exact decimal boundaries, which doubles cannot hold,
 * are never lost to the last bit. */
#define CLAIM_SLACK (8.0 * DBL_EPSILON)

int nev_claim_round_box(size_t n, const double *restrict x,
                        const double *restrict decimals, int log_scale,
                        double *restrict lo, double *restrict hi)
{
  for (size_t i = 0; i < n; i++) {
    double xi = x[i], d = decimals[i], h, w;
    if (isnan(xi)) {
      lo[i] = hi[i] = NAN;
      continue;
    }
    if (!isfinite(d) || d != floor(d) || d < -300.0 || d > 300.0)
      return NEV_ERR_ARG;
    if (!isfinite(xi) || (log_scale && xi <= 0.0))
      return NEV_ERR_DOMAIN;
    h = 0.5 * pow(10.0, -d);
    w = CLAIM_SLACK * (fabs(xi) + h);
    lo[i] = xi - h - w;
    hi[i] = xi + h + w;
    if (log_scale && lo[i] < 0.0)
      lo[i] = 0.0;
  }
  return NEV_OK;
}

/* g(x): log (with log 0 = -Inf) or the identity. */
static double claim_g(double x, int log_scale)
{
  if (!log_scale)
    return x;
  return x > 0.0 ? log(x) : -INFINITY;
}

/* Two-sided normal p-value for z >= 0 (Inf -> 0). */
static double claim_p2(double z)
{
  if (isinf(z))
    return 0.0;
  return 2.0 * gsl_cdf_ugaussian_Q(z);
}

/* |a - c| / den with 0 / 0 -> 0 and x / 0 -> Inf (den >= 0). */
static double claim_ratio(double num, double den)
{
  if (num == 0.0)
    return 0.0;
  if (den <= 0.0)
    return INFINITY;
  return num / den;
}

static int claim_check_row(const double *b, double level, double null,
                           int log_scale)
{
  for (int j = 0; j < NEV_CLAIM_NBOX; j++) {
    if (!isfinite(b[j]))
      return NEV_ERR_DOMAIN;
    if (log_scale && b[j] < 0.0)
      return NEV_ERR_DOMAIN;
  }
  if (!isfinite(level) || level <= 0.0 || level >= 1.0 || !isfinite(null))
    return NEV_ERR_ARG;
  for (int j = 0; j < NEV_CLAIM_NBOX; j += 3) {
    if (b[j + 1] > b[j] || b[j] > b[j + 2])
      return NEV_ERR_ARG;
    if (log_scale && b[j] <= 0.0)
      return NEV_ERR_DOMAIN;
  }
  if (!(b[NEV_CLAIM_LOW] < b[NEV_CLAIM_UPP]))
    return NEV_ERR_ARG;
  if (log_scale && null <= 0.0)
    return NEV_ERR_DOMAIN;
  return NEV_OK;
}

int nev_claim_bounds(size_t n, const double *restrict box,
                     const double *restrict level,
                     const double *restrict null, int log_scale,
                     double *restrict out)
{
  for (size_t i = 0; i < n; i++) {
    double b[NEV_CLAIM_NBOX], r[NEV_CLAIM_NOUT];
    int missing = 0, status;
    for (int j = 0; j < NEV_CLAIM_NBOX; j++) {
      b[j] = box[i + n * (size_t) j];
      if (isnan(b[j]))
        missing = 1;
    }
    if (missing) {
      for (int j = 0; j < NEV_CLAIM_NOUT; j++)
        out[i + n * (size_t) j] = NAN;
      continue;
    }
    status = claim_check_row(b, level[i], null[i], log_scale);
    if (status != NEV_OK)
      return status;

    /* level lies in (0, 1) (checked above), so q is finite and > 0. */
    double q = gsl_cdf_ugaussian_Qinv((1.0 - level[i]) / 2.0);
    double c = claim_g(null[i], log_scale);
    double ge = claim_g(b[NEV_CLAIM_EST], log_scale);
    double ge_lo = claim_g(b[NEV_CLAIM_EST_LO], log_scale);
    double ge_hi = claim_g(b[NEV_CLAIM_EST_HI], log_scale);
    double gl = claim_g(b[NEV_CLAIM_LOW], log_scale);
    double gl_lo = claim_g(b[NEV_CLAIM_LOW_LO], log_scale);
    double gl_hi = claim_g(b[NEV_CLAIM_LOW_HI], log_scale);
    double gu = claim_g(b[NEV_CLAIM_UPP], log_scale);
    double gu_lo = claim_g(b[NEV_CLAIM_UPP_LO], log_scale);
    double gu_hi = claim_g(b[NEV_CLAIM_UPP_HI], log_scale);

    /* Full-width SE: depends on the limits only, increasing in upper and
     * decreasing in lower, so its range is attained at opposite corners. */
    double se = (gu - gl) / (2.0 * q);
    double se_low = (gu_lo - gl_hi) / (2.0 * q);
    double se_high = (gu_hi - gl_lo) / (2.0 * q);
    if (se_low < 0.0)
      se_low = 0.0;

    /* Distance of the estimate from the null: depends on the estimate
     * only; |a - c| on [ge_lo, ge_hi] is smallest at c (if inside) or at
     * the nearer end, largest at the farther end. */
    double d = fabs(ge - c);
    double d_a = fabs(ge_lo - c), d_b = fabs(ge_hi - c);
    double d_min = (c >= ge_lo && c <= ge_hi) ? 0.0 : fmin(d_a, d_b);
    double d_max = fmax(d_a, d_b);

    double z = claim_ratio(d, se);
    double z_low = claim_ratio(d_min, se_high);
    double z_high = claim_ratio(d_max, se_low);

    /* SE from one half of the CI: z_L(a, b) = |a - c| / (a - b) q. For a
     * fixed a it increases with b; for a fixed b it is monotone on each side
     * of a = c and 0 at c. So its minimum over the box is at b = b_lo and an
     * end of a (or 0 when c lies in [a_lo, a_hi]); its maximum at b = b_hi
     * and an end of a, or infinite when a <= b is attainable. The upper
     * half, z_U(a, u) = |a - c| / (u - a) q, is the mirror image. */
    double zl_min, zl_max, zu_min, zu_max;
    int c_inside = (c >= ge_lo && c <= ge_hi);
    if (c_inside || ge_lo <= gl_lo)
      zl_min = 0.0;
    else
      zl_min = fmin(claim_ratio(d_a, (ge_lo - gl_lo) / q),
                    claim_ratio(d_b, (ge_hi - gl_lo) / q));
    if (ge_lo <= gl_hi)
      zl_max = INFINITY;
    else
      zl_max = fmax(claim_ratio(d_a, (ge_lo - gl_hi) / q),
                    claim_ratio(d_b, (ge_hi - gl_hi) / q));
    if (c_inside || gu_hi <= ge_hi)
      zu_min = 0.0;
    else
      zu_min = fmin(claim_ratio(d_a, (gu_hi - ge_lo) / q),
                    claim_ratio(d_b, (gu_hi - ge_hi) / q));
    if (gu_lo <= ge_hi)
      zu_max = INFINITY;
    else
      zu_max = fmax(claim_ratio(d_a, (gu_lo - ge_lo) / q),
                    claim_ratio(d_b, (gu_lo - ge_hi) / q));

    /* Symmetry: log scale est^2 = lower * upper, linear 2 est = lower +
     * upper; both sides are monotone in every argument (all positive on
     * the log scale), so their ranges over the box are attained at the
     * ends, and some point of the box is symmetric iff they intersect. */
    double a_lo, a_hi, s_lo, s_hi;
    if (log_scale) {
      a_lo = b[NEV_CLAIM_EST_LO] * b[NEV_CLAIM_EST_LO];
      a_hi = b[NEV_CLAIM_EST_HI] * b[NEV_CLAIM_EST_HI];
      s_lo = b[NEV_CLAIM_LOW_LO] * b[NEV_CLAIM_UPP_LO];
      s_hi = b[NEV_CLAIM_LOW_HI] * b[NEV_CLAIM_UPP_HI];
    } else {
      a_lo = 2.0 * b[NEV_CLAIM_EST_LO];
      a_hi = 2.0 * b[NEV_CLAIM_EST_HI];
      s_lo = b[NEV_CLAIM_LOW_LO] + b[NEV_CLAIM_UPP_LO];
      s_hi = b[NEV_CLAIM_LOW_HI] + b[NEV_CLAIM_UPP_HI];
    }
    double slack = CLAIM_SLACK * fmax(fmax(fabs(a_lo), fabs(a_hi)),
                                      fmax(fabs(s_lo), fabs(s_hi)));
    int symmetric = (a_lo <= s_hi + slack) && (s_lo <= a_hi + slack);
    int inside = (b[NEV_CLAIM_EST_HI] >= b[NEV_CLAIM_LOW_LO]) &&
                 (b[NEV_CLAIM_EST_LO] <= b[NEV_CLAIM_UPP_HI]);

    r[NEV_CLAIM_SE] = se;
    r[NEV_CLAIM_SE_LOW] = se_low;
    r[NEV_CLAIM_SE_HIGH] = se_high;
    r[NEV_CLAIM_Z] = z;
    r[NEV_CLAIM_Z_LOW] = z_low;
    r[NEV_CLAIM_Z_HIGH] = z_high;
    r[NEV_CLAIM_P] = claim_p2(z);
    r[NEV_CLAIM_P_LOW] = claim_p2(z_high);
    r[NEV_CLAIM_P_HIGH] = claim_p2(z_low);
    r[NEV_CLAIM_PHALF_LOW] = claim_p2(fmax(zl_max, zu_max));
    r[NEV_CLAIM_PHALF_HIGH] = claim_p2(fmin(zl_min, zu_min));
    r[NEV_CLAIM_SYM_A_LOW] = a_lo;
    r[NEV_CLAIM_SYM_A_HIGH] = a_hi;
    r[NEV_CLAIM_SYM_B_LOW] = s_lo;
    r[NEV_CLAIM_SYM_B_HIGH] = s_hi;
    r[NEV_CLAIM_SYMMETRIC] = symmetric ? 1.0 : 0.0;
    r[NEV_CLAIM_INSIDE] = inside ? 1.0 : 0.0;
    for (int j = 0; j < NEV_CLAIM_NOUT; j++)
      out[i + n * (size_t) j] = r[j];
  }
  return NEV_OK;
}

int nev_claim_p_box(int op, double x, double decimals, double *lo,
                    double *hi)
{
  if (isnan(x)) {
    *lo = *hi = NAN;
    return NEV_OK;
  }
  if (op < 0) {
    *lo = 0.0;
    *hi = x;
    return NEV_OK;
  }
  if (op > 0) {
    *lo = x;
    *hi = 1.0;
    return NEV_OK;
  }
  int status = nev_claim_round_box(1, &x, &decimals, 0, lo, hi);
  if (status != NEV_OK)
    return status;
  *lo = fmax(*lo, 0.0);
  *hi = fmin(*hi, 1.0);
  return NEV_OK;
}

int nev_claim_percent_box(double x, double decimals, double sign,
                          double *lo, double *hi)
{
  double b_lo, b_hi;
  int status = nev_claim_round_box(1, &x, &decimals, 0, &b_lo, &b_hi);
  if (status != NEV_OK)
    return status;
  if (isnan(x)) {
    *lo = *hi = NAN;
    return NEV_OK;
  }
  /* a reduction turns the ends round: the ratio of the high end is low */
  double r_lo = 1 + sign * b_lo / 100, r_hi = 1 + sign * b_hi / 100;
  *lo = fmax(fmin(r_lo, r_hi), 0.0);
  *hi = fmax(r_lo, r_hi);
  return NEV_OK;
}

int nev_claim_verdict(const double *res, size_t stride, double p_lo,
                      double p_hi, int *p_consistent)
{
  *p_consistent = -1;
  if (!isnan(p_lo))
    *p_consistent = p_lo <= res[NEV_CLAIM_P_HIGH * stride] &&
      res[NEV_CLAIM_P_LOW * stride] <= p_hi;
  if (res[NEV_CLAIM_INSIDE * stride] != 1.0)
    return NEV_CLAIM_V_OUTSIDE;
  if (res[NEV_CLAIM_SYMMETRIC * stride] != 1.0)
    return NEV_CLAIM_V_ASYMMETRIC;
  if (*p_consistent == 0)
    return NEV_CLAIM_V_P;
  return NEV_CLAIM_V_CONSISTENT;
}
