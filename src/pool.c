/* Meta-analysis core: tau^2 estimators and the (mixed-effects) model fit.
 * See pool.h for the contract. C99 + GSL only. */
#include "pool.h"
#include "nev_status.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_cdf.h>

/* ------------------------------------------------------------------ */
/* Workspace: everything evaluated at one weight vector w.              */

typedef struct {
  size_t k, p;
  const double *y, *v, *X;
  double *w;   /* k weights                                  */
  double *e;   /* k residuals y - X b (weighted LS)          */
  double *u;   /* k P y = W e                                */
  double *t1;  /* k scratch                                  */
  double *h;   /* k leverages x_i' M x_i                     */
  double *d;   /* k scratch (diagonal matrices)              */
  double *L;   /* p x p Cholesky factor of X'WX (lower)      */
  double *M;   /* p x p (X'WX)^-1                             */
  double *A1;  /* p x p scratch                               */
  double *A2;  /* p x p scratch                               */
  double *c;   /* p coefficients                              */
  double *g;   /* p scratch                                   */
  double logdet; /* log |X'WX|                                */
  double vscale; /* harmonic mean of v: the scale of tau2's tolerances */
} ws_t;

static size_t ws_size(size_t k, size_t p)
{
  return 6 * k + 4 * p * p + 2 * p + 8;
}

/* The workspace, then 2k doubles for rescaled copies of yi and vi. */
size_t nev_pool_work_size(size_t k, size_t p)
{
  return ws_size(k, p) + 2 * k;
}

static void ws_init(ws_t *ws, const double *y, const double *v, size_t k,
                    const double *X, size_t p, double *work)
{
  ws->k = k; ws->p = p; ws->y = y; ws->v = v; ws->X = X;
  ws->w = work; work += k;
  ws->e = work; work += k;
  ws->u = work; work += k;
  ws->t1 = work; work += k;
  ws->h = work; work += k;
  ws->d = work; work += k;
  ws->L = work; work += p * p;
  ws->M = work; work += p * p;
  ws->A1 = work; work += p * p;
  ws->A2 = work; work += p * p;
  ws->c = work; work += p;
  ws->g = work;
  ws->logdet = 0.0;
  {
    /* The harmonic mean, not the arithmetic one: one study with a huge
     * variance (no weight) must not set the scale of the tolerance. */
    double s = 0.0;
    for (size_t i = 0; i < k; i++) s += 1.0 / v[i];
    ws->vscale = (double) k / s;
    if (!(ws->vscale > 0.0)) ws->vscale = DBL_MIN;
  }
}

#define XIJ(ws, i, j) ((ws)->X ? (ws)->X[(i) + (j) * (ws)->k] : 1.0)

/* Cholesky of X'WX for the weights in ws->w; the inverse M and the
 * leverages h_i = x_i' M x_i. */
static int ws_prep(ws_t *ws)
{
  const size_t k = ws->k, p = ws->p;
  double *L = ws->L, *M = ws->M;
  if (ws->X == NULL) { /* intercept only: O(k) */
    double sw = 0.0;
    for (size_t i = 0; i < k; i++) sw += ws->w[i];
    if (!(sw > 0.0) || !isfinite(sw)) return NEV_ERR_SINGULAR;
    L[0] = sqrt(sw); M[0] = 1.0 / sw; ws->logdet = log(sw);
    for (size_t i = 0; i < k; i++) ws->h[i] = M[0];
    return NEV_OK;
  }
  /* A = X'WX into L (lower triangle) */
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b <= a; b++) {
      double s = 0.0;
      for (size_t i = 0; i < k; i++)
        s += ws->X[i + a * k] * ws->w[i] * ws->X[i + b * k];
      L[a + b * p] = s;
    }
  ws->logdet = 0.0;
  for (size_t j = 0; j < p; j++) {
    double s = L[j + j * p], ajj = s;
    for (size_t m = 0; m < j; m++) s -= L[j + m * p] * L[j + m * p];
    if (!(s > 1e-13 * ajj) || !isfinite(s)) return NEV_ERR_SINGULAR;
    L[j + j * p] = sqrt(s);
    ws->logdet += log(s);
    for (size_t i = j + 1; i < p; i++) {
      double t = L[i + j * p];
      for (size_t m = 0; m < j; m++) t -= L[i + m * p] * L[j + m * p];
      L[i + j * p] = t / L[j + j * p];
    }
  }
  /* Linv into A1 (lower) */
  double *Li = ws->A1;
  for (size_t j = 0; j < p; j++) {
    for (size_t i = 0; i < p; i++) Li[i + j * p] = 0.0;
    Li[j + j * p] = 1.0 / L[j + j * p];
    for (size_t i = j + 1; i < p; i++) {
      double s = 0.0;
      for (size_t m = j; m < i; m++) s += L[i + m * p] * Li[m + j * p];
      Li[i + j * p] = -s / L[i + i * p];
    }
  }
  /* M = Linv' Linv */
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b <= a; b++) {
      double s = 0.0;
      for (size_t m = a; m < p; m++) s += Li[m + a * p] * Li[m + b * p];
      M[a + b * p] = M[b + a * p] = s;
    }
  for (size_t i = 0; i < k; i++) {
    double hi = 0.0;
    for (size_t a = 0; a < p; a++) {
      double s = 0.0;
      for (size_t b = 0; b < p; b++) s += M[a + b * p] * ws->X[i + b * k];
      hi += ws->X[i + a * k] * s;
    }
    ws->h[i] = hi;
  }
  return NEV_OK;
}

/* out = z - X c with c = M X'W z (weighted LS residual); c kept in ws->c
 * when keep_c. Returns sum w out^2. */
