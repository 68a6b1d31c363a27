/* Effect sizes: see effect.h for the contract of each routine. The
 * arithmetic follows metafor::escalc() operation by operation so that the
 * results agree to rounding. */
#include "effect.h"
#include "nev_status.h"

#include <math.h>
#include <gsl/gsl_cdf.h>

static int fail_at(size_t i, size_t *bad)
{
  if (bad)
    *bad = i;
  return NEV_ERR_DOMAIN;
}

static int any_nan4(double a, double b, double c, double d)
{
  return isnan(a) || isnan(b) || isnan(c) || isnan(d);
}

/* ---- 2x2 counts ------------------------------------------------------- */

static int counts_row_ok(double a, double n1, double c, double n2)
{
  return isfinite(a) && isfinite(n1) && isfinite(c) && isfinite(n2) &&
         a >= 0 && c >= 0 && n1 > 0 && n2 > 0 && a <= n1 && c <= n2;
}

static int is_double_zero(double a, double b, double c, double d)
{
  return (a == 0 && c == 0) || (b == 0 && d == 0);
}

int nev_effect_counts(const double *restrict ai, const double *restrict n1i,
                      const double *restrict ci, const double *restrict n2i,
                      size_t k, int measure, double add, int to, int drop00,
                      double *restrict yi, double *restrict vi,
                      double *restrict sei, size_t *bad)
{
  size_t i;
  int anyzero = 0;

  if (k > 0 && (!ai || !n1i || !ci || !n2i || !yi || !vi || !sei))
    return NEV_ERR_ARG;
  if (measure < NEV_EFFECT_RR || measure > NEV_EFFECT_RD ||
      to < NEV_ADD_ONLY0 || to > NEV_ADD_NONE)
    return NEV_ERR_ARG;
  if (!isfinite(add) || add < 0)
    return NEV_ERR_ARG;

  /* Pass 1: check every row; find out whether any kept row has a zero. */
  for (i = 0; i < k; i++) {
    double a = ai[i], n1 = n1i[i], c = ci[i], n2 = n2i[i], b, d;
    if (any_nan4(a, n1, c, n2))
      continue;
    if (!counts_row_ok(a, n1, c, n2))
      return fail_at(i, bad);
    b = n1 - a;
    d = n2 - c;
    if (drop00 && is_double_zero(a, b, c, d))
      continue;
    if (a == 0 || b == 0 || c == 0 || d == 0)
      anyzero = 1;
  }

  /* Pass 2: the effect sizes. */
  for (i = 0; i < k; i++) {
    double a = ai[i], n1 = n1i[i], c = ci[i], n2 = n2i[i], b, d;
    double m1, m2, p1, p2, y, v;
    int doadd;
    if (any_nan4(a, n1, c, n2)) {
      yi[i] = vi[i] = sei[i] = NAN;
      continue;
    }
    b = n1 - a;
    d = n2 - c;
    if (drop00 && is_double_zero(a, b, c, d)) {
      yi[i] = vi[i] = sei[i] = NAN;
      continue;
    }
    doadd = to == NEV_ADD_ALL ||
            (to == NEV_ADD_ONLY0 && (a == 0 || b == 0 || c == 0 || d == 0)) ||
            (to == NEV_ADD_IF0ALL && anyzero);
    if (doadd) {
      a += add;
      b += add;
      c += add;
      d += add;
    }
    m1 = a + b;
    m2 = c + d;
    p1 = a / m1;
    p2 = c / m2;
    switch (measure) {
    case NEV_EFFECT_RR:
      y = log(p1) - log(p2);
      v = 1 / a - 1 / m1 + 1 / c - 1 / m2;
      break;
    case NEV_EFFECT_OR:
      y = log(p1 / (1 - p1)) - log(p2 / (1 - p2));
      v = 1 / a + 1 / b + 1 / c + 1 / d;
      break;
    default: /* NEV_EFFECT_RD */
      y = p1 - p2;
      v = p1 * (1 - p1) / m1 + p2 * (1 - p2) / m2;
      break;
    }
    if (!isfinite(y) || !isfinite(v) || v < 0) {
      y = NAN;
      v = NAN;
    }
    yi[i] = y;
    vi[i] = v;
    sei[i] = sqrt(v);
  }
  return NEV_OK;
}

/* ---- means ------------------------------------------------------------ */

/* Exact small-sample correction of Hedges' g for m degrees of freedom. */
static double hedges_c(double m)
{
  return exp(lgamma(m / 2) - log(sqrt(m / 2)) - lgamma((m - 1) / 2));
}

