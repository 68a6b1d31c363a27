/* Usual intake from repeated 24-h recalls: Box-Cox transformation with the
 * power chosen by maximum likelihood (Jacobian included), one-way random
 * effects (between- and within-person variance, REML), back-transformation
 * by Gauss-Hermite quadrature, and a logistic-normal probability part for
 * episodically consumed foods. */
#include "intake.h"
#include "nev_status.h"
#include "nev_interrupt.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_min.h>

#define LAMBDA_EPS 1e-10
#define GOLD 0.38196601125010515

/* ---------- Box-Cox ---------- */

static double boxcox(double y, double lambda)
{
  if (fabs(lambda) < LAMBDA_EPS) return log(y);
  return (pow(y, lambda) - 1.0) / lambda;
}

static double boxcox_inv(double v, double lambda)
{
  double b;
  if (fabs(lambda) < LAMBDA_EPS) return exp(v);
  b = 1.0 + lambda * v;
  if (b <= 0.0) return lambda > 0 ? 0.0 : GSL_POSINF;
  return pow(b, 1.0 / lambda);
}

/* ---------- Gauss-Hermite back-transformation ---------- */

typedef struct { double t, s, lambda; } bt_par;

/* integrand against exp(-x^2): g^{-1}(t + sqrt(2) s x) / sqrt(pi) */
static double bt_f(double x, void *p)
{
  const bt_par *b = (const bt_par *) p;
  return boxcox_inv(b->t + M_SQRT2 * b->s * x, b->lambda) / M_SQRTPI;
}

static gsl_integration_fixed_workspace *gh_alloc(size_t ngh)
{
  return gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, ngh,
                                     0.0, 1.0, 0.0, 0.0);
}

static int bt_eval(gsl_integration_fixed_workspace *gh, double t,
                   double lambda, double sigma_w, double *out)
{
  bt_par p;
  gsl_function F;
  int st;
  p.t = t; p.s = sigma_w; p.lambda = lambda;
  F.function = &bt_f; F.params = &p;
  st = gsl_integration_fixed(&F, out, gh);
  if (st != GSL_SUCCESS) return NEV_ERR_GSL;
  if (!isfinite(*out)) return NEV_ERR_DOMAIN;
  return NEV_OK;
}

int nev_usual_backtransform(const double *t, size_t nt, double lambda,
                            double sigma2_w, size_t ngh, double *out)
{
  gsl_integration_fixed_workspace *gh;
  size_t i;
  int st = NEV_OK;
  if (!t || !out || ngh < 1 || !isfinite(lambda) || !isfinite(sigma2_w) ||
      sigma2_w < 0) return NEV_ERR_ARG;
  for (i = 0; i < nt; i++) if (!isfinite(t[i])) return NEV_ERR_DOMAIN;
  gh = gh_alloc(ngh);
  if (!gh) return NEV_ERR_NOMEM;
  for (i = 0; i < nt && st == NEV_OK; i++)
    st = bt_eval(gh, t[i], lambda, sqrt(sigma2_w), out + i);
  gsl_integration_fixed_free(gh);
  return st;
}


/* ---------- 1-D maximisation: grid, then Brent (gsl_min) ---------- */

typedef int (*obj_fn)(double x, void *par, double *f);

typedef struct { obj_fn fn; void *par; int st; } min_par;

static double min_wrap(double x, void *vp)
{
  min_par *mp = (min_par *) vp;
  double f;
  int st = mp->fn(x, mp->par, &f);
  if (st != NEV_OK) { mp->st = st; return GSL_POSINF; }
  return -f;
}

/* Maximise fn over [lo, hi]: G grid points, then Brent's method in the
 * bracket around the best grid point (golden section if GSL declines the
 * bracket). *xhat, *fhat: the maximiser and maximum. */
