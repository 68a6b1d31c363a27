/* Dose-response core (see dose.h). C99 + GSL only. */
#include "dose.h"
#include "nev_status.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

/* ---------------------------------------------------------------------
 * Small dense linear algebra on row-major n x n arrays (n is small: the
 * number of categories of one study or of spline coefficients).
 * ------------------------------------------------------------------- */

/* Lower Cholesky factor in place (upper triangle set to 0); -1 if the
 * matrix is not (numerically) positive definite. The other families use
 * GSL's gsl_linalg_cholesky_decomp1() (diag.c, dose_curve.c,
 * intake_usual.c); this one stays because it runs inside the optimiser's
 * objective on matrices of a few rows, thousands of times per fit, where
 * it needs no gsl_matrix views and gives the zeroed upper triangle and
 * the log-determinant (chol_logdet) that the likelihood uses directly. */
static int chol(double *a, size_t n)
{
  for (size_t j = 0; j < n; j++) {
    double d = a[j * n + j];
    for (size_t k = 0; k < j; k++)
      d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0.0) || !isfinite(d))
      return -1;
    d = sqrt(d);
    a[j * n + j] = d;
    for (size_t i = j + 1; i < n; i++) {
      double s = a[i * n + j];
      for (size_t k = 0; k < j; k++)
        s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / d;
    }
    for (size_t i = 0; i < j; i++)
      a[i * n + j] = 0.0;
  }
  return 0;
}

/* Solve L z = x in place (L lower triangular). */
static void fsolve(const double *L, size_t n, double *x)
{
  for (size_t i = 0; i < n; i++) {
    double s = x[i];
    for (size_t k = 0; k < i; k++)
      s -= L[i * n + k] * x[k];
    x[i] = s / L[i * n + i];
  }
}

/* Solve L' z = x in place. */
static void bsolve(const double *L, size_t n, double *x)
{
  for (size_t ii = n; ii-- > 0;) {
    double s = x[ii];
    for (size_t k = ii + 1; k < n; k++)
      s -= L[k * n + ii] * x[k];
    x[ii] = s / L[ii * n + ii];
  }
}

/* out = (L L')^-1; col is scratch of length n. */
static void chol_inverse(const double *L, size_t n, double *out, double *col)
{
  for (size_t j = 0; j < n; j++) {
    for (size_t i = 0; i < n; i++)
      col[i] = (i == j) ? 1.0 : 0.0;
    fsolve(L, n, col);
    bsolve(L, n, col);
    for (size_t i = 0; i < n; i++)
      out[i * n + j] = col[i];
  }
  for (size_t i = 0; i < n; i++) /* exact symmetry */
    for (size_t j = 0; j < i; j++) {
      double s = 0.5 * (out[i * n + j] + out[j * n + i]);
      out[i * n + j] = out[j * n + i] = s;
    }
}

static double chol_logdet(const double *L, size_t n)
{
  double s = 0.0;
  for (size_t i = 0; i < n; i++)
    s += log(L[i * n + i]);
  return 2.0 * s;
}

/* ---------------------------------------------------------------------
 * Pseudo-counts
 * ------------------------------------------------------------------- */

static int odds_scale(int type)
{
  return type == NEV_DOSE_CC || type == NEV_DOSE_CI_ODDS;
}

/* Greenland-Longnecker: find A_x (x != ref) with the observed margins
 * (total cases; category totals n_x) whose log RRs (odds scale for cc and
 * ci-odds, ratio scale otherwise) equal y. Newton's method; the Jacobian
 * is diag(c) + c0 11' and is solved by Sherman-Morrison. */
static int gl_fit(int type, size_t m, size_t ref, const double *y,
                  const double *cases, const double *n, double *A,
                  int *iter, double *work)
{
  const int odds = odds_scale(type);
  double *e = work, *step = work + m;
  double total = 0.0;
  for (size_t i = 0; i < m; i++) {
    total += cases[i];
    A[i] = cases[i];
  }
  double prev = HUGE_VAL;
  int it = 0, conv = 0;
  for (it = 0; it < 200; it++) {
    double A0 = total;
    for (size_t i = 0; i < m; i++)
      if (i != ref) A0 -= A[i];
    A[ref] = A0;
    double c0 = odds ? 1.0 / A0 + 1.0 / (n[ref] - A0) : 1.0 / A0;
    double emax = 0.0, s1 = 0.0, s2 = 0.0;
    for (size_t i = 0; i < m; i++) {
      if (i == ref) continue;
      if (odds)
        e[i] = y[i] + log(A0) + log(n[i] - A[i]) - log(A[i]) -
               log(n[ref] - A0);
      else
        e[i] = y[i] + log(A0) + log(n[i]) - log(A[i]) - log(n[ref]);
      double ci = odds ? 1.0 / A[i] + 1.0 / (n[i] - A[i]) : 1.0 / A[i];
      step[i] = e[i] / ci; /* D^-1 e */
      s1 += step[i];
      s2 += 1.0 / ci;
      if (fabs(e[i]) > emax) emax = fabs(e[i]);
    }
    if (!isfinite(emax))
      return NEV_ERR_DOMAIN;
    if (emax <= 1e-14 || (emax <= 1e-11 && emax > 0.5 * prev)) {
      conv = 1;
      break;
    }
    prev = emax;
    double corr = c0 * s1 / (1.0 + c0 * s2);
    for (size_t i = 0; i < m; i++) {
      if (i == ref) continue;
      double ci = odds ? 1.0 / A[i] + 1.0 / (n[i] - A[i]) : 1.0 / A[i];
      step[i] -= corr / ci;
    }
    /* Damped update keeping every pseudo-count inside its range. */
    double lam = 1.0;
    int ok = 0;
    for (int h = 0; h < 60 && !ok; h++, lam *= 0.5) {
      double a0 = total;
      ok = 1;
      for (size_t i = 0; i < m; i++) {
        if (i == ref) continue;
        double a = A[i] + lam * step[i];
        a0 -= a;
        if (!(a > 0.0) || (odds && !(n[i] - a > 0.0))) ok = 0;
      }
      if (!(a0 > 0.0) || (odds && !(n[ref] - a0 > 0.0))) ok = 0;
      if (ok)
        for (size_t i = 0; i < m; i++)
          if (i != ref) A[i] += lam * step[i];
    }
    if (!ok)
      return NEV_ERR_DOMAIN;
  }
  double A0 = total;
  for (size_t i = 0; i < m; i++)
    if (i != ref) A0 -= A[i];
  A[ref] = A0;
  *iter = it;
  return conv ? NEV_OK : NEV_WARN_NOCONV;
}