static double ws_resid(ws_t *ws, const double *z, double *out)
{
  const size_t k = ws->k, p = ws->p;
  double rss = 0.0;
  if (ws->X == NULL) {
    double s = 0.0;
    for (size_t i = 0; i < k; i++) s += ws->w[i] * z[i];
    double c = s * ws->M[0];
    ws->c[0] = c;
    for (size_t i = 0; i < k; i++) {
      out[i] = z[i] - c;
      rss += ws->w[i] * out[i] * out[i];
    }
    return rss;
  }
  for (size_t a = 0; a < p; a++) {
    double s = 0.0;
    for (size_t i = 0; i < k; i++) s += ws->X[i + a * k] * ws->w[i] * z[i];
    ws->g[a] = s;
  }
  for (size_t a = 0; a < p; a++) {
    double s = 0.0;
    for (size_t b = 0; b < p; b++) s += ws->M[a + b * p] * ws->g[b];
    ws->c[a] = s;
  }
  for (size_t i = 0; i < k; i++) {
    double f = 0.0;
    for (size_t a = 0; a < p; a++) f += ws->X[i + a * k] * ws->c[a];
    out[i] = z[i] - f;
    rss += ws->w[i] * out[i] * out[i];
  }
  return rss;
}

/* tr(P D) for D = diag(d) (d NULL: identity). */
static double ws_trPD(const ws_t *ws, const double *d)
{
  double s = 0.0;
  for (size_t i = 0; i < ws->k; i++) {
    double di = d ? d[i] : 1.0;
    s += (ws->w[i] - ws->w[i] * (ws->w[i] * ws->h[i])) * di;
  }
  return s;
}

/* sum_j w_j^2 d_j x_j x_j' into A (p x p). */
static void ws_xdx(const ws_t *ws, const double *d, double *A)
{
  const size_t k = ws->k, p = ws->p;
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b <= a; b++) {
      double s = 0.0;
      for (size_t i = 0; i < k; i++) {
        double di = d ? d[i] : 1.0;
        s += XIJ(ws, i, a) * ws->w[i] * ws->w[i] * di * XIJ(ws, i, b);
      }
      A[a + b * p] = A[b + a * p] = s;
    }
}

/* tr(P D1 P D2) for diagonal D1, D2 (NULL: identity). Uses ws->A1, A2. */
static double ws_trPDPD(ws_t *ws, const double *d1, const double *d2)
{
  const size_t k = ws->k, p = ws->p;
  double s1 = 0.0, s2 = 0.0, s3 = 0.0;
  for (size_t i = 0; i < k; i++) {
    double a = d1 ? d1[i] : 1.0, b = d2 ? d2[i] : 1.0;
    double w2 = ws->w[i] * ws->w[i];
    s1 += w2 * a * b;
    s2 += w2 * ws->w[i] * ws->h[i] * a * b;
  }
  ws_xdx(ws, d1, ws->A1);
  ws_xdx(ws, d2, ws->A2);
  /* tr(M A1 M A2) */
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b < p; b++) {
      double mab = 0.0, mba = 0.0;
      for (size_t m = 0; m < p; m++) {
        mab += ws->M[a + m * p] * ws->A1[m + b * p];
        mba += ws->M[b + m * p] * ws->A2[m + a * p];
      }
      s3 += mab * mba;
    }
  return s1 - 2.0 * s2 + s3;
}

static int ws_set_tau2(ws_t *ws, double tau2)
{
  for (size_t i = 0; i < ws->k; i++) {
    double m = ws->v[i] + tau2;
    if (!(m > 0.0) || !isfinite(m)) return NEV_ERR_DOMAIN;
    ws->w[i] = 1.0 / m;
    if (!isfinite(ws->w[i])) return NEV_ERR_DOMAIN; /* v_i + tau2 underflows */
  }
  return ws_prep(ws);
}

/* Fill ws->e (residuals) and ws->u (= P y); return y'Py. */
static double ws_Py(ws_t *ws)
{
  double rss = ws_resid(ws, ws->y, ws->e);
  for (size_t i = 0; i < ws->k; i++) ws->u[i] = ws->w[i] * ws->e[i];
  return rss;
}

/* ------------------------------------------------------------------ */
/* Estimating functions F(tau2), decreasing at the root of interest.    */

enum { EF_REML, EF_ML, EF_Q };

typedef struct {
  ws_t *ws;
  int mode;
  double target; /* EF_Q: y'P(tau2)y - target */
  int status;
} ef_t;

static int ef_eval(ef_t *ef, double t, double *F, double *dF, double *info)
{
  ws_t *ws = ef->ws;
  int st = ws_set_tau2(ws, t);
  if (st != NEV_OK) return st;
  double rss = ws_Py(ws);
  const size_t k = ws->k;
  if (ef->mode == EF_Q) {
    *F = rss - ef->target;
    if (dF) {
      double s = 0.0;
      for (size_t i = 0; i < k; i++) s += ws->u[i] * ws->u[i];
      *dF = -s;
      if (info) {
        double sw = 0.0;
        for (size_t i = 0; i < k; i++) sw += ws->w[i];
        *info = sw;
      }
    }
    return NEV_OK;
  }
  double ypp = 0.0;
  for (size_t i = 0; i < k; i++) ypp += ws->u[i] * ws->u[i];
  double trm, trm2;
  if (ef->mode == EF_REML) {
    trm = ws_trPD(ws, NULL);
  } else {
    trm = 0.0;
    for (size_t i = 0; i < k; i++) trm += ws->w[i];
  }
  *F = ypp - trm;
  if (dF) {
    /* u'Pu */
    (void) ws_resid(ws, ws->u, ws->t1);
    double upu = 0.0;
    for (size_t i = 0; i < k; i++) upu += ws->u[i] * ws->w[i] * ws->t1[i];
    if (ef->mode == EF_REML) {
      trm2 = ws_trPDPD(ws, NULL, NULL);
    } else {
      trm2 = 0.0;
      for (size_t i = 0; i < k; i++) trm2 += ws->w[i] * ws->w[i];
    }
    *dF = -2.0 * upu + trm2;
    if (info) *info = trm2;
  }
  return NEV_OK;
}