static int maximise(obj_fn fn, void *par, double lo, double hi, int G,
                    double tol, double *xhat, double *fhat)
{
  double best = GSL_NEGINF, xb = lo, fa, fb, a, b, h = (hi - lo) / (G - 1.0);
  int k, st, kb = 0, it;
  min_par mp;
  gsl_function F;
  gsl_min_fminimizer *s;
  for (k = 0; k < G; k++) {
    double x = lo + h * k, f;
    if ((st = fn(x, par, &f)) != NEV_OK) return st;
    if (f > best) { best = f; xb = x; kb = k; }
  }
  *xhat = xb; *fhat = best;
  a = kb > 0 ? xb - h : lo;
  b = kb < G - 1 ? xb + h : hi;
  mp.fn = fn; mp.par = par; mp.st = NEV_OK;
  F.function = &min_wrap; F.params = &mp;
  if (kb == 0 || kb == G - 1) {
    /* best at an end: golden section in the end interval */
    double x1 = a + GOLD * (b - a), x2 = b - GOLD * (b - a), f1, f2;
    if ((st = fn(x1, par, &f1)) != NEV_OK) return st;
    if ((st = fn(x2, par, &f2)) != NEV_OK) return st;
    for (it = 0; it < 100 && b - a > tol; it++) {
      if (f1 > f2) {
        b = x2; x2 = x1; f2 = f1; x1 = a + GOLD * (b - a);
        if ((st = fn(x1, par, &f1)) != NEV_OK) return st;
      } else {
        a = x1; x1 = x2; f1 = f2; x2 = b - GOLD * (b - a);
        if ((st = fn(x2, par, &f2)) != NEV_OK) return st;
      }
    }
    if (f1 > *fhat) { *fhat = f1; *xhat = x1; }
    if (f2 > *fhat) { *fhat = f2; *xhat = x2; }
    return NEV_OK;
  }
  s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
  if (!s) return NEV_ERR_NOMEM;
  if ((st = fn(a, par, &fa)) != NEV_OK ||
      (st = fn(b, par, &fb)) != NEV_OK) {
    gsl_min_fminimizer_free(s);
    return st;
  }
  if (gsl_min_fminimizer_set_with_values(s, &F, xb, -best, a, -fa, b, -fb) !=
      GSL_SUCCESS) {
    gsl_min_fminimizer_free(s);
    return NEV_OK;                 /* keep the grid point */
  }
  for (it = 0; it < 100; it++) {
    if (gsl_min_fminimizer_iterate(s) != GSL_SUCCESS) break;
    if (mp.st != NEV_OK) break;
    if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(s),
                              gsl_min_fminimizer_x_upper(s), tol, 1e-6) ==
        GSL_SUCCESS) break;
  }
  if (mp.st != NEV_OK) { gsl_min_fminimizer_free(s); return mp.st; }
  if (-gsl_min_fminimizer_f_minimum(s) > *fhat) {
    *fhat = -gsl_min_fminimizer_f_minimum(s);
    *xhat = gsl_min_fminimizer_x_minimum(s);
  }
  gsl_min_fminimizer_free(s);
  return NEV_OK;
}

/* ---------- amount part: one-way random effects ---------- */

typedef struct {
  size_t m, p;
  const double *x, *w;     /* x: m x p column-major; w: person weights  */
  double *n, *zbar, *ssw;  /* per person, computed for one lambda       */
  double *un, *uw;         /* distinct positive counts, summed weights  */
  size_t nu;
  gsl_matrix *A;
  gsl_vector *b, *beta;
  const nev_interrupt *intr; /* polled every NEV_POLL_WORK units of work */
  double done;
} re_ws;

/* Per-person n, mean and within sum of squares of the transformed positive
 * recalls; *jac receives sum_i w_i sum_j log y_ij. */
static int re_stats(const nev_recalls *d, double lambda, re_ws *ws,
                    double *jac)
{
  size_t i, j;
  double J = 0.0;
  if (nev_poll(ws->intr, &ws->done, (double) d->ntot))
    return NEV_ERR_INTERRUPT;
  for (i = 0; i < d->m; i++) {
    const double *y = d->y + d->start[i];
    double s = 0.0, ss = 0.0, k = 0.0, mu;
    for (j = 0; j < d->nrec[i]; j++) {
      if (y[j] > 0) { s += boxcox(y[j], lambda); k += 1.0; }
    }
    mu = k > 0 ? s / k : 0.0;
    for (j = 0; j < d->nrec[i]; j++) {
      if (y[j] > 0) {
        double e = boxcox(y[j], lambda) - mu;
        ss += e * e;
        J += d->w[i] * log(y[j]);
      }
    }
    if (!isfinite(mu) || !isfinite(ss)) return NEV_ERR_DOMAIN;
    ws->n[i] = k; ws->zbar[i] = mu; ws->ssw[i] = ss;
  }
  *jac = J;
  return NEV_OK;
}