/* Hamling et al. (2008): given the referent pseudo-counts (A0, X0) with
 * X0 = N0 - A0 (cc, ci) or N0 (ir), the other categories follow in closed
 * form from their log RR and variance. Returns 0 if every count is valid. */
static int hamling_counts(int type, size_t m, size_t ref, const double *y,
                          const double *v, double A0, double X0, double *A,
                          double *N)
{
  double N0 = (type == NEV_DOSE_IR) ? X0 : A0 + X0;
  for (size_t i = 0; i < m; i++) {
    if (i == ref) {
      A[i] = A0;
      N[i] = N0;
      continue;
    }
    double r = exp(y[i]);
    if (type == NEV_DOSE_CC) {
      double odds = r * A0 / X0; /* A_x / B_x */
      A[i] = (1.0 + odds) / (v[i] - 1.0 / A0 - 1.0 / X0);
      N[i] = A[i] + A[i] / odds;
    } else if (type == NEV_DOSE_IR) {
      A[i] = 1.0 / (v[i] - 1.0 / A0);
      N[i] = A[i] * N0 / (A0 * r);
    } else {
      A[i] = (1.0 - r * A0 / N0) / (v[i] - 1.0 / A0 + 1.0 / N0);
      N[i] = A[i] * N0 / (A0 * r);
    }
    if (!(A[i] > 0.0) || !isfinite(A[i]) || !(N[i] > 0.0) ||
        !isfinite(N[i]) || (type != NEV_DOSE_IR && !(N[i] > A[i])))
      return -1;
  }
  return 0;
}

/* Residuals of the two Hamling conditions at u = (log A0, log X0). */
static int hamling_resid(int type, size_t m, size_t ref, const double *y,
                         const double *v, const double *u, double p0,
                         double z0, double *A, double *N, double *F)
{
  if (hamling_counts(type, m, ref, y, v, exp(u[0]), exp(u[1]), A, N))
    return -1;
  double sa = 0.0, sn = 0.0;
  for (size_t i = 0; i < m; i++) {
    sa += A[i];
    sn += (type == NEV_DOSE_CC) ? N[i] - A[i] : N[i];
  }
  double p1 = ((type == NEV_DOSE_CC) ? N[ref] - A[ref] : N[ref]) / sn;
  F[0] = (p1 - p0) / p0;
  F[1] = (sn / sa - z0) / z0;
  return isfinite(F[0]) && isfinite(F[1]) ? 0 : -1;
}

static int hamling_fit(int type, size_t m, size_t ref, const double *y,
                       const double *v, const double *cases, const double *n,
                       double *A, double *N, int *iter)
{
  double sa = 0.0, sn = 0.0;
  for (size_t i = 0; i < m; i++) {
    sa += cases[i];
    sn += (type == NEV_DOSE_CC) ? n[i] - cases[i] : n[i];
  }
  const double p0 = ((type == NEV_DOSE_CC) ? n[ref] - cases[ref] : n[ref]) / sn;
  const double z0 = sn / sa;
  double u[2] = {log(cases[ref]),
                 log(type == NEV_DOSE_IR ? n[ref] : n[ref] - cases[ref])};
  double F[2], Fp[2], Fm[2], up[2];
  if (hamling_resid(type, m, ref, y, v, u, p0, z0, A, N, F)) {
    /* The observed referent counts may be too small for the reported
     * variances: move the start up until the counts are valid. */
    int ok = 0;
    for (int h = 0; h < 60 && !ok; h++) {
      u[0] += 0.5;
      u[1] += 0.5;
      ok = !hamling_resid(type, m, ref, y, v, u, p0, z0, A, N, F);
    }
    if (!ok)
      return NEV_ERR_DOMAIN;
  }
  double fn = fmax(fabs(F[0]), fabs(F[1])), prev = HUGE_VAL;
  int it, conv = 0;
  for (it = 0; it < 200; it++) {
    if (fn <= 1e-14 || (fn <= 1e-11 && fn > 0.5 * prev)) {
      conv = 1;
      break;
    }
    prev = fn;
    /* Central-difference Jacobian. */
    double J[4];
    for (int j = 0; j < 2; j++) {
      double h = 1e-6;
      up[0] = u[0]; up[1] = u[1];
      up[j] = u[j] + h;
      if (hamling_resid(type, m, ref, y, v, up, p0, z0, A, N, Fp))
        return NEV_ERR_DOMAIN;
      up[j] = u[j] - h;
      if (hamling_resid(type, m, ref, y, v, up, p0, z0, A, N, Fm))
        return NEV_ERR_DOMAIN;
      J[0 * 2 + j] = (Fp[0] - Fm[0]) / (2 * h);
      J[1 * 2 + j] = (Fp[1] - Fm[1]) / (2 * h);
    }
    double det = J[0] * J[3] - J[1] * J[2];
    if (!(fabs(det) > 0.0) || !isfinite(det))
      return NEV_ERR_DOMAIN;
    double d0 = -(J[3] * F[0] - J[1] * F[1]) / det;
    double d1 = -(-J[2] * F[0] + J[0] * F[1]) / det;
    double lam = 1.0;
    int ok = 0;
    for (int h = 0; h < 60 && !ok; h++, lam *= 0.5) {
      up[0] = u[0] + lam * d0;
      up[1] = u[1] + lam * d1;
      if (!hamling_resid(type, m, ref, y, v, up, p0, z0, A, N, Fp) &&
          fmax(fabs(Fp[0]), fabs(Fp[1])) < fn * (1.0 - 1e-4 * lam)) {
        ok = 1;
        u[0] = up[0]; u[1] = up[1];
        F[0] = Fp[0]; F[1] = Fp[1];
        fn = fmax(fabs(F[0]), fabs(F[1]));
      }
    }
    if (!ok) {
      /* No descent possible: at the rounding floor or stuck. */
      if (fn <= 1e-10) { conv = 1; break; }
      break;
    }
  }
  if (hamling_resid(type, m, ref, y, v, u, p0, z0, A, N, F))
    return NEV_ERR_DOMAIN;
  *iter = it;
  return conv ? NEV_OK : NEV_WARN_NOCONV;
}