static double ef_gsl(double t, void *params)
{
  ef_t *ef = (ef_t *) params;
  double F;
  int st = ef_eval(ef, t, &F, NULL, NULL);
  if (st != NEV_OK) { ef->status = st; return GSL_NAN; }
  return F;
}

/* Brent on [lo, hi] with F(lo) > 0 > F(hi). */
static int brent_root(ef_t *ef, double lo, double hi, double tol,
                      int maxiter, double *root, int *iter)
{
  gsl_function fn;
  fn.function = &ef_gsl;
  fn.params = ef;
  gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  if (s == NULL) return NEV_ERR_NOMEM;
  int st = gsl_root_fsolver_set(s, &fn, lo, hi);
  if (st != GSL_SUCCESS) { gsl_root_fsolver_free(s); return NEV_ERR_GSL; }
  double epsabs = tol * 1e-8 * ef->ws->vscale;
  int status = NEV_WARN_NOCONV, it = 0;
  for (it = 1; it <= maxiter; it++) {
    st = gsl_root_fsolver_iterate(s);
    if (ef->status != NEV_OK) { status = ef->status; break; }
    if (st != GSL_SUCCESS) { status = NEV_ERR_GSL; break; }
    double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
    if (gsl_root_test_interval(a, b, epsabs, tol) == GSL_SUCCESS) {
      status = NEV_OK;
      break;
    }
  }
  *root = gsl_root_fsolver_root(s);
  *iter += it;
  gsl_root_fsolver_free(s);
  return status;
}

/* Root of F on [0, inf): 0 when F(0) <= 0 and the iteration goes there.
 * Newton (Fisher scoring where F is not locally decreasing) with a kept
 * bracket; Brent on the bracket if needed. */
static int solve_root(ef_t *ef, double init, double tol, int maxiter,
                      double *root, int *iter, int *fallback, int *boundary)
{
  double F, dF, info, f0;
  int st;
  *iter = 0; *fallback = 0; *boundary = 0;
  st = ef_eval(ef, 0.0, &f0, NULL, NULL);
  if (st != NEV_OK) return st;
  if (!isfinite(f0)) return NEV_ERR_DOMAIN;
  if (f0 <= 0.0 && !(init > 0.0)) {
    *root = 0.0; *boundary = 1; return NEV_OK;
  }
  double small = 1e-6 * ef->ws->vscale;
  double lo = 0.0, hi = HUGE_VAL, t = init > 0.0 ? init : 0.0;
  int conv = 0;
  for (int it = 1; it <= maxiter; it++) {
    *iter = it;
    st = ef_eval(ef, t, &F, &dF, &info);
    if (st != NEV_OK) return st;
    if (!isfinite(F)) break;
    if (F > 0.0) lo = t;
    else hi = t;
    if (F == 0.0) { conv = 1; break; }
    double step = (dF < 0.0) ? -F / dF : F / info;
    double tn = t + step;
    if (!isfinite(tn)) break;
    if (tn <= 0.0) {
      if (f0 <= 0.0) { t = 0.0; conv = 1; *boundary = 1; break; }
      tn = 0.5 * (lo + t); /* root lies in (0, t) */
    }
    if (isfinite(hi) && (tn <= lo || tn >= hi)) tn = 0.5 * (lo + hi);
    else if (tn <= lo && !(F > 0.0)) tn = 0.5 * (lo + t);
    if (fabs(tn - t) <= tol * fmax(tn, small)) { t = tn; conv = 1; break; }
    t = tn;
  }
  if (conv) { *root = t; return NEV_OK; }
  /* Fallback: bracket and Brent. */
  *fallback = 1;
  if (f0 <= 0.0) { *root = 0.0; *boundary = 1; return NEV_OK; }
  if (!isfinite(hi)) {
    double b = fmax(2.0 * fmax(t, lo), 10.0 * ef->ws->vscale);
    int found = 0;
    for (int j = 0; j < 200 && isfinite(b); j++) {
      st = ef_eval(ef, b, &F, NULL, NULL);
      if (st != NEV_OK) return st;
      if (F <= 0.0) { found = 1; hi = b; break; }
      lo = b;
      b *= 4.0;
    }
    if (!found) { *root = lo; return NEV_WARN_NOCONV; }
  }
  if (hi == lo) { *root = lo; return NEV_OK; }
  ef->status = NEV_OK;
  return brent_root(ef, lo, hi, tol, 2000, root, iter);
}

/* ------------------------------------------------------------------ */

void nev_pool_opts_default(nev_pool_opts *opts)
{
  opts->method = NEV_POOL_REML;
  opts->test = NEV_POOL_TEST_Z;
  opts->hksj_adhoc = 0;
  opts->level = 0.95;
  opts->tol = 1e-12;
  opts->maxiter = 1000;
  opts->tau2_fix = -1.0;
  opts->lean = 0;
}

static int check_input(const double *yi, const double *vi, size_t k,
                       const double *X, size_t p)
{
  if (k == 0) return NEV_ERR_EMPTY;
  if (yi == NULL || vi == NULL || p == 0 || p > k) return NEV_ERR_ARG;
  if (X == NULL && p != 1) return NEV_ERR_ARG;
  for (size_t i = 0; i < k; i++)
    if (!isfinite(yi[i]) || !isfinite(vi[i]) || !(vi[i] > 0.0))
      return NEV_ERR_DOMAIN;
  if (X != NULL)
    for (size_t i = 0; i < k * p; i++)
      if (!isfinite(X[i])) return NEV_ERR_DOMAIN;
  return NEV_OK;
}

/* ML and REML log-likelihoods at tau2 (ws prepared at tau2, ws->e set).
 * logdet_xx = log|X'X|. */