/* Log-likelihood (ML or REML) with beta and sigma^2 profiled out, at
 * rho = sigma2_b / sigma2_w. */
static int re_loglik(re_ws *ws, double rho, int reml, double *ll,
                     double *sigma2)
{
  size_t i, r, c, p = ws->p, m = ws->m, tda = ws->A->tda;
  double slog = 0.0, N = 0.0, Q = 0.0, logdet = 0.0, df, s2;
  double *A = ws->A->data, *bv = ws->b->data;
  size_t bs = ws->b->stride;
  if (nev_poll(ws->intr, &ws->done, (double) m * (double) (p * p + 2)))
    return NEV_ERR_INTERRUPT;
  gsl_matrix_set_zero(ws->A);
  gsl_vector_set_zero(ws->b);
  for (i = 0; i < m; i++) {
    double ni = ws->n[i], a, wi = ws->w[i];
    if (ni <= 0 || wi == 0) continue;
    a = wi * ni / (1.0 + ni * rho);
    for (r = 0; r < p; r++) {
      double xr = ws->x[r * m + i];
      for (c = 0; c <= r; c++)
        A[r * tda + c] += a * xr * ws->x[c * m + i];
      bv[r * bs] += a * xr * ws->zbar[i];
    }
    N += wi * ni;
  }
  for (i = 0; i < ws->nu; i++) slog += ws->uw[i] * log1p(ws->un[i] * rho);
  for (r = 0; r < p; r++)
    for (c = r + 1; c < p; c++)
      gsl_matrix_set(ws->A, r, c, gsl_matrix_get(ws->A, c, r));
  if (gsl_linalg_cholesky_decomp1(ws->A) != GSL_SUCCESS)
    return NEV_ERR_SINGULAR;
  if (gsl_linalg_cholesky_solve(ws->A, ws->b, ws->beta) != GSL_SUCCESS)
    return NEV_ERR_SINGULAR;
  for (r = 0; r < p; r++) logdet += 2.0 * log(gsl_matrix_get(ws->A, r, r));
  for (i = 0; i < m; i++) {
    double ni = ws->n[i], e;
    if (ni <= 0 || ws->w[i] == 0) continue;
    e = ws->zbar[i];
    for (r = 0; r < p; r++)
      e -= ws->x[r * m + i] * ws->beta->data[r * ws->beta->stride];
    Q += ws->w[i] * (ws->ssw[i] + ni * e * e / (1.0 + ni * rho));
  }
  df = reml ? N - (double) p : N;
  if (!(df > 0)) return NEV_ERR_EMPTY;
  s2 = Q / df;
  if (!(s2 > 0) || !isfinite(s2)) return NEV_ERR_DOMAIN;
  *ll = -0.5 * (df * log(2.0 * M_PI * s2) + slog + df) -
    (reml ? 0.5 * logdet : 0.0);
  if (sigma2) *sigma2 = s2;
  return NEV_OK;
}

/* Maximise over r = rho / (1 + rho) in [0, 1). */
#define R_MAX (1.0 - 1e-9)
typedef struct { re_ws *ws; int reml; } rf_par;

static int rf_obj(double r, void *vp, double *f)
{
  rf_par *P = (rf_par *) vp;
  return re_loglik(P->ws, r / (1.0 - r), P->reml, f, NULL);
}

static int re_fit(re_ws *ws, int reml, double *rho_hat, double *ll_hat,
                  double *sigma2, int *boundary)
{
  rf_par P;
  double r, f;
  int st;
  P.ws = ws; P.reml = reml;
  st = maximise(&rf_obj, &P, 0.0, R_MAX, 15, 1e-8, &r, &f);
  if (st != NEV_OK) return st;
  st = re_loglik(ws, r / (1.0 - r), reml, ll_hat, sigma2);
  if (st != NEV_OK) return st;
  *rho_hat = r / (1.0 - r);
  /* 1: between-person variance at 0; 4: within-person variance at 0 */
  *boundary = r < 1e-7 ? 1 : r > R_MAX - 1e-6 ? 4 : 0;
  return NEV_OK;
}

/* Profile log-likelihood of lambda: ML over the random-effects model of the
 * transformed data plus the Jacobian (lambda - 1) sum log y. */