int nev_dose_pseudo(int type, int method, size_t m, size_t ref,
                    const double *restrict y, const double *restrict v,
                    const double *restrict cases, const double *restrict n,
                    double *restrict A, double *restrict N,
                    double *restrict S, int *iter, size_t *bad)
{
  *bad = m;
  *iter = 0;
  if (m < 2 || ref >= m || type < NEV_DOSE_CC || type > NEV_DOSE_IR ||
      method < NEV_DOSE_GL || method > NEV_DOSE_INDEP)
    return NEV_ERR_ARG;
  for (size_t i = 0; i < m; i++) {
    if (i == ref) continue;
    if (!isfinite(y[i]) || !isfinite(v[i]) || !(v[i] > 0.0)) {
      *bad = i;
      return NEV_ERR_DOMAIN;
    }
  }
  const size_t q = m - 1;
  if (method == NEV_DOSE_INDEP) {
    for (size_t i = 0; i < m; i++) {
      A[i] = cases ? cases[i] : NAN;
      N[i] = n ? n[i] : NAN;
    }
    memset(S, 0, q * q * sizeof(double));
    for (size_t i = 0, a = 0; i < m; i++)
      if (i != ref) { S[a * q + a] = v[i]; a++; }
    return NEV_OK;
  }
  for (size_t i = 0; i < m; i++) {
    if (!isfinite(cases[i]) || !isfinite(n[i]) || !(cases[i] > 0.0) ||
        !(n[i] > 0.0) || (type != NEV_DOSE_IR && !(n[i] > cases[i]))) {
      *bad = i;
      return NEV_ERR_DOMAIN;
    }
  }
  int st;
  if (method == NEV_DOSE_GL) {
    double *work = malloc(2 * m * sizeof(double));
    if (!work) return NEV_ERR_NOMEM;
    st = gl_fit(type, m, ref, y, cases, n, A, iter, work);
    free(work);
    for (size_t i = 0; i < m; i++) N[i] = n[i];
  } else {
    int t = (type == NEV_DOSE_CI_ODDS) ? NEV_DOSE_CI_RISK : type;
    st = hamling_fit(t, m, ref, y, v, cases, n, A, N, iter);
  }
  if (st != NEV_OK && st != NEV_WARN_NOCONV)
    return st;
  /* Correlations from the pseudo-counts, variances as reported. */
  double s0;
#define SVAR(a, nn) (type == NEV_DOSE_CC ? 1.0 / (a) + 1.0 / ((nn) - (a)) : \
                     type == NEV_DOSE_IR ? 1.0 / (a) : 1.0 / (a) - 1.0 / (nn))
  s0 = SVAR(A[ref], N[ref]);
  for (size_t i = 0, a = 0; i < m; i++) {
    if (i == ref) continue;
    double si = s0 + SVAR(A[i], N[i]);
    for (size_t j = 0, b = 0; j < m; j++) {
      if (j == ref) continue;
      double sj = s0 + SVAR(A[j], N[j]);
      S[a * q + b] = (a == b) ? v[i] : s0 * sqrt(v[i] * v[j]) / sqrt(si * sj);
      b++;
    }
    a++;
  }
#undef SVAR
  double *L = malloc(q * q * sizeof(double));
  if (!L) return NEV_ERR_NOMEM;
  memcpy(L, S, q * q * sizeof(double));
  int pd = chol(L, q);
  /* Numerically singular (a correlation that rounds to 1) counts as not
   * positive definite: a relative pivot below 1e-12. */
  for (size_t i = 0; !pd && i < q; i++)
    if (L[i * q + i] * L[i * q + i] <= 1e-12 * S[i * q + i]) pd = -1;
  free(L);
  if (pd)
    return NEV_ERR_SINGULAR;
  return st;
}

/* ---------------------------------------------------------------------
 * Per-study GLS
 * ------------------------------------------------------------------- */

int nev_dose_gls(size_t m, size_t p, const double *restrict X,
                 const double *restrict y, const double *restrict S,
                 double *restrict b, double *restrict V, double *chi2)
{
  if (m == 0 || p == 0)
    return NEV_ERR_ARG;
  if (m < p)
    return NEV_ERR_SINGULAR;
  size_t need = m * m + m * p + m + p * p + p;
  double *w = malloc(need * sizeof(double));
  if (!w) return NEV_ERR_NOMEM;
  double *L = w, *Xw = L + m * m, *yw = Xw + m * p, *XtX = yw + m,
         *col = XtX + p * p;
  int st = NEV_OK;
  memcpy(L, S, m * m * sizeof(double));
  if (chol(L, m)) { st = NEV_ERR_SINGULAR; goto done; }
  memcpy(yw, y, m * sizeof(double));
  fsolve(L, m, yw);
  for (size_t j = 0; j < p; j++) {
    for (size_t i = 0; i < m; i++) Xw[j * m + i] = X[i * p + j];
    fsolve(L, m, Xw + j * m); /* Xw column j stored contiguously */
  }
  for (size_t a = 0; a < p; a++) {
    double s = 0.0;
    for (size_t i = 0; i < m; i++) s += Xw[a * m + i] * yw[i];
    b[a] = s;
    for (size_t c = 0; c <= a; c++) {
      double t = 0.0;
      for (size_t i = 0; i < m; i++) t += Xw[a * m + i] * Xw[c * m + i];
      XtX[a * p + c] = XtX[c * p + a] = t;
    }
  }
  if (chol(XtX, p)) { st = NEV_ERR_SINGULAR; goto done; }
  fsolve(XtX, p, b);
  bsolve(XtX, p, b);
  chol_inverse(XtX, p, V, col);
  double r2 = 0.0;
  for (size_t i = 0; i < m; i++) {
    double r = yw[i];
    for (size_t a = 0; a < p; a++) r -= Xw[a * m + i] * b[a];
    r2 += r * r;
  }
  *chi2 = r2;
done:
  free(w);
  return st;
}

/* ---------------------------------------------------------------------
 * Multivariate random-effects pooling
 * ------------------------------------------------------------------- */

typedef struct {
  size_t k, p, q;
  int reml;
  const double *b; /* scaled, k x p */
  const double *V; /* scaled, k blocks p x p */
  double *W;       /* k blocks: (V_i + Psi)^-1 */
  double *L, *Psi, *Sig, *SW, *H, *SWb, *beta, *r, *Wr, *G, *col;
  int bad;
  /* One-stage model: study s has m[s] contrasts, rows off[s].. of X1
   * (transformed design, row-major N x p) and y1, covariance block at
   * S1 + offS[s]. Per-study P = X'W X, u = X'W y, ywy = y'W y. */
  int one;
  const size_t *m, *off, *offS;
  const double *X1, *y1, *S1;
  double *P, *u, *ywy, *big, *Z, *z;
  const nev_interrupt *intr; /* polled between iterations (may be NULL) */
} mv_work;

