/* The NCI two-part model (Tooze et al. 2006; Kipnis et al. 2009) by
 * maximum likelihood.
 *
 * Person i, day j: consumption with probability expit(x_ij'gamma + v_i);
 * on a consumption day the Box-Cox transformed amount is
 * z_ij = x_ij'beta + u_i + e_ij, e_ij ~ N(0, sigma_w^2); (v_i, u_i) are
 * bivariate normal with SDs sigma_v, sigma_u and correlation rho.
 *
 * With v_i = sigma_v b_i (b_i standard normal), u_i given b_i is
 * N(rho sigma_u b_i, tau^2 = sigma_u^2 (1 - rho^2)), and the amounts are
 * Gaussian in u_i: u_i is integrated out exactly (compound symmetry), which
 * leaves one integral over b_i per person. That integral is done by
 * adaptive Gauss-Hermite quadrature: centred at the mode of the
 * integrand (Newton's method on a strictly concave function) and scaled
 * by its curvature. The score is the posterior mean of the complete-data
 * score over the same nodes. */
#include "intake_nci.h"
#include "nev_status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_cdf.h>

#define LOG_2PI 1.8378770664093453

/* Layout of theta. */
typedef struct {
  size_t p, su, sw, g, sv, rh, lam, n;
} nci_idx;

static nci_idx nci_layout(const nev_nci_spec *s, size_t p)
{
  nci_idx ix;
  size_t k = p + 2;
  ix.p = p; ix.su = p; ix.sw = p + 1;
  ix.g = ix.sv = ix.rh = ix.lam = (size_t) -1;
  if (s->episodic) {
    ix.g = k; k += p;
    ix.sv = k++;
    if (!s->fix_rho) ix.rh = k++;
  }
  if (!s->fix_lambda) ix.lam = k++;
  ix.n = k;
  return ix;
}

size_t nev_nci_npar(const nev_nci_spec *s, size_t p)
{
  return nci_layout(s, p).n;
}

/* Box-Cox transform of y > 0 and its derivative in lambda, stable near
 * lambda = 0 (z = log y there). */
static void boxcox_d(double y, double lambda, double *z, double *dz)
{
  double L = log(y), t = lambda * L;
  if (fabs(t) < 1e-3) {
    *z = L * (1.0 + t / 2.0 + t * t / 6.0 + t * t * t / 24.0);
    *dz = L * L * (0.5 + t / 3.0 + t * t / 8.0);
  } else {
    double et = exp(t);
    *z = L * expm1(t) / t;
    *dz = L * L * (t * et - et + 1.0) / (t * t);
  }
}

/* log(1 + exp(e)) and expit(e) from one exponential. */
static void logistic(double e, double *l1pe, double *p)
{
  double ex = exp(-fabs(e));
  *l1pe = (e > 0 ? e : 0.0) + log1p(ex);
  *p = e >= 0 ? 1.0 / (1.0 + ex) : ex / (1.0 + ex);
}

static double expit(double e)
{
  return e >= 0 ? 1.0 / (1.0 + exp(-e)) : exp(e) / (1.0 + exp(e));
}

/* Parameters unpacked from theta. */
typedef struct {
  const double *beta, *gamma;
  double su, s2w, sv, rho, lambda, tau2, c;
} nci_par;

static int nci_unpack(const nev_nci_spec *s, const nci_idx *ix,
                      const double *th, nci_par *q)
{
  q->beta = th;
  q->su = exp(th[ix->su]);
  q->s2w = exp(2.0 * th[ix->sw]);
  q->gamma = s->episodic ? th + ix->g : NULL;
  q->sv = s->episodic ? exp(th[ix->sv]) : 0.0;
  q->rho = !s->episodic ? 0.0 : s->fix_rho ? s->rho : tanh(th[ix->rh]);
  q->lambda = s->fix_lambda ? s->lambda : th[ix->lam];
  q->tau2 = q->su * q->su * (1.0 - q->rho * q->rho);
  q->c = q->rho * q->su;
  if (!isfinite(q->su) || !isfinite(q->s2w) || !isfinite(q->sv) ||
      !(q->s2w > 0) || !isfinite(q->lambda) || fabs(q->rho) >= 1.0)
    return NEV_ERR_DOMAIN;
  return NEV_OK;
}