int nev_effect_means(const double *restrict m1i, const double *restrict sd1i,
                     const double *restrict n1i, const double *restrict m2i,
                     const double *restrict sd2i, const double *restrict n2i,
                     size_t k, int measure, int correct, double *restrict yi,
                     double *restrict vi, double *restrict sei, size_t *bad)
{
  size_t i;

  if (k > 0 && (!m1i || !sd1i || !n1i || !m2i || !sd2i || !n2i || !yi ||
                !vi || !sei))
    return NEV_ERR_ARG;
  if (measure < NEV_EFFECT_MD || measure > NEV_EFFECT_ROM)
    return NEV_ERR_ARG;

  for (i = 0; i < k; i++) {
    double m1 = m1i[i], s1 = sd1i[i], n1 = n1i[i];
    double m2 = m2i[i], s2 = sd2i[i], n2 = n2i[i];
    double y, v;
    if (any_nan4(m1, s1, n1, m2) || isnan(s2) || isnan(n2)) {
      yi[i] = vi[i] = sei[i] = NAN;
      continue;
    }
    if (!isfinite(m1) || !isfinite(s1) || !isfinite(n1) || !isfinite(m2) ||
        !isfinite(s2) || !isfinite(n2) || s1 < 0 || s2 < 0 || n1 <= 0 ||
        n2 <= 0)
      return fail_at(i, bad);
    if (measure == NEV_EFFECT_MD) {
      y = m1 - m2;
      v = s1 * s1 / n1 + s2 * s2 / n2;
    } else if (measure == NEV_EFFECT_SMD) {
      double ni = n1 + n2, mi = ni - 2, sdp, cm;
      if (!(mi > 1))
        return fail_at(i, bad);
      sdp = sqrt(((n1 - 1) * (s1 * s1) + (n2 - 1) * (s2 * s2)) / mi);
      if (!(sdp > 0))
        return fail_at(i, bad);
      cm = correct ? hedges_c(mi) : 1;
      y = cm * ((m1 - m2) / sdp);
      v = 1 / n1 + 1 / n2 + y * y / (2 * ni);
    } else {
      if (!(m1 > 0) || !(m2 > 0))
        return fail_at(i, bad);
      double c1 = s1 * s1 / (n1 * (m1 * m1)), c2 = s2 * s2 / (n2 * (m2 * m2));
      y = log(m1 / m2);
      /* Lajeunesse (2015, eq. 8): the second-order Taylor term of E[log m] */
      if (correct)
        y += (c1 - c2) / 2;
      v = c1 + c2;
    }
    if (!isfinite(y) || !isfinite(v))
      return fail_at(i, bad);
    yi[i] = y;
    vi[i] = v;
    sei[i] = sqrt(v);
  }
  return NEV_OK;
}

/* ---- reported interval ------------------------------------------------ */

int nev_effect_ci(const double *restrict est, const double *restrict lower,
                  const double *restrict upper, const double *restrict level,
                  size_t k, int logscale, double *restrict yi,
                  double *restrict vi, double *restrict sei,
                  double *restrict asym, size_t *bad)
{
  size_t i;

  if (k > 0 && (!est || !lower || !upper || !level || !yi || !vi || !sei ||
                !asym))
    return NEV_ERR_ARG;

  for (i = 0; i < k; i++) {
    double e = est[i], lo = lower[i], up = upper[i], lev = level[i];
    double y, l, u, z, s, half;
    if (any_nan4(e, lo, up, lev)) {
      yi[i] = vi[i] = sei[i] = asym[i] = NAN;
      continue;
    }
    if (!isfinite(e) || !isfinite(lo) || !isfinite(up) || !(lev > 0) ||
        !(lev < 1) || !(lo < up) || e < lo || e > up)
      return fail_at(i, bad);
    if (logscale) {
      if (!(lo > 0))
        return fail_at(i, bad);
      y = log(e);
      l = log(lo);
      u = log(up);
    } else {
      y = e;
      l = lo;
      u = up;
    }
    z = gsl_cdf_ugaussian_Qinv((1 - lev) / 2);
    if (!isfinite(z) || !(z > 0))
      return fail_at(i, bad);
    half = (u - l) / 2;
    s = (u - l) / (2 * z);
    yi[i] = y;
    sei[i] = s;
    vi[i] = s * s;
    asym[i] = ((u - y) - (y - l)) / half;
  }
  return NEV_OK;
}

/* ---- reported p-value ------------------------------------------------- */

int nev_effect_p(const double *restrict est, const double *restrict p,
                 size_t k, int logscale, double *restrict yi,
                 double *restrict vi, double *restrict sei, size_t *bad)
{
  size_t i;

  if (k > 0 && (!est || !p || !yi || !vi || !sei))
    return NEV_ERR_ARG;

  for (i = 0; i < k; i++) {
    double e = est[i], pv = p[i], y, z, s;
    if (isnan(e) || isnan(pv)) {
      yi[i] = vi[i] = sei[i] = NAN;
      continue;
    }
    if (!isfinite(e) || !(pv > 0) || !(pv <= 1) || (logscale && !(e > 0)))
      return fail_at(i, bad);
    y = logscale ? log(e) : e;
    yi[i] = y;
    if (pv == 1 || y == 0) {
      vi[i] = sei[i] = NAN;
      continue;
    }
    z = gsl_cdf_ugaussian_Qinv(pv / 2);
    if (!isfinite(z) || !(z > 0))
      return fail_at(i, bad);
    s = fabs(y) / z;
    sei[i] = s;
    vi[i] = s * s;
  }
  return NEV_OK;
}