static void theta_to_L(const mv_work *w, const double *th, double *L)
{
  size_t p = w->p, t = 0;
  memset(L, 0, p * p * sizeof(double));
  for (size_t i = 0; i < p; i++)
    for (size_t j = 0; j <= i; j++, t++)
      L[i * p + j] = (i == j) ? exp(th[t]) : th[t];
}

static double two_core(mv_work *w, int want_grad);
static double one_core(mv_work *w, int want_grad);

/* Objective (half the negative (restricted) log-likelihood up to a
 * constant) and, if grad != NULL, its gradient in theta. Psi given in
 * w->Psi when th == NULL. */
static double mv_eval(mv_work *w, const double *th, double *grad)
{
  const size_t p = w->p;
  if (th) {
    theta_to_L(w, th, w->L);
    for (size_t i = 0; i < p; i++)
      for (size_t j = 0; j < p; j++) {
        double s = 0.0;
        for (size_t c = 0; c <= (i < j ? i : j); c++)
          s += w->L[i * p + c] * w->L[j * p + c];
        w->Psi[i * p + j] = s;
      }
  }
  double f = w->one ? one_core(w, grad != NULL) : two_core(w, grad != NULL);
  if (!isfinite(f)) return GSL_POSINF;
  if (grad) {
    /* dF/dL = 2 G L; chain rule to theta. */
    size_t t = 0;
    for (size_t i = 0; i < p; i++)
      for (size_t j = 0; j <= i; j++, t++) {
        double s = 0.0;
        for (size_t c = 0; c < p; c++) s += w->G[i * p + c] * w->L[c * p + j];
        s *= 2.0;
        grad[t] = (i == j) ? s * w->L[i * p + i] : s;
      }
  }
  return 0.5 * f;
}

/* The pooled fit from the information sum SW and the score SWb:
 * H = SW^-1, beta = SW^-1 SWb; adds log|SW| to *f for REML. Returns 1 (and
 * sets w->bad) if SW is not positive definite. */
static int mv_pool(mv_work *w, double *f)
{
  const size_t p = w->p;
  memcpy(w->Sig, w->SW, p * p * sizeof(double));
  if (chol(w->Sig, p)) { w->bad = 1; return 1; }
  if (w->reml) *f += chol_logdet(w->Sig, p);
  chol_inverse(w->Sig, p, w->H, w->col);
  memcpy(w->beta, w->SWb, p * sizeof(double));
  fsolve(w->Sig, p, w->beta);
  bsolve(w->Sig, p, w->beta);
  return 0;
}

/* One study's term of the gradient in Psi, given its information matrix M
 * (W for two-stage, X'W X for one-stage) and w->Wr = X'W r:
 * G += (M - Wr Wr' - [REML] M H M) / 2. */
static void add_grad(mv_work *w, const double *M)
{
  const size_t p = w->p;
  for (size_t a = 0; a < p; a++)
    for (size_t c = 0; c < p; c++) {
      double g = M[a * p + c] - w->Wr[a] * w->Wr[c];
      if (w->reml) {
        double t = 0.0; /* (M H M)[a,c] */
        for (size_t d = 0; d < p; d++)
          for (size_t e = 0; e < p; e++)
            t += M[a * p + d] * w->H[d * p + e] * M[e * p + c];
        g -= t;
      }
      w->G[a * p + c] += 0.5 * g;
    }
}

/* Two-stage objective (twice the objective of mv_eval) for w->Psi; fills
 * beta, H and, if want_grad, G = d(objective)/dPsi. */
static double two_core(mv_work *w, int want_grad)
{
  const size_t p = w->p, k = w->k, pp = p * p;
  double f = 0.0;
  memset(w->SW, 0, pp * sizeof(double));
  memset(w->SWb, 0, p * sizeof(double));
  for (size_t s = 0; s < k; s++) {
    for (size_t a = 0; a < pp; a++)
      w->Sig[a] = w->V[s * pp + a] + w->Psi[a];
    if (chol(w->Sig, p)) { w->bad = 1; return GSL_POSINF; }
    f += chol_logdet(w->Sig, p);
    double *Ws = w->W + s * pp;
    chol_inverse(w->Sig, p, Ws, w->col);
    for (size_t a = 0; a < pp; a++) w->SW[a] += Ws[a];
    for (size_t a = 0; a < p; a++)
      for (size_t c = 0; c < p; c++)
        w->SWb[a] += Ws[a * p + c] * w->b[s * p + c];
  }
  if (mv_pool(w, &f)) return GSL_POSINF;
  if (want_grad) memset(w->G, 0, pp * sizeof(double));
  for (size_t s = 0; s < k; s++) {
    const double *Ws = w->W + s * pp;
    for (size_t a = 0; a < p; a++) w->r[a] = w->b[s * p + a] - w->beta[a];
    for (size_t a = 0; a < p; a++) {
      double t = 0.0;
      for (size_t c = 0; c < p; c++) t += Ws[a * p + c] * w->r[c];
      w->Wr[a] = t;
      f += t * w->r[a];
    }
    if (want_grad) add_grad(w, Ws);
  }
  return f;
}