/* Work space for one evaluation. */
typedef struct {
  double *eta0, *r, *dz;   /* per day: x'gamma, z - x'beta, dz/dlambda */
  double *lw, *bq;         /* per node */
  double *pq;              /* per node and day: consumption probability */
  double *wzero;           /* per recall count: weight of persons with
                            * no consumption day (intercept-only model) */
  double *bcache;          /* per person: last mode (NULL: start at 0) */
  size_t maxn;
} nci_ws;

/* Amount-part summaries of one person's consumption days. */
typedef struct {
  double k, rbar, S, logy, D;
} amt_sum;

/* Concave log integrand h(b) (without constants), and h', h''. */
static void h_eval_p(const double *eta0, const double *y, size_t n,
                     const nci_par *q, const amt_sum *a, double b, double *h,
                     double *h1, double *h2, double *pstore)
{
  double s = 0.0, s1 = 0.0, s2 = 0.0, e;
  size_t j;
  for (j = 0; j < n; j++) {
    double eta = eta0[j] + q->sv * b, l1, pj;
    double I = y[j] > 0 ? 1.0 : 0.0;
    logistic(eta, &l1, &pj);
    if (pstore) pstore[j] = pj;
    s += I * eta - l1;
    s1 += I - pj;
    s2 += pj * (1.0 - pj);
  }
  e = a->rbar - q->c * b;
  *h = s - (a->k > 0 ? a->k * e * e / (2.0 * a->D) : 0.0) - 0.5 * b * b;
  *h1 = q->sv * s1 + (a->k > 0 ? a->k * q->c * e / a->D : 0.0) - b;
  *h2 = -q->sv * q->sv * s2 -
    (a->k > 0 ? a->k * q->c * q->c / a->D : 0.0) - 1.0;
}

static void h_eval(const double *eta0, const double *y, size_t n,
                   const nci_par *q, const amt_sum *a, double b, double *h,
                   double *h1, double *h2)
{
  h_eval_p(eta0, y, n, q, a, b, h, h1, h2, NULL);
}

/* Mode of h by Newton's method with step halving (h is strictly concave,
 * h'' <= -1); *h2 receives h'' at the mode. */
static double h_mode(const double *eta0, const double *y, size_t n,
                     const nci_par *q, const amt_sum *a, double b,
                     double *h2)
{
  double h, h1, hn, h1n, h2n;
  int it, half;
  h_eval(eta0, y, n, q, a, b, &h, &h1, h2);
  for (it = 0; it < 100; it++) {
    double step = -h1 / *h2, bn = b + step;
    for (half = 0; half < 40; half++) {
      h_eval(eta0, y, n, q, a, bn, &hn, &h1n, &h2n);
      if (hn >= h - 1e-12 * (1.0 + fabs(h))) break;
      step *= 0.5; bn = b + step;
    }
    b = bn; h = hn; h1 = h1n; *h2 = h2n;
    if (fabs(step) < 1e-10 * (1.0 + fabs(b))) break;
  }
  return b;
}

/* One person's contribution to the log-likelihood and (if g) the score,
 * added with weight wi. */