static void loglik(ws_t *ws, double tau2, double rss, double logdet_xx,
                   double *ll_ml, double *ll_reml)
{
  const double k = (double) ws->k, p = (double) ws->p;
  double sl = 0.0;
  for (size_t i = 0; i < ws->k; i++) sl += log(ws->v[i] + tau2);
  *ll_ml = -0.5 * k * log(2.0 * M_PI) - 0.5 * sl - 0.5 * rss;
  *ll_reml = -0.5 * (k - p) * log(2.0 * M_PI) + 0.5 * logdet_xx - 0.5 * sl -
             0.5 * ws->logdet - 0.5 * rss;
}

/* Root of the ML/REML estimating function inside a bracket (a, b] with
 * F(a) > 0 >= F(b): Newton from the secant point, kept inside the bracket
 * (bisection when a step leaves it); Brent on the bracket if maxiter steps
 * have not converged. */
static int bracket_root(ef_t *ef, double a, double b, double fa, double fb,
                        double tol, int maxiter, double *root, int *iter,
                        int *fallback)
{
  if (fb == 0.0) { *root = b; return NEV_OK; }
  const double small = 1e-6 * ef->ws->vscale;
  double t = a - fa * (b - a) / (fb - fa), F, dF;
  if (!(t > a && t < b)) t = 0.5 * (a + b);
  for (int it = 1; it <= maxiter; it++) {
    (*iter)++;
    int st = ef_eval(ef, t, &F, &dF, NULL);
    if (st != NEV_OK) return st;
    if (!isfinite(F)) return NEV_ERR_DOMAIN;
    if (F == 0.0) { *root = t; return NEV_OK; }
    if (F > 0.0) a = t;
    else b = t;
    double tn = (dF < 0.0) ? t - F / dF : NAN;
    if (!(tn > a && tn < b)) tn = 0.5 * (a + b);
    if (fabs(tn - t) <= tol * fmax(tn, small) ||
        b - a <= tol * fmax(a, small)) {
      *root = tn;
      return NEV_OK;
    }
    t = tn;
  }
  *fallback = 1;
  ef->status = NEV_OK;
  return brent_root(ef, a, b, tol, 2000, root, iter);
}

/* Grid of the ML/REML search: points tau2_j = c q^j - c (j = 1..n, c half
 * the smallest v_i), geometric in tau2 + c up to the bound tmax, at most
 * GRID_Q apart in that scale. */
#define GRID_Q 1.6
#define GRID_NMIN 8
/* At most GRID_Q apart over the whole double range: a coarser grid (the
 * bound tmax grows with the largest v_i, so one study with a huge variance
 * stretches it) can step over a local maximum and its neighbouring
 * minimum, both inside one cell. */
#define GRID_NMAX 1600

/* Global maximiser of the ML or REML log-likelihood over tau2 >= 0.
 *
 * The likelihood may have several local maxima (with moderators in
 * particular), so no single start is safe. Every stationary point lies
 * below tmax = RSS_OLS / n + max v_i (n = k for ML, k - p for REML):
 * with T = tau2 + min v_i, y'PPy <= max w_i y'Py <= RSS_OLS / T^2 while
 * sum w_i >= k / (tau2 + max v_i) and tr(P) >= (k - p) min w_i, so the
 * estimating function F = y'PPy - tr(.) is negative beyond tmax. F is
 * evaluated at 0 and on a grid up to tmax; each change of sign from + to -
 * brackets a local maximum, found by bracket_root(); tau2 = 0 is a
 * candidate when F(0) <= 0. With more than one candidate the one with the
 * highest log-likelihood is taken (the smallest on a tie). */
static int ml_global(ef_t *ef, double rss_ols, double tol, int maxiter,
                     double logdet_xx, double *tau2, int *iter,
                     int *fallback, int *boundary)
{
  ws_t *ws = ef->ws;
  const size_t k = ws->k, p = ws->p;
  const int reml = ef->mode == EF_REML;
  double vmin = ws->v[0], vmax = ws->v[0];
  for (size_t i = 1; i < k; i++) {
    if (ws->v[i] < vmin) vmin = ws->v[i];
    if (ws->v[i] > vmax) vmax = ws->v[i];
  }
  double tmax = rss_ols / (double) (reml ? k - p : k) + vmax;
  if (!isfinite(tmax)) return NEV_ERR_DOMAIN;
  const double c = 0.5 * vmin, ratio = (tmax + c) / c;
  /* clamp in double: with a subnormal vmin the ratio is Inf */
  const double dn = ceil(log(ratio) / log(GRID_Q));
  int n = !(dn >= GRID_NMIN) ? GRID_NMIN
          : dn > GRID_NMAX ? GRID_NMAX : (int) dn;
  const double q = pow(ratio, 1.0 / (double) n);

  int st, ncand = 0, noconv = 0;
  double best_t = 0.0, best_ll = NAN;
  double tp = 0.0, Fp;
  *iter = 0; *fallback = 0; *boundary = 0;

  if ((st = ef_eval(ef, 0.0, &Fp, NULL, NULL)) != NEV_OK) return st;
  if (!isfinite(Fp)) return NEV_ERR_DOMAIN;
  if (Fp <= 0.0) { ncand = 1; best_t = 0.0; }

  double g = c;
  for (int j = 1; ; j++) {
    double tj, Fj;
    if (j <= n) {
      g *= q;
      tj = j == n ? tmax : g - c;
    } else {
      /* F > 0 at tmax only through rounding: extend */
      if (j > n + 60) return NEV_ERR_DOMAIN;
      tj = 2.0 * tp;
      if (!isfinite(tj)) return NEV_ERR_DOMAIN;
    }
    if (!(tj > tp)) {
      if (j >= n && Fp <= 0.0) break;
      continue;
    }
    if ((st = ef_eval(ef, tj, &Fj, NULL, NULL)) != NEV_OK) return st;
    if (!isfinite(Fj)) return NEV_ERR_DOMAIN;
    if (Fp > 0.0 && Fj <= 0.0) {
      /* a local maximum in (tp, tj] */
      double r = tj;
      st = bracket_root(ef, tp, tj, Fp, Fj, tol, maxiter, &r, iter,
                        fallback);
      if (st == NEV_WARN_NOCONV) noconv = 1;
      else if (st != NEV_OK) return st;
      if (ncand == 0) {
        best_t = r;
      } else {
        double lm, lr, rs;
        if (isnan(best_ll)) {
          if ((st = ws_set_tau2(ws, best_t)) != NEV_OK) return st;
          rs = ws_Py(ws);
          loglik(ws, best_t, rs, logdet_xx, &lm, &lr);
          best_ll = reml ? lr : lm;
        }
        if ((st = ws_set_tau2(ws, r)) != NEV_OK) return st;
        rs = ws_Py(ws);
        loglik(ws, r, rs, logdet_xx, &lm, &lr);
        double ll = reml ? lr : lm;
        if (ll > best_ll) { best_ll = ll; best_t = r; }
      }
      ncand++;
    }
    tp = tj; Fp = Fj;
    if (j >= n && Fp <= 0.0) break;
  }
  *tau2 = best_t;
  if (best_t == 0.0) *boundary = 1;
  return noconv ? NEV_WARN_NOCONV : NEV_OK;
}