static int lambda_prof(const nev_recalls *d, re_ws *ws, double lambda,
                       double *f)
{
  double jac, rho, ll, s2;
  int st, bd;
  if ((st = re_stats(d, lambda, ws, &jac)) != NEV_OK) return st;
  if ((st = re_fit(ws, 0, &rho, &ll, &s2, &bd)) != NEV_OK) return st;
  *f = ll + (lambda - 1.0) * jac;
  return NEV_OK;
}

typedef struct { const nev_recalls *d; re_ws *ws; } lp_par2;

static int lam_obj(double lambda, void *vp, double *f)
{
  lp_par2 *P = (lp_par2 *) vp;
  return lambda_prof(P->d, P->ws, lambda, f);
}

/* ---------- probability part: logistic-normal random intercept ---------- */

typedef struct {
  const nev_recalls *d;
  const double *k;         /* positives per person (or per group)        */
  const double *gx, *gw;   /* Gauss-Hermite nodes and weights (exp(-x^2)) */
  size_t ngh;
  /* without covariates persons with the same (recalls, positives) share
   * one likelihood term: ng groups with counts gn, gk and weight gsum */
  size_t ng;
  const double *gn, *gk, *gsum;
} lp_par;

static double log_expit(double e)
{
  return e > 0 ? -log1p(exp(-e)) : e - log1p(exp(e));
}

static double lp_negll(const gsl_vector *th, void *vp)
{
  const lp_par *P = (const lp_par *) vp;
  const nev_recalls *d = P->d;
  size_t i, r, q, p = d->p, m = d->m;
  double sv = exp(gsl_vector_get(th, p)), tot = 0.0;
  size_t nterm = P->ng ? P->ng : m;
  if (!isfinite(sv) || sv > 1e3) return GSL_POSINF;
  for (i = 0; i < nterm; i++) {
    double eta = 0.0, n, k, wi, mx = GSL_NEGINF, s = 0.0, lq[256];
    if (P->ng) {
      n = P->gn[i]; k = P->gk[i]; wi = P->gsum[i];
      eta = gsl_vector_get(th, 0);
    } else {
      n = (double) d->nrec[i]; k = P->k[i]; wi = d->w[i];
      for (r = 0; r < p; r++) eta += d->x[r * m + i] * gsl_vector_get(th, r);
    }
    if (wi == 0) continue;
    for (q = 0; q < P->ngh; q++) {
      double e = eta + M_SQRT2 * sv * P->gx[q];
      lq[q] = log(P->gw[q] / M_SQRTPI) + k * log_expit(e) +
        (n - k) * log_expit(-e);
      if (lq[q] > mx) mx = lq[q];
    }
    for (q = 0; q < P->ngh; q++) s += exp(lq[q] - mx);
    tot += wi * (mx + log(s));
  }
  return isfinite(tot) ? -tot : GSL_POSINF;
}