static int person_ll(const nev_nci_data *d, const nev_nci_spec *s,
                     const nci_idx *ix, const nci_par *q, size_t i,
                     double wi, const double *gx, const double *gw,
                     nci_ws *ws, double *ll, double *g)
{
  size_t j, r, n = d->nrec[i], p = d->p, st = d->start[i], Q = s->ngh, t;
  const double *y = d->y + st;
  double sumdz = 0.0, sdzr = 0.0, li;
  double Ee = 0.0, Ee2 = 0.0, Eeb = 0.0, Ebp = 0.0;
  amt_sum a;
  memset(&a, 0, sizeof a);
  if (wi == 0) return NEV_OK;
  for (j = 0; j < n; j++) {
    double xb = 0.0;
    if (y[j] <= 0) continue;
    boxcox_d(y[j], q->lambda, ws->r + j, ws->dz + j);
    for (r = 0; r < p; r++) xb += d->x[r * d->ntot + st + j] * q->beta[r];
    ws->r[j] -= xb;
    a.k += 1.0; a.rbar += ws->r[j]; a.logy += log(y[j]);
  }
  if (a.k > 0) {
    a.rbar /= a.k;
    for (j = 0; j < n; j++) {
      double e;
      if (y[j] <= 0) continue;
      e = ws->r[j] - a.rbar;
      a.S += e * e; sumdz += ws->dz[j]; sdzr += ws->dz[j] * e;
    }
    a.D = q->s2w + a.k * q->tau2;
    li = -0.5 * a.k * LOG_2PI - 0.5 * (a.k - 1.0) * log(q->s2w) -
      0.5 * log(a.D) - a.S / (2.0 * q->s2w) + (q->lambda - 1.0) * a.logy;
  } else {
    li = 0.0;
  }
  if (!s->episodic) {
    li -= a.k * a.rbar * a.rbar / (2.0 * a.D);
    Ee = a.rbar; Ee2 = a.rbar * a.rbar;
  } else {
    double h2, b0, sc, mx = -INFINITY, lse = 0.0;
    for (j = 0; j < n; j++) {
      double e = 0.0;
      for (r = 0; r < p; r++) e += d->x[r * d->ntot + st + j] * q->gamma[r];
      ws->eta0[j] = e;
    }
    b0 = h_mode(ws->eta0, y, n, q, &a, ws->bcache ? ws->bcache[i] : 0.0,
                &h2);
    if (ws->bcache) ws->bcache[i] = b0;
    sc = M_SQRT2 / sqrt(-h2);
    for (t = 0; t < Q; t++) {
      double h, h1n, h2n;
      ws->bq[t] = b0 + sc * gx[t];
      h_eval_p(ws->eta0, y, n, q, &a, ws->bq[t], &h, &h1n, &h2n,
               ws->pq + t * ws->maxn);
      ws->lw[t] = log(gw[t]) + gx[t] * gx[t] + h;
      if (ws->lw[t] > mx) mx = ws->lw[t];
    }
    for (t = 0; t < Q; t++) lse += exp(ws->lw[t] - mx);
    lse = mx + log(lse);
    li += log(sc) + lse - 0.5 * LOG_2PI;
    if (g) {
      for (t = 0; t < Q; t++) {
        double pi = exp(ws->lw[t] - lse), b = ws->bq[t], e, P = 0.0;
        for (j = 0; j < n; j++) {
          double res = (y[j] > 0 ? 1.0 : 0.0) - ws->pq[t * ws->maxn + j];
          P += res;
          for (r = 0; r < p; r++)
            g[ix->g + r] += wi * pi * res * d->x[r * d->ntot + st + j];
        }
        Ebp += pi * b * P;
        e = a.rbar - q->c * b;
        Ee += pi * e; Ee2 += pi * e * e; Eeb += pi * e * b;
      }
      g[ix->sv] += wi * q->sv * Ebp;
    }
  }
  if (!isfinite(li)) return NEV_ERR_DOMAIN;
  *ll += wi * li;
  if (g && a.k > 0) {
    double D = a.D, k = a.k, gt, gc;
    for (j = 0; j < n; j++) {
      if (y[j] <= 0) continue;
      for (r = 0; r < p; r++)
        g[r] += wi * ((ws->r[j] - a.rbar) / q->s2w + Ee / D) *
          d->x[r * d->ntot + st + j];
    }
    g[ix->sw] += wi * (-(k - 1.0) + a.S / q->s2w - q->s2w / D +
                       k * q->s2w * Ee2 / (D * D));
    gt = k * (-1.0 / (2.0 * D) + k * Ee2 / (2.0 * D * D));
    gc = k * Eeb / D;
    g[ix->su] += wi * (gt * 2.0 * q->tau2 + gc * q->c);
    if (s->episodic && !s->fix_rho) {
      double om = 1.0 - q->rho * q->rho;
      g[ix->rh] += wi * (gt * (-2.0 * q->su * q->su * q->rho * om) +
                         gc * q->su * om);
    }
    if (!s->fix_lambda)
      g[ix->lam] += wi * (a.logy - sdzr / q->s2w - Ee / D * sumdz);
  }
  return NEV_OK;
}

static size_t nci_maxn(const nev_nci_data *d)
{
  size_t i, mx = 1;
  for (i = 0; i < d->m; i++) if (d->nrec[i] > mx) mx = d->nrec[i];
  return mx;
}