static int estimate_tau2(ws_t *ws, const nev_pool_opts *o, double *tau2,
                         double *se_tau2, int *iter, int *conv,
                         int *boundary, int *fallback, double logdet_xx)
{
  const size_t k = ws->k, p = ws->p;
  const double kp = (double) (k - p);
  int st = NEV_OK;
  double t = 0.0, se = NAN;
  *iter = 0; *conv = 1; *boundary = 0; *fallback = 0;
  if (o->method == NEV_POOL_FE) { *tau2 = 0.0; *se_tau2 = NAN; return NEV_OK; }
  if (k == p) { *tau2 = 0.0; *se_tau2 = NAN; *boundary = 1; return NEV_OK; }
  switch (o->method) {
  case NEV_POOL_DL:
  case NEV_POOL_DL2:
  case NEV_POOL_HS: {
    if ((st = ws_set_tau2(ws, 0.0)) != NEV_OK) return st;
    double rss = ws_Py(ws), trP = ws_trPD(ws, NULL);
    if (o->method == NEV_POOL_HS) {
      double sw = 0.0;
      for (size_t i = 0; i < k; i++) sw += ws->w[i];
      t = fmax(0.0, (rss - (double) k) / sw);
      se = sqrt(2.0 * kp + 4.0 * t * trP +
                2.0 * t * t * ws_trPDPD(ws, NULL, NULL)) / sw;
      break;
    }
    t = fmax(0.0, (rss - kp) / trP);
    if (o->method == NEV_POOL_DL) {
      se = sqrt(2.0 * kp + 4.0 * t * trP +
                2.0 * t * t * ws_trPDPD(ws, NULL, NULL)) / trP;
      break;
    }
    /* DL2: generalised Q with weights 1/(v + tau2_DL) */
    if ((st = ws_set_tau2(ws, t)) != NEV_OK) return st;
    rss = ws_Py(ws);
    trP = ws_trPD(ws, NULL);
    double trPV = ws_trPD(ws, ws->v);
    t = fmax(0.0, (rss - trPV) / trP);
    se = sqrt(2.0 * ws_trPDPD(ws, ws->v, ws->v) +
              4.0 * t * ws_trPDPD(ws, ws->v, NULL) +
              2.0 * t * t * ws_trPDPD(ws, NULL, NULL)) / trP;
    break;
  }
  case NEV_POOL_SJ: {
    double ybar = 0.0, t0 = 0.0;
    for (size_t i = 0; i < k; i++) ybar += ws->y[i];
    ybar /= (double) k;
    for (size_t i = 0; i < k; i++) t0 += (ws->y[i] - ybar) * (ws->y[i] - ybar);
    t0 /= (double) k;
    if ((st = ws_set_tau2(ws, t0)) != NEV_OK) return st;
    double rss = ws_Py(ws);
    t = fmax(0.0, t0 * rss / kp);
    se = t0 / kp * sqrt(2.0 * ws_trPDPD(ws, ws->v, ws->v) +
                        4.0 * t * ws_trPDPD(ws, ws->v, NULL) +
                        2.0 * t * t * ws_trPDPD(ws, NULL, NULL));
    break;
  }
  case NEV_POOL_HE:
  case NEV_POOL_REML:
  case NEV_POOL_ML:
  case NEV_POOL_PM:
  case NEV_POOL_EB: {
    /* Hedges estimator: OLS residuals (w = 1) */
    for (size_t i = 0; i < k; i++) ws->w[i] = 1.0;
    if ((st = ws_prep(ws)) != NEV_OK) return st;
    double rss = ws_resid(ws, ws->y, ws->e);
    double trPV = ws_trPD(ws, ws->v);
    double the = (rss - trPV) / kp;
    if (o->method == NEV_POOL_HE) {
      t = fmax(0.0, the);
      se = sqrt(2.0 * ws_trPDPD(ws, ws->v, ws->v) + 4.0 * t * trPV +
                2.0 * t * t * kp) / kp;
      break;
    }
    ef_t ef;
    ef.ws = ws; ef.status = NEV_OK; ef.target = kp;
    if (o->method == NEV_POOL_REML || o->method == NEV_POOL_ML) {
      ef.mode = o->method == NEV_POOL_REML ? EF_REML : EF_ML;
      st = ml_global(&ef, rss, o->tol, o->maxiter, logdet_xx, &t, iter,
                     fallback, boundary);
    } else {
      /* PM/EB: Q(tau2) is decreasing, one root (0 when Q(0) <= k - p);
       * Newton from the HE value. */
      ef.mode = EF_Q;
      st = solve_root(&ef, fmax(0.0, the), o->tol, o->maxiter, &t, iter,
                      fallback, boundary);
    }
    if (st == NEV_WARN_NOCONV) *conv = 0;
    else if (st != NEV_OK) return st;
    if (t < 0.0) t = 0.0;
    if ((st = ws_set_tau2(ws, t)) != NEV_OK) return st;
    if (ef.mode == EF_REML) {
      se = sqrt(2.0 / ws_trPDPD(ws, NULL, NULL));
    } else if (ef.mode == EF_ML) {
      double s = 0.0;
      for (size_t i = 0; i < k; i++) s += ws->w[i] * ws->w[i];
      se = sqrt(2.0 / s);
    } else {
      double sw = 0.0;
      for (size_t i = 0; i < k; i++) sw += ws->w[i];
      se = sqrt(2.0 * (double) k * (double) k / kp) / sw;
    }
    st = *conv ? NEV_OK : NEV_WARN_NOCONV;
    break;
  }
  default:
    return NEV_ERR_ARG;
  }
  if (t == 0.0) *boundary = 1;
  *tau2 = t;
  *se_tau2 = se;
  return st;
}