/* One-stage objective: Sigma_s = S_s + X_s Psi X_s'. */
static double one_core(mv_work *w, int want_grad)
{
  const size_t p = w->p, k = w->k, pp = p * p;
  double f = 0.0;
  memset(w->SW, 0, pp * sizeof(double));
  memset(w->SWb, 0, p * sizeof(double));
  for (size_t s = 0; s < k; s++) {
    const size_t m = w->m[s];
    const double *X = w->X1 + w->off[s] * p, *y = w->y1 + w->off[s],
                 *S = w->S1 + w->offS[s];
    double *Sg = w->big;
    for (size_t i = 0; i < m; i++) {
      for (size_t a = 0; a < p; a++) { /* (X Psi)[i, a] */
        double t = 0.0;
        for (size_t c = 0; c < p; c++) t += X[i * p + c] * w->Psi[c * p + a];
        w->Z[a] = t;
      }
      for (size_t j = 0; j <= i; j++) {
        double t = S[i * m + j];
        for (size_t a = 0; a < p; a++) t += w->Z[a] * X[j * p + a];
        Sg[i * m + j] = Sg[j * m + i] = t;
      }
    }
    if (chol(Sg, m)) { w->bad = 1; return GSL_POSINF; }
    f += chol_logdet(Sg, m);
    /* Z = L^-1 X (columns stored contiguously), z = L^-1 y */
    for (size_t a = 0; a < p; a++) {
      double *Za = w->Z + a * m;
      for (size_t i = 0; i < m; i++) Za[i] = X[i * p + a];
      fsolve(Sg, m, Za);
    }
    memcpy(w->z, y, m * sizeof(double));
    fsolve(Sg, m, w->z);
    double *P = w->P + s * pp, *u = w->u + s * p, yy = 0.0;
    for (size_t a = 0; a < p; a++) {
      double t = 0.0;
      for (size_t i = 0; i < m; i++) t += w->Z[a * m + i] * w->z[i];
      u[a] = t;
      w->SWb[a] += t;
      for (size_t c = 0; c <= a; c++) {
        double v = 0.0;
        for (size_t i = 0; i < m; i++) v += w->Z[a * m + i] * w->Z[c * m + i];
        P[a * p + c] = P[c * p + a] = v;
      }
    }
    for (size_t i = 0; i < m; i++) yy += w->z[i] * w->z[i];
    w->ywy[s] = yy;
    for (size_t a = 0; a < pp; a++) w->SW[a] += P[a];
  }
  if (mv_pool(w, &f)) return GSL_POSINF;
  if (want_grad) memset(w->G, 0, pp * sizeof(double));
  for (size_t s = 0; s < k; s++) {
    const double *P = w->P + s * pp, *u = w->u + s * p;
    /* r'W r = y'Wy - 2 beta'u + beta'P beta; q = X'W r = u - P beta */
    double rr = w->ywy[s];
    for (size_t a = 0; a < p; a++) {
      double t = 0.0;
      for (size_t c = 0; c < p; c++) t += P[a * p + c] * w->beta[c];
      w->Wr[a] = u[a] - t;
      rr += -2.0 * w->beta[a] * u[a] + w->beta[a] * t;
    }
    f += rr;
    if (want_grad) add_grad(w, P);
  }
  return f;
}

static double mm_f(const gsl_vector *x, void *params)
{
  mv_work *w = params;
  return mv_eval(w, x->data, NULL);
}

static void mm_df(const gsl_vector *x, void *params, gsl_vector *g)
{
  mv_work *w = params;
  double f = mv_eval(w, x->data, g->data);
  if (!isfinite(f))
    gsl_vector_set_all(g, 0.0);
}

static void mm_fdf(const gsl_vector *x, void *params, double *f, gsl_vector *g)
{
  mv_work *w = params;
  *f = mv_eval(w, x->data, g->data);
  if (!isfinite(*f))
    gsl_vector_set_all(g, 0.0);
}

/* Minimise the objective over the log-Cholesky parameters from th0:
 * BFGS (GSL) with the analytic gradient, then a Newton polish with a
 * finite-difference Hessian. Leaves w evaluated at the optimum. */
static int mv_optimise(mv_work *w, const double *th0, double tol, int maxit,
                       nev_dose_mv *res, double *th_out, double *f_out)
{
  const size_t q = w->q;
  int st = NEV_OK;
  gsl_vector *x = NULL;
  gsl_multimin_fdfminimizer *mz = NULL;
  x = gsl_vector_alloc(q);
  mz = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, q);
  if (!x || !mz) { st = NEV_ERR_NOMEM; goto out; }
  for (size_t a = 0; a < q; a++) gsl_vector_set(x, a, th0[a]);
  gsl_multimin_function_fdf fn = {mm_f, mm_df, mm_fdf, q, w};
  int gst = gsl_multimin_fdfminimizer_set(mz, &fn, x, 0.1, 0.1);
  if (gst) { st = NEV_ERR_GSL; goto out; }
  int it = 0, conv = 0;
  double gmax = HUGE_VAL;
  /* Phase 1: BFGS until the gradient is small or the line search
   * stalls. */
  double done = 0.0;
  const double work = (double) w->k * (double) (w->p * w->p * w->p + 1);
  while (it < maxit) {
    it++;
    if (nev_poll(w->intr, &done, work)) { st = NEV_ERR_INTERRUPT; goto out; }
    gst = gsl_multimin_fdfminimizer_iterate(mz);
    gmax = 0.0;
    for (size_t a = 0; a < q; a++)
      gmax = fmax(gmax, fabs(gsl_vector_get(mz->gradient, a)));
    if (gmax <= tol) { conv = 1; break; }
    if (gst) break; /* GSL_ENOPROG: no further progress */
  }
  /* Phase 2: Newton polish with a finite-difference Hessian of the
   * analytic gradient, Levenberg damping and a backtracking line search. */
  if (!conv) {
    double *nw = malloc((5 * q + 2 * q * q) * sizeof(double));
    if (!nw) { st = NEV_ERR_NOMEM; goto out; }
    double *th = nw, *g = th + q, *g2 = g + q, *tr = g2 + q, *d = tr + q,
           *H = d + q, *Lh = H + q * q;
    memcpy(th, mz->x->data, q * sizeof(double));
    double f = mv_eval(w, th, g);
    int flat = 0;
    for (; it < 2 * maxit; it++) {
      if (nev_poll(w->intr, &done, (double) (2 * q + 4) * work)) {
        free(nw);
        st = NEV_ERR_INTERRUPT;
        goto out;
      }
      gmax = 0.0;
      for (size_t a = 0; a < q; a++) gmax = fmax(gmax, fabs(g[a]));
      if (gmax <= tol) { conv = 1; break; }
      for (size_t a = 0; a < q; a++) {
        double h = 1e-5 * fmax(1.0, fabs(th[a]));
        memcpy(tr, th, q * sizeof(double));
        tr[a] = th[a] + h;
        mv_eval(w, tr, g2);
        for (size_t c = 0; c < q; c++) H[a * q + c] = g2[c];
        tr[a] = th[a] - h;
        mv_eval(w, tr, g2);
        for (size_t c = 0; c < q; c++)
          H[a * q + c] = (H[a * q + c] - g2[c]) / (2.0 * h);
      }
      for (size_t a = 0; a < q; a++)
        for (size_t c = 0; c < a; c++)
          H[a * q + c] = H[c * q + a] = 0.5 * (H[a * q + c] + H[c * q + a]);
      int moved = 0;
      for (double lm = 0.0; lm < 1e8 && !moved; lm = (lm == 0.0) ? 1e-8 : lm * 100.0) {
        memcpy(Lh, H, q * q * sizeof(double));
        for (size_t a = 0; a < q; a++) Lh[a * q + a] += lm * (1.0 + fabs(H[a * q + a]));
        if (chol(Lh, q)) continue;
        for (size_t a = 0; a < q; a++) d[a] = -g[a];
        fsolve(Lh, q, d);
        bsolve(Lh, q, d);
        for (double step = 1.0; step > 1e-6 && !moved; step *= 0.5) {
          for (size_t a = 0; a < q; a++) g2[a] = th[a] + step * d[a];
          double ft = mv_eval(w, g2, NULL);
          if (isfinite(ft) && ft <= f) {
            memcpy(th, g2, q * sizeof(double));
            moved = 1;
          }
        }
      }
      if (!moved) break;
      double fold = f;
      f = mv_eval(w, th, g);
      /* At the rounding floor of the objective (typically on the
       * boundary, a between-study correlation of +-1, where the
       * log-Cholesky diagonal runs off to -Inf): stop when two Newton
       * steps in a row leave the objective unchanged and the gradient is
       * small on the scale of the scaled problem. */
      if (fabs(fold - f) <= 1e-13 * (1.0 + fabs(f))) {
        if (++flat >= 2) {
          gmax = 0.0;
          for (size_t a = 0; a < q; a++) gmax = fmax(gmax, fabs(g[a]));
          if (gmax <= 1e-4) conv = 1;
          break;
        }
      } else {
        flat = 0;
      }
    }
    gmax = 0.0;
    mv_eval(w, th, g);
    for (size_t a = 0; a < q; a++) gmax = fmax(gmax, fabs(g[a]));
    if (gmax <= tol) conv = 1;
    memcpy(mz->x->data, th, q * sizeof(double));
    free(nw);
  }
  res->grad = gmax;
  res->iterations = it;
  res->converged = conv;
  w->bad = 0;
  *f_out = mv_eval(w, mz->x->data, NULL);
  memcpy(th_out, mz->x->data, q * sizeof(double));
  if (w->bad) { st = NEV_ERR_SINGULAR; goto out; }
  if (!conv) st = NEV_WARN_NOCONV;