static int ws_alloc(nci_ws *ws, const nev_nci_data *d, size_t ngh,
                    int cache)
{
  ws->maxn = nci_maxn(d);
  ws->eta0 = malloc((3 * ws->maxn + 2 * ngh + ngh * ws->maxn + ws->maxn + 1) *
                    sizeof(double));
  ws->bcache = cache ? calloc(d->m, sizeof(double)) : NULL;
  if (!ws->eta0 || (cache && !ws->bcache)) {
    free(ws->eta0); free(ws->bcache);
    return NEV_ERR_NOMEM;
  }
  ws->r = ws->eta0 + ws->maxn;
  ws->dz = ws->r + ws->maxn;
  ws->lw = ws->dz + ws->maxn;
  ws->bq = ws->lw + ngh;
  ws->pq = ws->bq + ngh;
  ws->wzero = ws->pq + ngh * ws->maxn;
  return NEV_OK;
}

static void ws_free(nci_ws *ws)
{
  free(ws->eta0);
  free(ws->bcache);
}

static int none_positive(const nev_nci_data *d, size_t i)
{
  size_t j;
  for (j = 0; j < d->nrec[i]; j++) if (d->y[d->start[i] + j] > 0) return 0;
  return 1;
}

static int nci_eval(const nev_nci_data *d, const nev_nci_spec *s,
                    const double *th, const gsl_integration_fixed_workspace
                    *gh, nci_ws *ws, double *ll, double *grad)
{
  nci_idx ix = nci_layout(s, d->p);
  nci_par q;
  size_t i;
  int st;
  const double *gx = gh ? gsl_integration_fixed_nodes(gh) : NULL;
  const double *gw = gh ? gsl_integration_fixed_weights(gh) : NULL;
  *ll = 0.0;
  if (grad) memset(grad, 0, ix.n * sizeof(double));
  if ((st = nci_unpack(s, &ix, th, &q)) != NEV_OK) return st;
  /* With the intercept as the only column, persons without a consumption
   * day contribute the same term for the same number of recalls: one
   * evaluation per recall count, with their summed weight. */
  if (d->p == 1 && s->episodic)
    memset(ws->wzero, 0, (ws->maxn + 1) * sizeof(double));
  for (i = 0; i < d->m; i++) {
    /* poll about every 0.1 s of work */
    if ((i & 0x7FFF) == 0x7FFF && nev_interrupted(s->interrupt))
      return NEV_ERR_INTERRUPT;
    if (d->p == 1 && s->episodic && none_positive(d, i)) {
      ws->wzero[d->nrec[i]] += d->w[i];
      continue;
    }
    if ((st = person_ll(d, s, &ix, &q, i, d->w[i], gx, gw, ws, ll, grad)) !=
        NEV_OK)
      return st;
  }
  if (d->p == 1 && s->episodic)
    for (i = 0; i < d->m; i++) {
      size_t n = d->nrec[i];
      if (ws->wzero[n] > 0 && none_positive(d, i)) {
        if ((st = person_ll(d, s, &ix, &q, i, ws->wzero[n], gx, gw, ws, ll,
                            grad)) != NEV_OK)
          return st;
        ws->wzero[n] = 0.0;
      }
    }
  if (!isfinite(*ll)) return NEV_ERR_DOMAIN;
  return NEV_OK;
}

int nev_nci_check(const nev_nci_data *d, const nev_nci_spec *s)
{
  size_t i, j, npos = 0, nzero = 0;
  double sw = 0.0;
  if (!d || !s || !d->y || !d->x || !d->w || !d->start || !d->nrec)
    return NEV_ERR_ARG;
  if (d->m == 0 || d->p == 0 || d->ntot == 0) return NEV_ERR_EMPTY;
  if (s->episodic && (s->ngh < 1 || s->ngh > 256)) return NEV_ERR_ARG;
  if (s->maxiter < 1 || !(s->tol > 0)) return NEV_ERR_ARG;
  if (s->fix_lambda && !isfinite(s->lambda)) return NEV_ERR_ARG;
  if (s->episodic && s->fix_rho && !(fabs(s->rho) < 1)) return NEV_ERR_ARG;
  for (i = 0; i < d->m; i++) {
    if (d->nrec[i] == 0 || d->start[i] > d->ntot ||
        d->nrec[i] > d->ntot - d->start[i])
      return NEV_ERR_ARG;
    if (!isfinite(d->w[i]) || d->w[i] < 0) return NEV_ERR_DOMAIN;
    sw += d->w[i];
  }
  for (j = 0; j < d->ntot; j++) {
    if (!isfinite(d->y[j]) || d->y[j] < 0) return NEV_ERR_DOMAIN;
    if (d->y[j] > 0) npos++; else nzero++;
  }
  for (j = 0; j < d->ntot * d->p; j++)
    if (!isfinite(d->x[j])) return NEV_ERR_DOMAIN;
  if (!(sw > 0) || npos == 0) return NEV_ERR_DOMAIN;
  if (!s->episodic && nzero > 0) return NEV_ERR_DOMAIN;
  return NEV_OK;
}