/* Finite inputs can still overflow (|yi| near DBL_MAX with large weights,
 * vi so small that 1/vi is not finite, a huge fixed tau2): never report
 * success with non-finite results. 1 when a result is not finite. */
static int res_bad(const nev_pool_result *r, size_t k, size_t p, int lean)
{
  if (!isfinite(r->tau2) || !isfinite(r->QE) || !isfinite(r->vt) ||
      !isfinite(r->I2) || !isfinite(r->H2) || !isfinite(r->s2w))
    return 1;
  if (!lean && (!isfinite(r->ll_ml) || !isfinite(r->ll_reml))) return 1;
  for (size_t a = 0; a < p; a++) {
    if (!isfinite(r->beta[a]) || !isfinite(r->se[a])) return 1;
    if (r->ci_lb && (!isfinite(r->ci_lb[a]) || !isfinite(r->ci_ub[a])))
      return 1;
    for (size_t b = 0; b < p; b++)
      if (!isfinite(r->vb[a + b * p])) return 1;
  }
  if (r->weights)
    for (size_t i = 0; i < k; i++)
      if (!isfinite(r->weights[i]) || !(r->weights[i] > 0.0)) return 1;
  return 0;
}

/* The fit on (possibly rescaled) data; arguments checked by the caller. */
static int fit_core(const double *yi, const double *vi, size_t k,
                    const double *X, size_t p, const nev_pool_opts *opts,
                    nev_pool_result *res, double *work)
{
  int st;
  ws_t ws;
  ws_init(&ws, yi, vi, k, X, p, work);
  const double kp = (double) (k - p);

  /* log|X'X| for the REML likelihood */
  for (size_t i = 0; i < k; i++) ws.w[i] = 1.0;
  if ((st = ws_prep(&ws)) != NEV_OK) return st;
  double logdet_xx = ws.logdet;

  /* tau^2 */
  double tau2, se_tau2;
  int iter = 0, conv = 1, boundary = 0, fallback = 0, est = NEV_OK;
  if (opts->tau2_fix >= 0.0 && opts->method != NEV_POOL_FE) {
    tau2 = opts->tau2_fix; se_tau2 = NAN;
  } else {
    est = estimate_tau2(&ws, opts, &tau2, &se_tau2, &iter, &conv, &boundary,
                        &fallback, logdet_xx);
    if (est != NEV_OK && est != NEV_WARN_NOCONV) return est;
  }

  /* heterogeneity with weights 1/v */
  if (k > p) {
    if ((st = ws_set_tau2(&ws, 0.0)) != NEV_OK) return st;
    double qe = ws_Py(&ws);
    res->QE = fmax(0.0, qe);
    res->QE_df = kp;
    res->QE_p = opts->lean ? NAN : gsl_cdf_chisq_Q(res->QE, kp);
    res->vt = kp / ws_trPD(&ws, NULL);
    if (opts->method == NEV_POOL_FE) {
      res->I2 = res->QE > 0.0 ? fmax(0.0, 100.0 * (res->QE - kp) / res->QE) : 0.0;
      res->H2 = res->QE / kp;
    } else {
      res->I2 = 100.0 * tau2 / (res->vt + tau2);
      res->H2 = tau2 / res->vt + 1.0;
    }
  } else {
    res->QE = 0.0; res->QE_df = 0.0; res->QE_p = 1.0; res->vt = 0.0;
    res->I2 = 0.0; res->H2 = 1.0;
  }

  /* the model at tau2 */
  if ((st = ws_set_tau2(&ws, tau2)) != NEV_OK) return st;
  double rss = ws_Py(&ws);
  if (opts->lean) res->ll_ml = res->ll_reml = NAN;
  else loglik(&ws, tau2, rss, logdet_xx, &res->ll_ml, &res->ll_reml);
  double s2w = 1.0;
  int hksj = opts->test == NEV_POOL_TEST_HKSJ && k > p;
  if (hksj) {
    s2w = rss <= DBL_EPSILON ? 0.0 : rss / kp;
    if (opts->hksj_adhoc && s2w < 1.0) s2w = 1.0;
  }
  double alpha = 1.0 - opts->level;
  double crit = hksj ? gsl_cdf_tdist_Qinv(alpha / 2.0, kp)
                     : gsl_cdf_ugaussian_Qinv(alpha / 2.0);
  for (size_t a = 0; a < p; a++) {
    res->beta[a] = ws.c[a];
    for (size_t b = 0; b < p; b++) res->vb[a + b * p] = s2w * ws.M[a + b * p];
    double se = sqrt(res->vb[a + a * p]);
    double z = res->beta[a] / se;
    res->se[a] = se;
    if (res->zval) res->zval[a] = z;
    if (res->pval)
      res->pval[a] = hksj ? 2.0 * gsl_cdf_tdist_Q(fabs(z), kp)
                          : 2.0 * gsl_cdf_ugaussian_Q(fabs(z));
    if (res->ci_lb) res->ci_lb[a] = res->beta[a] - crit * se;
    if (res->ci_ub) res->ci_ub[a] = res->beta[a] + crit * se;
  }
  if (res->weights)
    for (size_t i = 0; i < k; i++) res->weights[i] = ws.w[i];
  if (!isfinite(rss)) return NEV_ERR_DOMAIN;
  res->tau2 = tau2;
  res->se_tau2 = se_tau2;
  res->s2w = s2w;
  res->ddf = hksj ? kp : NAN;
  res->crit = crit;
  res->iterations = iter;
  res->converged = conv;
  res->boundary = boundary;
  res->fallback = fallback;
  if (res_bad(res, k, p, opts->lean)) return NEV_ERR_DOMAIN;
  return conv ? NEV_OK : NEV_WARN_NOCONV;
}