out:
  if (mz) gsl_multimin_fdfminimizer_free(mz);
  if (x) gsl_vector_free(x);
  return st;
}

/* Psi~ near singular: a log-Cholesky diagonal far below the largest one
 * (a between-study correlation of about +-1, or a variance of about 0). */
#define MV_EDGE 6.0

static int mv_on_edge(const mv_work *w, const double *th, double *dmax)
{
  size_t t = 0;
  int edge = 0;
  *dmax = -HUGE_VAL;
  for (size_t i = 0; i < w->p; i++, t += i)
    if (th[t + i] > *dmax) *dmax = th[t + i];
  t = 0;
  for (size_t i = 0; i < w->p; i++, t += i)
    if (th[t + i] < *dmax - MV_EDGE) edge = 1;
  return edge;
}

/* mv_optimise() from th0, then, when the optimum is on the edge of the
 * parameter space, again from starts whose small log-diagonals are moved
 * back inside (MV_EDGE / 3 .. 4 MV_EDGE / 3 below the largest). On the
 * edge the gradient in a log-diagonal vanishes however the likelihood
 * behaves, so BFGS can stop at a correlation of exactly -1 below an interior
 * maximum: the restarts are compared by the likelihood itself, and the best
 * one is kept (w is left evaluated there). */
static int mv_optimise_multi(mv_work *w, double *th0, double tol, int maxit,
                             nev_dose_mv *res)
{
  const size_t q = w->q;
  double *th = th0 + q, *tr = th + q, f, fr, dmax;
  int st = mv_optimise(w, th0, tol, maxit, res, th, &f);
  if (st != NEV_OK && st != NEV_WARN_NOCONV) return st;
  if (!mv_on_edge(w, th, &dmax)) return st;
  for (int r = 1; r <= 4; r++) {
    nev_dose_mv rr = *res;
    size_t t = 0;
    memcpy(th0, th, q * sizeof(double));
    for (size_t i = 0; i < w->p; i++, t += i)
      if (th0[t + i] < dmax - MV_EDGE) th0[t + i] = dmax - r * MV_EDGE / 3.0;
    int sr = mv_optimise(w, th0, tol, maxit, &rr, tr, &fr);
    if (sr == NEV_ERR_INTERRUPT) return sr;
    if ((sr == NEV_OK || sr == NEV_WARN_NOCONV) &&
        fr < f - 1e-10 * (1.0 + fabs(f))) {
      f = fr;
      st = sr;
      rr.iterations += res->iterations;
      *res = rr;
      memcpy(th, tr, q * sizeof(double));
    } else {
      res->iterations += rr.iterations;
    }
  }
  w->bad = 0;
  mv_eval(w, th, NULL);
  return w->bad ? NEV_ERR_SINGULAR : st;
}

/* The fixed-effect fit (Psi~ = 0, maximum likelihood), converged. */
static void mv_fixed(mv_work *w, nev_dose_mv *res)
{
  res->converged = 1;
  w->reml = 0;
  memset(w->Psi, 0, w->p * w->p * sizeof(double));
  mv_eval(w, NULL, NULL);
}

/* Back to the original scale from the whitened fit in w, with T (Tm, lower
 * triangular, row-major p x p): beta = T beta~, vbeta = T H~ T',
 * Psi = T Psi~ T'. */
static void mv_unwhiten(const mv_work *w, const double *Tm, double *beta,
                        double *vbeta, double *Psi)
{
  const size_t p = w->p;
  for (size_t a = 0; a < p; a++) {
    double t = 0.0;
    for (size_t c = 0; c <= a; c++) t += Tm[a * p + c] * w->beta[c];
    beta[a] = t;
  }
  for (size_t a = 0; a < p; a++)
    for (size_t c = 0; c < p; c++) {
      double th = 0.0, tp = 0.0;
      for (size_t d = 0; d <= a; d++)
        for (size_t e = 0; e <= c; e++) {
          th += Tm[a * p + d] * w->H[d * p + e] * Tm[c * p + e];
          tp += Tm[a * p + d] * w->Psi[d * p + e] * Tm[c * p + e];
        }
      vbeta[a * p + c] = th;
      Psi[a * p + c] = tp;
    }
}