static int fit_prob(const nev_recalls *d, size_t ngh, nev_usual_fit *fit,
                    const nev_interrupt *intr)
{
  const gsl_multimin_fminimizer_type *T = gsl_multimin_fminimizer_nmsimplex2;
  gsl_multimin_fminimizer *s = NULL;
  gsl_vector *x = NULL, *step = NULL;
  gsl_integration_fixed_workspace *gh = NULL;
  gsl_multimin_function F;
  lp_par P;
  double *k = NULL, *g = NULL, kt = 0.0, nt = 0.0, pbar, done = 0.0;
  size_t i, j, p = d->p, it;
  int st = NEV_OK, status;

  if (ngh > 256) return NEV_ERR_ARG;
  k = malloc(d->m * sizeof(double));
  g = malloc(3 * d->m * sizeof(double));
  gh = gh_alloc(ngh);
  x = gsl_vector_calloc(p + 1);
  step = gsl_vector_alloc(p + 1);
  s = gsl_multimin_fminimizer_alloc(T, p + 1);
  if (!k || !g || !gh || !x || !step || !s) { st = NEV_ERR_NOMEM; goto done; }
  for (i = 0; i < d->m; i++) {
    double c = 0.0;
    for (j = 0; j < d->nrec[i]; j++) c += d->y[d->start[i] + j] > 0;
    k[i] = c; kt += d->w[i] * c; nt += d->w[i] * d->nrec[i];
  }
  pbar = kt / nt;
  if (!(pbar > 0 && pbar < 1)) { st = NEV_ERR_DOMAIN; goto done; }
  gsl_vector_set(x, 0, log(pbar / (1 - pbar)));   /* intercept column */
  gsl_vector_set(x, p, log(0.5));
  gsl_vector_set_all(step, 0.5);
  P.d = d; P.k = k; P.ngh = ngh; P.ng = 0;
  P.gn = g; P.gk = g + d->m; P.gsum = g + 2 * d->m;
  if (p == 1) {
    size_t ng = 0, q;
    for (i = 0; i < d->m; i++) {
      double n = (double) d->nrec[i];
      for (q = 0; q < ng; q++)
        if (g[q] == n && g[d->m + q] == k[i]) break;
      if (q == ng) { g[q] = n; g[d->m + q] = k[i]; g[2 * d->m + q] = 0.0; ng++; }
      g[2 * d->m + q] += d->w[i];
    }
    P.ng = ng;
  }
  P.gx = gsl_integration_fixed_nodes(gh);
  P.gw = gsl_integration_fixed_weights(gh);
  F.n = p + 1; F.f = &lp_negll; F.params = &P;
  if (gsl_multimin_fminimizer_set(s, &F, x, step) != GSL_SUCCESS) {
    st = NEV_ERR_GSL; goto done;
  }
  fit->converged_p = 0;
  for (it = 0; it < 5000; it++) {
    /* an iteration costs a few evaluations of ngh terms per group */
    if (nev_poll(intr, &done, 4.0 * (double) ngh *
                 (double) (P.ng ? P.ng : d->m) * (double) (p + 1))) {
      st = NEV_ERR_INTERRUPT;
      goto done;
    }
    status = gsl_multimin_fminimizer_iterate(s);
    if (status) break;
    if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-6) ==
        GSL_SUCCESS) { fit->converged_p = 1; break; }
  }
  for (j = 0; j < p; j++) fit->gamma[j] = gsl_vector_get(s->x, j);
  fit->sigma2_v = exp(2.0 * gsl_vector_get(s->x, p));
  fit->loglik_p = -s->fval;
  if (!isfinite(fit->loglik_p)) st = NEV_ERR_DOMAIN;
done:
  if (s) gsl_multimin_fminimizer_free(s);
  if (x) gsl_vector_free(x);
  if (step) gsl_vector_free(step);
  if (gh) gsl_integration_fixed_free(gh);
  free(k);
  free(g);
  return st;
}

/* ---------- the whole fit ---------- */

static int recalls_check(const nev_recalls *d, int episodic)
{
  size_t i, j, pairs = 0;
  double sw = 0.0;
  if (!d || !d->y || !d->start || !d->nrec || !d->x || !d->w) return NEV_ERR_ARG;
  if (d->m == 0 || d->p == 0 || d->ntot == 0) return NEV_ERR_EMPTY;
  for (i = 0; i < d->m; i++) {
    size_t pos = 0;
    /* overflow-safe form of start + nrec > ntot */
    if (d->nrec[i] == 0 || d->start[i] > d->ntot ||
        d->nrec[i] > d->ntot - d->start[i])
      return NEV_ERR_ARG;
    if (!isfinite(d->w[i]) || d->w[i] < 0) return NEV_ERR_DOMAIN;
    sw += d->w[i];
    for (j = 0; j < d->p; j++)
      if (!isfinite(d->x[j * d->m + i])) return NEV_ERR_DOMAIN;
    for (j = 0; j < d->nrec[i]; j++) {
      double y = d->y[d->start[i] + j];
      if (!isfinite(y) || y < 0 || (!episodic && y == 0)) return NEV_ERR_DOMAIN;
      pos += y > 0;
    }
    if (pos >= 2 && d->w[i] > 0) pairs += pos - 1;
  }
  if (!(sw > 0)) return NEV_ERR_DOMAIN;
  /* the within-person variance needs two positive recalls for someone */
  if (pairs == 0) return NEV_ERR_EMPTY;
  return NEV_OK;
}