int nev_nci_loglik(const nev_nci_data *d, const nev_nci_spec *s,
                   const double *theta, double *ll, double *grad)
{
  gsl_integration_fixed_workspace *gh = NULL;
  nci_ws ws;
  int st = nev_nci_check(d, s);
  if (st != NEV_OK) return st;
  if (!theta || !ll) return NEV_ERR_ARG;
  if (s->episodic) {
    gh = gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, s->ngh,
                                     0.0, 1.0, 0.0, 0.0);
    if (!gh) return NEV_ERR_NOMEM;
  }
  if ((st = ws_alloc(&ws, d, s->ngh, 0)) != NEV_OK) {
    if (gh) gsl_integration_fixed_free(gh);
    return st;
  }
  st = nci_eval(d, s, theta, gh, &ws, ll, grad);
  ws_free(&ws);
  if (gh) gsl_integration_fixed_free(gh);
  return st;
}

/* ---------- maximisation (BFGS on minus the mean log-likelihood) ---------- */

typedef struct {
  const nev_nci_data *d;
  const nev_nci_spec *s;
  const gsl_integration_fixed_workspace *gh;
  nci_ws *ws;
  double W;       /* total weight */
  double *grad;   /* length npar */
  int st;
} opt_par;

static void opt_fdf(const gsl_vector *x, void *vp, double *f, gsl_vector *g)
{
  opt_par *P = (opt_par *) vp;
  size_t k, n = x->size;
  double ll, *th = x->data;
  int st;
  double tmp[64];
  if (x->stride != 1) {
    for (k = 0; k < n; k++) tmp[k] = gsl_vector_get(x, k);
    th = tmp;
  }
  st = nci_eval(P->d, P->s, th, P->gh, P->ws, &ll, g ? P->grad : NULL);
  if (st == NEV_ERR_INTERRUPT) P->st = st;
  if (st != NEV_OK) {
    if (f) *f = GSL_POSINF;
    if (g) gsl_vector_set_zero(g);
    return;
  }
  if (f) *f = -ll / P->W;
  if (g) for (k = 0; k < n; k++) gsl_vector_set(g, k, -P->grad[k] / P->W);
}

static double opt_f(const gsl_vector *x, void *vp)
{
  double f;
  opt_fdf(x, vp, &f, NULL);
  return f;
}

static void opt_df(const gsl_vector *x, void *vp, gsl_vector *g)
{
  opt_fdf(x, vp, NULL, g);
}

static double max_abs(const gsl_vector *g)
{
  size_t k;
  double m = 0.0;
  for (k = 0; k < g->size; k++)
    if (fabs(gsl_vector_get(g, k)) > m) m = fabs(gsl_vector_get(g, k));
  return m;
}