int nev_dose_mvmeta(size_t k, size_t p, const double *restrict b,
                    const double *restrict V, int method, double tol,
                    int maxit, double *restrict beta, double *restrict vbeta,
                    double *restrict Psi, nev_dose_mv *res,
                    const nev_interrupt *intr)
{
  res->loglik = res->Q = res->grad = NAN;
  res->iterations = 0;
  res->converged = 0;
  if (k == 0 || p == 0 || method < NEV_DOSE_FE || method > NEV_DOSE_REML ||
      !(tol > 0.0) || maxit < 1)
    return NEV_ERR_ARG;
  const size_t pp = p * p, q = p * (p + 1) / 2;
  for (size_t i = 0; i < k * p; i++)
    if (!isfinite(b[i])) return NEV_ERR_DOMAIN;
  for (size_t i = 0; i < k * pp; i++)
    if (!isfinite(V[i])) return NEV_ERR_DOMAIN;

  size_t need = k * p + k * pp + k * pp + 5 * pp + 5 * p + p + 3 * q;
  double *mem = malloc(need * sizeof(double));
  if (!mem) return NEV_ERR_NOMEM;
  double *bs = mem, *Vs = bs + k * p, *Wall = Vs + k * pp;
  double *rest = Wall + k * pp;
  mv_work w = {k, p, q, method == NEV_DOSE_REML, bs, Vs, Wall,
               rest, rest + pp, rest + 2 * pp, rest + 3 * pp, rest + 4 * pp,
               rest + 5 * pp, rest + 5 * pp + p, rest + 5 * pp + 2 * p,
               rest + 5 * pp + 3 * p, NULL, rest + 5 * pp + 4 * p, 0,
               0, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL};
  double *th0 = rest + 5 * pp + 5 * p + p;
  w.intr = intr;
  double *Tm = NULL;
  double *Gbuf = malloc(pp * sizeof(double));
  if (!Gbuf) { free(mem); return NEV_ERR_NOMEM; }
  w.G = Gbuf;
  int st = NEV_OK;

  /* Whiten the coefficients by the Cholesky factor T of the mean
   * within-study covariance: b~ = T^-1 b, V~ = T^-1 V T^-T. This scales
   * the design columns and also removes their correlation (fractional
   * polynomial and spline terms are often nearly collinear), so that the
   * log-Cholesky parameters of Psi~ = T^-1 Psi T^-T are well conditioned. */
  Tm = malloc(2 * pp * sizeof(double));
  if (!Tm) { st = NEV_ERR_NOMEM; goto done; }
  double *Mt = Tm + pp;
  memset(Tm, 0, pp * sizeof(double));
  for (size_t i = 0; i < k; i++)
    for (size_t a = 0; a < pp; a++) Tm[a] += V[i * pp + a] / (double) k;
  if (chol(Tm, p)) { st = NEV_ERR_DOMAIN; goto done; }
  for (size_t i = 0; i < k; i++) {
    double *bi = bs + i * p, *Vi = Vs + i * pp;
    memcpy(bi, b + i * p, p * sizeof(double));
    fsolve(Tm, p, bi);
    /* A = T^-1 V column by column (Mt holds A'), then V~ = T^-1 A'. */
    for (size_t c = 0; c < p; c++) {
      for (size_t a = 0; a < p; a++) w.col[a] = V[i * pp + a * p + c];
      fsolve(Tm, p, w.col);
      for (size_t a = 0; a < p; a++) Mt[c * p + a] = w.col[a]; /* Mt' */
    }
    for (size_t c = 0; c < p; c++) {
      for (size_t a = 0; a < p; a++) w.col[a] = Mt[a * p + c];
      fsolve(Tm, p, w.col);
      for (size_t a = 0; a < p; a++) Vi[a * p + c] = w.col[a];
    }
    for (size_t a = 0; a < p; a++) /* exact symmetry */
      for (size_t c = 0; c < a; c++)
        Vi[a * p + c] = Vi[c * p + a] = 0.5 * (Vi[a * p + c] + Vi[c * p + a]);
  }
  /* Fixed-effect fit: Q and the FE answer. */
  w.reml = 0;
  memset(w.Psi, 0, pp * sizeof(double));
  double fFE = mv_eval(&w, NULL, NULL);
  if (w.bad) { st = NEV_ERR_SINGULAR; goto done; }
  {
    double Q = 0.0;
    for (size_t i = 0; i < k; i++) {
      const double *Wi = Wall + i * pp;
      for (size_t a = 0; a < p; a++)
        for (size_t c = 0; c < p; c++)
          Q += (bs[i * p + a] - w.beta[a]) * Wi[a * p + c] *
               (bs[i * p + c] - w.beta[c]);
    }
    res->Q = Q;
  }
  (void) fFE;
  w.reml = (method == NEV_DOSE_REML);
  if (method != NEV_DOSE_FE && k > 1) {
    /* Method-of-moments start: univariate DerSimonian-Laird per column. */
    size_t t = 0;
    for (size_t i = 0; i < p; i++)
      for (size_t j = 0; j <= i; j++, t++) {
        if (i != j) { th0[t] = 0.0; continue; }
        double sw = 0.0, sw2 = 0.0, swy = 0.0;
        for (size_t s = 0; s < k; s++) {
          double wi = 1.0 / Vs[s * pp + i * p + i];
          sw += wi; sw2 += wi * wi; swy += wi * bs[s * p + i];
        }
        double mu = swy / sw, Qi = 0.0;
        for (size_t s = 0; s < k; s++) {
          double d = bs[s * p + i] - mu;
          Qi += d * d / Vs[s * pp + i * p + i];
        }
        double tau2 = (Qi - (double) (k - 1)) / (sw - sw2 / sw);
        if (!(tau2 > 0.01)) tau2 = 0.01;
        th0[t] = 0.5 * log(tau2);
      }
    st = mv_optimise_multi(&w, th0, tol, maxit, res);
    if (st != NEV_OK && st != NEV_WARN_NOCONV) goto done;
  } else {
    mv_fixed(&w, res);
  }
  {
    /* Log-likelihood on the original scale. */
    int reml = (method == NEV_DOSE_REML);
    double f2 = 2.0 * mv_eval(&w, NULL, NULL), lsc = 0.0;
    for (size_t a = 0; a < p; a++) lsc += 2.0 * log(Tm[a * p + a]);
    f2 += (double) k * lsc - (reml ? lsc : 0.0);
    double nobs = (double) (k * p) - (reml ? (double) p : 0.0);
    /* REML: the restricted likelihood includes +1/2 log|X'X| of the
     * intercept-only design (X'X = k I), as in mixmeta. */
    res->loglik = -0.5 * (nobs * log(2.0 * M_PI) + f2) +
                  (reml ? 0.5 * (double) p * log((double) k) : 0.0);
  }
  mv_unwhiten(&w, Tm, beta, vbeta, Psi);
done:
  free(Tm);
  free(Gbuf);
  free(mem);
  return st;
}