int nev_pool_fit_ws(const double *yi, const double *vi, size_t k,
                    const double *X, size_t p, const nev_pool_opts *opts,
                    nev_pool_result *res, double *work)
{
  nev_pool_opts def;
  if (opts == NULL) { nev_pool_opts_default(&def); opts = &def; }
  if (res == NULL || work == NULL || res->beta == NULL || res->se == NULL ||
      res->vb == NULL)
    return NEV_ERR_ARG;
  int st = check_input(yi, vi, k, X, p);
  if (st != NEV_OK) return st;
  if (opts->method < 0 || opts->method >= NEV_POOL_NMETHODS ||
      !(opts->level > 0.0 && opts->level < 1.0) ||
      !(opts->tol > 0.0) || opts->maxiter < 1 ||
      (opts->test != NEV_POOL_TEST_Z && opts->test != NEV_POOL_TEST_HKSJ) ||
      isnan(opts->tau2_fix))
    return NEV_ERR_ARG;
  /* The model is equivariant under y -> y / s, v -> v / s^2 (tau2 with
   * v). Fit y / s and v / s^2 with s = 2^h (powers of 2 scale exactly) when
   * the scale of the problem is far from 1 (outside 2^-64 .. 2^64), so
   * that squared weights neither underflow nor overflow. The scale is the
   * geometric mean of the (harmonic) mean variance and of the larger of it
   * and the spread of y (which bounds tau2): when the variances are tiny
   * next to the spread, the weights 1 / (v + tau2) range from 1 / v down
   * to 1 / tau2, and this keeps both ends representable. */
  double vm = 0.0, vinv = 0.0, ym = 0.0, sy = 0.0;
  for (size_t i = 0; i < k; i++) {
    vm += vi[i] / (double) k;
    vinv += 1.0 / vi[i];
    ym += yi[i] / (double) k;
  }
  /* The harmonic mean of v: a study with a huge variance (and no weight)
   * must not set the scale, or the others' weights overflow. */
  if (vinv > 0.0 && isfinite(vinv)) vm = (double) k / vinv;
  for (size_t i = 0; i < k; i++) sy += (yi[i] - ym) / (double) k * (yi[i] - ym);
  double target = isfinite(sy) && sy > vm ? sqrt(vm) * sqrt(sy) : vm;
  int e = 0;
  (void) frexp(target, &e);
  const int h = e / 2;
  if (h > -32 && h < 32) return fit_core(yi, vi, k, X, p, opts, res, work);
  double *ys = work + ws_size(k, p), *vs = ys + k;
  for (size_t i = 0; i < k; i++) {
    ys[i] = ldexp(yi[i], -h);
    vs[i] = ldexp(vi[i], -2 * h);
    if (!isfinite(ys[i]) || !isfinite(vs[i]) || !(vs[i] > 0.0))
      return NEV_ERR_DOMAIN;
  }
  nev_pool_opts o = *opts;
  if (o.tau2_fix > 0.0) o.tau2_fix = ldexp(o.tau2_fix, -2 * h);
  st = fit_core(ys, vs, k, X, p, &o, res, work);
  if (st != NEV_OK && st != NEV_WARN_NOCONV) return st;
  const double l2 = (double) h * M_LN2;
  for (size_t a = 0; a < p; a++) {
    res->beta[a] = ldexp(res->beta[a], h);
    res->se[a] = ldexp(res->se[a], h);
    if (res->ci_lb) res->ci_lb[a] = ldexp(res->ci_lb[a], h);
    if (res->ci_ub) res->ci_ub[a] = ldexp(res->ci_ub[a], h);
    for (size_t b = 0; b < p; b++)
      res->vb[a + b * p] = ldexp(res->vb[a + b * p], 2 * h);
  }
  if (res->weights)
    for (size_t i = 0; i < k; i++)
      res->weights[i] = ldexp(res->weights[i], -2 * h);
  res->tau2 = ldexp(res->tau2, 2 * h);
  res->se_tau2 = ldexp(res->se_tau2, 2 * h);
  res->vt = ldexp(res->vt, 2 * h);
  res->ll_ml -= (double) k * l2;
  res->ll_reml -= (double) (k - p) * l2;
  if (res_bad(res, k, p, opts->lean)) return NEV_ERR_DOMAIN;
  return st;
}

int nev_pool_fit(const double *yi, const double *vi, size_t k,
                 const double *X, size_t p, const nev_pool_opts *opts,
                 nev_pool_result *res)
{
  if (k == 0) return NEV_ERR_EMPTY;
  if (p == 0 || p > k) return NEV_ERR_ARG;
  double *work = malloc(nev_pool_work_size(k, p) * sizeof(double));
  if (work == NULL) return NEV_ERR_NOMEM;
  int st = nev_pool_fit_ws(yi, vi, k, X, p, opts, res, work);
  free(work);
  return st;
}