int nev_usual_estimate(const nev_recalls *d, int episodic, double lambda_fixed,
                       double lambda_lo, double lambda_hi, size_t ngh,
                       nev_usual_fit *fit, const nev_interrupt *intr)
{
  re_ws ws;
  double *buf = NULL, lam, rho, ll, s2, jac;
  int st, bd = 0, k, G;
  const double step = 0.1;

  if (!fit || !fit->beta || (episodic && !fit->gamma) || ngh < 1)
    return NEV_ERR_ARG;
  st = recalls_check(d, episodic);
  if (st != NEV_OK) return st;
  if (isnan(lambda_fixed) &&
      (!isfinite(lambda_lo) || !isfinite(lambda_hi) || lambda_lo >= lambda_hi ||
       !((lambda_hi - lambda_lo) / step <= 1e6)))
    return NEV_ERR_ARG;
  memset(&ws, 0, sizeof ws);
  ws.m = d->m; ws.p = d->p; ws.x = d->x; ws.w = d->w; ws.intr = intr;
  buf = malloc(5 * d->m * sizeof(double));
  ws.A = gsl_matrix_alloc(d->p, d->p);
  ws.b = gsl_vector_alloc(d->p);
  ws.beta = gsl_vector_alloc(d->p);
  if (!buf || !ws.A || !ws.b || !ws.beta) { st = NEV_ERR_NOMEM; goto done; }
  ws.n = buf; ws.zbar = buf + d->m; ws.ssw = buf + 2 * d->m;
  ws.un = buf + 3 * d->m; ws.uw = buf + 4 * d->m; ws.nu = 0;
  /* the counts of positive recalls do not depend on lambda: group them */
  if ((st = re_stats(d, 1.0, &ws, &jac)) != NEV_OK) goto done;
  for (k = 0; k < (int) d->m; k++) {
    size_t q;
    if (ws.n[k] <= 0 || d->w[k] == 0) continue;
    for (q = 0; q < ws.nu; q++) if (ws.un[q] == ws.n[k]) break;
    if (q == ws.nu) { ws.un[q] = ws.n[k]; ws.uw[q] = 0.0; ws.nu++; }
    ws.uw[q] += d->w[k];
  }

  fit->boundary = 0;
  if (!isnan(lambda_fixed)) {
    lam = lambda_fixed;
  } else {
    lp_par2 P2;
    double fl;
    P2.d = d; P2.ws = &ws;
    G = (int) ceil((lambda_hi - lambda_lo) / step) + 1;
    st = maximise(&lam_obj, &P2, lambda_lo, lambda_hi, G, 1e-5, &lam, &fl);
    if (st != NEV_OK) goto done;
    if (lam - lambda_lo < 1e-6 || lambda_hi - lam < 1e-6) fit->boundary |= 2;
  }
  fit->lambda = lam;
  /* ML log-likelihood of the data at lambda (Jacobian included) */
  if ((st = lambda_prof(d, &ws, lam, &fit->loglik)) != NEV_OK) goto done;
  /* variance components by REML at lambda */
  if ((st = re_stats(d, lam, &ws, &jac)) != NEV_OK) goto done;
  if ((st = re_fit(&ws, 1, &rho, &ll, &s2, &bd)) != NEV_OK) goto done;
  fit->boundary |= bd;
  fit->sigma2_w = s2;
  fit->sigma2_b = rho * s2;
  for (k = 0; k < (int) d->p; k++) fit->beta[k] = gsl_vector_get(ws.beta, k);
  fit->episodic = episodic;
  fit->converged_p = 1;
  if (episodic) {
    if ((st = fit_prob(d, ngh, fit, intr)) != NEV_OK) goto done;
  } else {
    fit->sigma2_v = 0.0; fit->loglik_p = 0.0;
  }
  st = fit->boundary ? NEV_WARN_BOUNDARY : NEV_OK;
  if (episodic && !fit->converged_p) st = NEV_WARN_NOCONV;
done:
  free(buf);
  if (ws.A) gsl_matrix_free(ws.A);
  if (ws.b) gsl_vector_free(ws.b);
  if (ws.beta) gsl_vector_free(ws.beta);
  return st;
}

/* ---------- the usual-intake distribution ---------- */

static double expit(double e) { return 1.0 / (1.0 + exp(-e)); }