int nev_dose_onestage(size_t k, size_t p, const size_t *restrict m,
                      const double *restrict X, const double *restrict y,
                      const double *restrict S, int method, double tol,
                      int maxit, double *restrict beta,
                      double *restrict vbeta, double *restrict Psi,
                      nev_dose_mv *res, const nev_interrupt *intr)
{
  res->loglik = res->Q = res->grad = NAN;
  res->iterations = 0;
  res->converged = 0;
  if (k == 0 || p == 0 || method < NEV_DOSE_FE || method > NEV_DOSE_REML ||
      !(tol > 0.0) || maxit < 1)
    return NEV_ERR_ARG;
  const size_t pp = p * p, q = p * (p + 1) / 2;
  size_t N = 0, NS = 0, mmax = 0;
  for (size_t s = 0; s < k; s++) {
    if (m[s] == 0) return NEV_ERR_ARG;
    N += m[s];
    NS += m[s] * m[s];
    if (m[s] > mmax) mmax = m[s];
  }
  for (size_t i = 0; i < N; i++) {
    if (!isfinite(y[i])) return NEV_ERR_DOMAIN;
    for (size_t a = 0; a < p; a++)
      if (!isfinite(X[i * p + a])) return NEV_ERR_DOMAIN;
  }
  size_t need = 2 * k * sizeof(size_t);
  size_t *off = malloc(need);
  size_t dn = N * p + mmax * mmax + mmax * p + mmax + k * pp + k * p + k +
              12 * pp + 8 * p + 3 * q;
  double *mem = malloc(dn * sizeof(double));
  if (!off || !mem) { free(off); free(mem); return NEV_ERR_NOMEM; }
  size_t *offS = off + k;
  for (size_t s = 0, o = 0, oS = 0; s < k; s++) {
    off[s] = o; offS[s] = oS;
    o += m[s]; oS += m[s] * m[s];
  }
  double *Xt = mem, *big = Xt + N * p, *Z = big + mmax * mmax,
         *z = Z + mmax * p, *P = z + mmax, *u = P + k * pp, *ywy = u + k * p,
         *rest = ywy + k;
  double *Tm = rest + 5 * pp + 5 * p, *Info = Tm + pp, *tmp = Info + pp,
         *G = tmp + pp, *th0 = G + pp;
  /* rest: L, Psi, Sig, SW, H (5 pp), SWb, beta, r, Wr, col (5 p) */
  mv_work w = {k, p, q, 0, NULL, NULL, NULL,
               rest, rest + pp, rest + 2 * pp, rest + 3 * pp, rest + 4 * pp,
               rest + 5 * pp, rest + 5 * pp + p, rest + 5 * pp + 2 * p,
               rest + 5 * pp + 3 * p, G, rest + 5 * pp + 4 * p, 0,
               1, m, off, offS, NULL, y, S, P, u, ywy, big, Z, z, intr};
  int st = NEV_OK;
  /* Information sum X' S^-1 X; whitening T = chol((Info / k)^-1). */
  memset(Info, 0, pp * sizeof(double));
  for (size_t s = 0; s < k; s++) {
    size_t ms = m[s];
    memcpy(big, S + offS[s], ms * ms * sizeof(double));
    if (chol(big, ms)) { st = NEV_ERR_SINGULAR; goto done; }
    for (size_t a = 0; a < p; a++) {
      double *Za = Z + a * ms;
      for (size_t i = 0; i < ms; i++) Za[i] = X[(off[s] + i) * p + a];
      fsolve(big, ms, Za);
    }
    for (size_t a = 0; a < p; a++)
      for (size_t c = 0; c < p; c++) {
        double t = 0.0;
        for (size_t i = 0; i < ms; i++) t += Z[a * ms + i] * Z[c * ms + i];
        Info[a * p + c] += t / (double) k;
      }
  }
  memcpy(tmp, Info, pp * sizeof(double));
  if (chol(tmp, p)) { st = NEV_ERR_SINGULAR; goto done; }
  chol_inverse(tmp, p, Tm, w.col);
  if (chol(Tm, p)) { st = NEV_ERR_SINGULAR; goto done; }
  for (size_t i = 0; i < N; i++)
    for (size_t a = 0; a < p; a++) {
      double t = 0.0;
      for (size_t c = a; c < p; c++) t += X[i * p + c] * Tm[c * p + a];
      Xt[i * p + a] = t;
    }
  w.X1 = Xt;
  memset(w.Psi, 0, pp * sizeof(double));
  mv_eval(&w, NULL, NULL);
  if (w.bad) { st = NEV_ERR_SINGULAR; goto done; }
  w.reml = (method == NEV_DOSE_REML);
  if (method != NEV_DOSE_FE && k > 1) {
    size_t t = 0;
    for (size_t i = 0; i < p; i++)
      for (size_t j = 0; j <= i; j++, t++)
        th0[t] = (i == j) ? 0.5 * log(0.1) : 0.0;
    st = mv_optimise_multi(&w, th0, tol, maxit, res);
    if (st != NEV_OK && st != NEV_WARN_NOCONV) goto done;
  } else {
    mv_fixed(&w, res);
  }
  {
    int reml = (method == NEV_DOSE_REML);
    double f2 = 2.0 * mv_eval(&w, NULL, NULL), lt = 0.0;
    for (size_t a = 0; a < p; a++) lt += 2.0 * log(Tm[a * p + a]);
    if (reml) f2 -= lt;
    double nobs = (double) N - (reml ? (double) p : 0.0);
    res->loglik = -0.5 * (nobs * log(2.0 * M_PI) + f2);
  }
  mv_unwhiten(&w, Tm, beta, vbeta, Psi);
done:
  free(off);
  free(mem);
  return st;
}