int nev_pool_qprofile(const double *yi, const double *vi, size_t k,
                      const double *X, size_t p, double level, double tol,
                      double *lb, double *ub, double *work)
{
  int st = check_input(yi, vi, k, X, p);
  if (st != NEV_OK) return st;
  if (k <= p || !(level > 0.0 && level < 1.0) || !(tol > 0.0) ||
      lb == NULL || ub == NULL || work == NULL)
    return NEV_ERR_ARG;
  ws_t ws;
  ws_init(&ws, yi, vi, k, X, p, work);
  const double df = (double) (k - p), alpha = 1.0 - level;
  const double crit_u = gsl_cdf_chisq_Qinv(alpha / 2.0, df);
  const double crit_l = gsl_cdf_chisq_Pinv(alpha / 2.0, df);
  if ((st = ws_set_tau2(&ws, 0.0)) != NEV_OK) return st;
  double q0 = ws_Py(&ws);
  ef_t ef;
  ef.ws = &ws; ef.mode = EF_Q; ef.status = NEV_OK;
  int it, fb, bd, s1 = NEV_OK, s2 = NEV_OK;
  *lb = 0.0; *ub = 0.0;
  if (q0 < crit_l) return NEV_OK;
  ef.target = crit_l;
  s2 = solve_root(&ef, 0.0, tol, 1000, ub, &it, &fb, &bd);
  if (s2 != NEV_OK && s2 != NEV_WARN_NOCONV) return s2;
  if (q0 >= crit_u) {
    ef.target = crit_u;
    s1 = solve_root(&ef, 0.0, tol, 1000, lb, &it, &fb, &bd);
    if (s1 != NEV_OK && s1 != NEV_WARN_NOCONV) return s1;
  }
  return (s1 == NEV_WARN_NOCONV || s2 == NEV_WARN_NOCONV) ? NEV_WARN_NOCONV
                                                         : NEV_OK;
}

int nev_pool_counts(const double *ai, const double *n1i, const double *ci,
                    const double *n2i, size_t k, int measure, int method,
                    double *est, double *se, double *qe, size_t *kq)
{
  if (k == 0) return NEV_ERR_EMPTY;
  if (ai == NULL || n1i == NULL || ci == NULL || n2i == NULL || est == NULL ||
      se == NULL || qe == NULL || kq == NULL ||
      measure < NEV_EFFECT_RR || measure > NEV_EFFECT_RD ||
      (method != NEV_POOL_MH && method != NEV_POOL_PETO) ||
      (method == NEV_POOL_PETO && measure != NEV_EFFECT_OR))
    return NEV_ERR_ARG;
  for (size_t i = 0; i < k; i++) {
    if (!isfinite(ai[i]) || !isfinite(n1i[i]) || !isfinite(ci[i]) ||
        !isfinite(n2i[i]) || ai[i] < 0.0 || ci[i] < 0.0 || ai[i] > n1i[i] ||
        ci[i] > n2i[i] || !(n1i[i] + n2i[i] > 0.0))
      return NEV_ERR_DOMAIN;
  }
  *qe = NAN; *kq = 0;
  if (method == NEV_POOL_PETO) {
    double so = 0.0, sv = 0.0, s2 = 0.0;
    size_t kpos = 0;
    for (size_t i = 0; i < k; i++) {
      double N = n1i[i] + n2i[i], xt = ai[i] + ci[i], yt = N - xt;
      if (N <= 1.0) continue;
      double E = xt * n1i[i] / N;
      double V = xt * yt * (n1i[i] / N) * (n2i[i] / N) / (N - 1.0);
      so += ai[i] - E;
      sv += V;
      if (V > 0.0) { s2 += (ai[i] - E) * (ai[i] - E) / V; kpos++; }
    }
    if (!(sv > 0.0)) return NEV_ERR_EMPTY;
    *est = so / sv;
    *se = sqrt(1.0 / sv);
    *qe = fmax(0.0, s2 - so * so / sv);
    *kq = kpos;
    return NEV_OK;
  }
  if (measure == NEV_EFFECT_OR) {
    double R = 0.0, S = 0.0, PR = 0.0, PSQR = 0.0, QS = 0.0;
    for (size_t i = 0; i < k; i++) {
      double N = n1i[i] + n2i[i], bi = n1i[i] - ai[i], di = n2i[i] - ci[i];
      double P = (ai[i] + di) / N, Q = (bi + ci[i]) / N;
      double Ri = ai[i] / N * di, Si = bi / N * ci[i];
      R += Ri; S += Si;
      PR += P * Ri; PSQR += P * Si + Q * Ri; QS += Q * Si;
    }
    if (!(R > 0.0) || !(S > 0.0)) return NEV_ERR_EMPTY;
    *est = log(R / S);
    *se = sqrt(0.5 * (PR / (R * R) + PSQR / (R * S) + QS / (S * S)));
    return NEV_OK;
  }
  if (measure == NEV_EFFECT_RR) {
    double R = 0.0, S = 0.0, V = 0.0;
    for (size_t i = 0; i < k; i++) {
      double N = n1i[i] + n2i[i];
      R += ai[i] * (n2i[i] / N);
      S += ci[i] * (n1i[i] / N);
      V += (n1i[i] / N) * (n2i[i] / N) * (ai[i] + ci[i]) -
           (ai[i] / N) * ci[i];
    }
    if (!(R > 0.0) || !(S > 0.0)) return NEV_ERR_EMPTY;
    *est = log(R / S);
    *se = sqrt(V / (R * S));
    return NEV_OK;
  }
  /* RD */
  double num = 0.0, W = 0.0, P = 0.0, Q = 0.0;
  for (size_t i = 0; i < k; i++) {
    double N = n1i[i] + n2i[i], a = n1i[i] / N, b = n2i[i] / N;
    num += ai[i] * b - ci[i] * a;
    W += n1i[i] * b;
    P += ci[i] * a * a - ai[i] * b * b + a * b * (n2i[i] - n1i[i]) / 2.0;
    Q += ai[i] * (n2i[i] - ci[i]) / N + ci[i] * (n1i[i] - ai[i]) / N;
  }
  if (!(W > 0.0)) return NEV_ERR_EMPTY;
  double rd = num / W;
  double var = (rd * P + Q / 2.0) / (W * W);
  if (!(var > 0.0)) return NEV_ERR_EMPTY;
  *est = rd;
  *se = sqrt(var);
  return NEV_OK;
}