int nev_usual_sample(const nev_recalls *d, const nev_usual_fit *fit,
                     size_t K, size_t ngh, double *out_u, double *out_w)
{
  gsl_integration_fixed_workspace *gh;
  size_t i, k, l, r, npat, p, m, o = 0;
  double *z, *h, *pr, sb, sv, sw = 0.0;
  int st = NEV_OK;
  if (!d || !fit || !out_u || !out_w || K < 1 || ngh < 1) return NEV_ERR_ARG;
  if (!isfinite(fit->lambda) || !(fit->sigma2_b >= 0) ||
      !(fit->sigma2_w >= 0) || !isfinite(fit->sigma2_b) ||
      !isfinite(fit->sigma2_w)) return NEV_ERR_DOMAIN;
  if (fit->episodic && (!(fit->sigma2_v >= 0) || !isfinite(fit->sigma2_v)))
    return NEV_ERR_DOMAIN;
  m = d->m; p = d->p;
  if (m == 0 || p == 0) return NEV_ERR_EMPTY;
  for (i = 0; i < m; i++) {
    if (!isfinite(d->w[i]) || d->w[i] < 0) return NEV_ERR_DOMAIN;
    sw += d->w[i];
  }
  if (!(sw > 0)) return NEV_ERR_DOMAIN;
  npat = p == 1 ? 1 : m;     /* without covariates every person is alike */
  z = malloc(3 * K * sizeof(double));
  gh = gh_alloc(ngh);
  if (!z || !gh) { st = NEV_ERR_NOMEM; goto done; }
  h = z + K; pr = z + 2 * K;
  for (k = 0; k < K; k++) z[k] = gsl_cdf_ugaussian_Pinv((k + 0.5) / K);
  sb = sqrt(fit->sigma2_b);
  sv = sqrt(fit->sigma2_v);
  for (i = 0; i < npat; i++) {
    double mu = 0.0, eta = 0.0, wi = p == 1 ? 1.0 : d->w[i] / sw;
    for (r = 0; r < p; r++) {
      mu += d->x[r * m + i] * fit->beta[r];
      if (fit->episodic) eta += d->x[r * m + i] * fit->gamma[r];
    }
    for (k = 0; k < K; k++) {
      st = bt_eval(gh, mu + sb * z[k], fit->lambda, sqrt(fit->sigma2_w),
                   h + k);
      if (st != NEV_OK) goto done;
      if (fit->episodic) pr[k] = expit(eta + sv * z[k]);
    }
    if (!fit->episodic) {
      for (k = 0; k < K; k++) { out_u[o] = h[k]; out_w[o++] = wi / K; }
    } else {
      for (k = 0; k < K; k++)
        for (l = 0; l < K; l++) {
          out_u[o] = pr[l] * h[k];
          out_w[o++] = wi / ((double) K * K);
        }
    }
  }
done:
  free(z);
  if (gh) gsl_integration_fixed_free(gh);
  return st;
}

int nev_wquantile(const double *x, const double *w, size_t n,
                  const double *probs, size_t np, double *out)
{
  size_t *ix, i, j;
  double W = 0.0, *P;
  if (!x || !w || !probs || !out) return NEV_ERR_ARG;
  if (n == 0) return NEV_ERR_EMPTY;
  for (i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(w[i]) || w[i] < 0) return NEV_ERR_DOMAIN;
    W += w[i];
  }
  if (!(W > 0)) return NEV_ERR_DOMAIN;
  for (j = 0; j < np; j++)
    if (!(probs[j] >= 0 && probs[j] <= 1)) return NEV_ERR_DOMAIN;
  ix = malloc(n * sizeof(size_t));
  P = malloc(n * sizeof(double));
  if (!ix || !P) { free(ix); free(P); return NEV_ERR_NOMEM; }
  gsl_sort_index(ix, x, 1, n);
  /* midpoint of each point's weight on the cumulative scale */
  {
    double c = 0.0;
    for (i = 0; i < n; i++) {
      double wi = w[ix[i]] / W;
      P[i] = c + 0.5 * wi;
      c += wi;
    }
  }
  for (j = 0; j < np; j++) {
    double pj = probs[j];
    size_t lo = 0, hi = n - 1;
    if (pj <= P[0]) { out[j] = x[ix[0]]; continue; }
    if (pj >= P[n - 1]) { out[j] = x[ix[n - 1]]; continue; }
    while (hi - lo > 1) {          /* P[lo] < pj <= P[hi] */
      size_t mid = lo + (hi - lo) / 2;
      if (P[mid] < pj) lo = mid; else hi = mid;
    }
    if (P[hi] > P[lo])
      out[j] = x[ix[lo]] + (x[ix[hi]] - x[ix[lo]]) * (pj - P[lo]) /
        (P[hi] - P[lo]);
    else
      out[j] = x[ix[hi]];
  }
  free(ix); free(P);
  return NEV_OK;
}