int nev_nci_fit(const nev_nci_data *d, const nev_nci_spec *s, double *theta,
                double *ll, int *iter, int *converged)
{
  gsl_integration_fixed_workspace *gh = NULL;
  gsl_multimin_fdfminimizer *mn = NULL;
  gsl_vector *x = NULL;
  gsl_multimin_function_fdf F;
  nci_ws ws;
  opt_par P;
  size_t npar, k, i, it = 0;
  int st = nev_nci_check(d, s), ws_ok = 0;
  if (st != NEV_OK) return st;
  if (!theta || !ll || !iter || !converged) return NEV_ERR_ARG;
  npar = nev_nci_npar(s, d->p);
  if (npar > 64) return NEV_ERR_ARG;
  *converged = 0; *iter = 0;
  memset(&P, 0, sizeof P);
  if (s->episodic) {
    gh = gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, s->ngh,
                                     0.0, 1.0, 0.0, 0.0);
    if (!gh) { st = NEV_ERR_NOMEM; goto done; }
  }
  if ((st = ws_alloc(&ws, d, s->ngh, 1)) != NEV_OK) goto done;
  ws_ok = 1;
  P.grad = malloc(npar * sizeof(double));
  x = gsl_vector_alloc(npar);
  mn = gsl_multimin_fdfminimizer_alloc(
    gsl_multimin_fdfminimizer_vector_bfgs2, npar);
  if (!P.grad || !x || !mn) { st = NEV_ERR_NOMEM; goto done; }
  P.d = d; P.s = s; P.gh = gh; P.ws = &ws;
  for (i = 0; i < d->m; i++) P.W += d->w[i];
  for (k = 0; k < npar; k++) gsl_vector_set(x, k, theta[k]);
  F.n = npar; F.f = &opt_f; F.df = &opt_df; F.fdf = &opt_fdf; F.params = &P;
  if ((st = nci_eval(d, s, theta, gh, &ws, ll, NULL)) != NEV_OK) goto done;
  if (gsl_multimin_fdfminimizer_set(mn, &F, x, 0.05, 0.1) != GSL_SUCCESS) {
    st = P.st == NEV_ERR_INTERRUPT ? P.st : NEV_ERR_GSL; goto done;
  }
  for (it = 0; it < s->maxiter; it++) {
    int gst;
    if (max_abs(mn->gradient) < s->tol) { *converged = 1; break; }
    if (nev_interrupted(s->interrupt)) { st = NEV_ERR_INTERRUPT; goto done; }
    gst = gsl_multimin_fdfminimizer_iterate(mn);
    if (P.st == NEV_ERR_INTERRUPT) { st = NEV_ERR_INTERRUPT; goto done; }
    if (gst != GSL_SUCCESS) {
      /* no further progress: converged if the score is nearly zero */
      *converged = max_abs(mn->gradient) < 100 * s->tol;
      break;
    }
  }
  if (it == s->maxiter && max_abs(mn->gradient) < s->tol) *converged = 1;
  for (k = 0; k < npar; k++) theta[k] = gsl_vector_get(mn->x, k);
  *iter = (int) it;
  st = nci_eval(d, s, theta, gh, &ws, ll, NULL);
  if (st == NEV_OK && !*converged) st = NEV_WARN_NOCONV;
done:
  if (mn) gsl_multimin_fdfminimizer_free(mn);
  if (x) gsl_vector_free(x);
  free(P.grad);
  if (ws_ok) ws_free(&ws);
  if (gh) gsl_integration_fixed_free(gh);
  return st;
}

int nev_nci_hessian(const nev_nci_data *d, const nev_nci_spec *s,
                    const double *theta, double *hess)
{
  size_t npar, k, l;
  double *th = NULL, *gp = NULL, *gm = NULL, ll;
  int st = nev_nci_check(d, s);
  if (st != NEV_OK) return st;
  if (!theta || !hess) return NEV_ERR_ARG;
  npar = nev_nci_npar(s, d->p);
  th = malloc(3 * npar * sizeof(double));
  if (!th) return NEV_ERR_NOMEM;
  gp = th + npar; gm = gp + npar;
  for (k = 0; k < npar && st == NEV_OK; k++) {
    double h = 1e-4 * (1.0 + fabs(theta[k]));
    if (nev_interrupted(s->interrupt)) { st = NEV_ERR_INTERRUPT; break; }
    memcpy(th, theta, npar * sizeof(double));
    th[k] = theta[k] + h;
    if ((st = nev_nci_loglik(d, s, th, &ll, gp)) != NEV_OK) break;
    th[k] = theta[k] - h;
    if ((st = nev_nci_loglik(d, s, th, &ll, gm)) != NEV_OK) break;
    for (l = 0; l < npar; l++) hess[k * npar + l] = (gp[l] - gm[l]) / (2 * h);
  }
  if (st == NEV_OK)
    for (k = 0; k < npar; k++)
      for (l = 0; l < k; l++) {
        double a = 0.5 * (hess[k * npar + l] + hess[l * npar + k]);
        hess[k * npar + l] = hess[l * npar + k] = a;
      }
  free(th);
  return st;
}

/* ---------- the usual-intake distribution ---------- */

static double boxcox_inv(double v, double lambda)
{
  double b;
  if (fabs(lambda) < 1e-10) return exp(v);
  b = 1.0 + lambda * v;
  if (b <= 0.0) return lambda > 0 ? 0.0 : GSL_POSINF;
  return pow(b, 1.0 / lambda);
}

/* E[g^{-1}(t + e)], e ~ N(0, sigma_w^2), by Gauss-Hermite (weight
 * exp(-x^2)). */
static double bt_mean(const double *gx, const double *gw, size_t ngh,
                      double t, double sigma_w, double lambda)
{
  double s = 0.0;
  size_t q;
  for (q = 0; q < ngh; q++)
    s += gw[q] * boxcox_inv(t + M_SQRT2 * sigma_w * gx[q], lambda);
  return s / M_SQRTPI;
}

int nev_nci_sample(size_t npat, size_t ns, const double *mu,
                   const double *eta, const double *mix, const double *pw,
                   int episodic, double lambda, double sigma_u,
                   double sigma_w, double sigma_v, double rho, size_t K,
                   size_t ngh, double *out_u, double *out_w)
{
  gsl_integration_fixed_workspace *gh;
  const double *gx, *gw;
  double *z, *amt, W = 0.0, sr;
  size_t i, j, k, l, o = 0, KK = episodic ? K : 1;
  if (!mu || !mix || !pw || !out_u || !out_w || (episodic && !eta) ||
      npat == 0 || ns == 0 || K == 0 || ngh == 0 || ngh > 256)
    return NEV_ERR_ARG;
  if (!isfinite(lambda) || !(sigma_u >= 0) || !(sigma_w >= 0) ||
      !isfinite(sigma_u) || !isfinite(sigma_w) ||
      (episodic && (!(sigma_v >= 0) || !isfinite(sigma_v) ||
                    !(fabs(rho) <= 1))))
    return NEV_ERR_DOMAIN;
  for (i = 0; i < npat; i++) {
    if (!isfinite(pw[i]) || pw[i] < 0) return NEV_ERR_DOMAIN;
    W += pw[i];
  }
  for (j = 0; j < ns * npat; j++)
    if (!isfinite(mu[j]) || (episodic && !isfinite(eta[j])))
      return NEV_ERR_DOMAIN;
  if (!(W > 0)) return NEV_ERR_DOMAIN;
  gh = gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, ngh, 0.0,
                                   1.0, 0.0, 0.0);
  z = malloc((K + ns) * sizeof(double));
  if (!gh || !z) {
    if (gh) gsl_integration_fixed_free(gh);
    free(z);
    return NEV_ERR_NOMEM;
  }
  gx = gsl_integration_fixed_nodes(gh);
  gw = gsl_integration_fixed_weights(gh);
  amt = z + K;
  for (k = 0; k < K; k++) z[k] = gsl_cdf_ugaussian_Pinv((k + 0.5) / K);
  sr = sqrt(1.0 - rho * rho);
  for (i = 0; i < npat; i++) {
    double wi = pw[i] / W / ((double) K * KK);
    for (k = 0; k < K; k++) {
      double u = sigma_u * z[k];
      for (j = 0; j < ns; j++)
        amt[j] = bt_mean(gx, gw, ngh, mu[i + npat * j] + u, sigma_w, lambda);
      for (l = 0; l < KK; l++) {
        double v = episodic ? sigma_v * (rho * z[k] + sr * z[l]) : 0.0, t = 0.0;
        for (j = 0; j < ns; j++)
          t += mix[j] * amt[j] * (episodic ? expit(eta[i + npat * j] + v) : 1.0);
        if (!isfinite(t)) {
          gsl_integration_fixed_free(gh);
          free(z);
          return NEV_ERR_DOMAIN;
        }
        out_u[o] = t; out_w[o++] = wi;
      }
    }
  }
  gsl_integration_fixed_free(gh);
  free(z);
  return NEV_OK;
}
