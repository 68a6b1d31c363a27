/* Three-level meta-analysis core; see multilevel.h for the contract.
 * C99 + GSL only.
 *
 * Notation: component 0 is the between-cluster variance (its derivative
 * matrix is J_j = 11' in every block), component 1 the within-cluster
 * variance (derivative I). W = V^-1 (block diagonal), U = W X,
 * C = (X'WX)^-1, P = W - U C U', r = y - X beta, P y = W r. Every trace
 * and quadratic form of P is written in terms of blockwise sums:
 *   tr(P A) = tr(W A) - tr(C U'AU),
 *   tr(P A P B) = tr(W A W B) - 2 tr(C U'A W B U) + tr(C U'AU C U'BU),
 *   a'P b = a'W b - (U'a)' C (U'b). */
#include "multilevel.h"
#include "nev_status.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_multimin.h>

#define LOG2PI 1.8378770664093454836
/* Newton iterations are capped here whatever maxiter says: a fit that has
 * not converged by then goes to the fallback, never loops for long. */
#define NEV_ML3_MAXITER 10000

void nev_ml3_opts_default(nev_ml3_opts *o)
{
  o->method = NEV_ML3_REML;
  o->rho = 0.0;
  o->tol = 1e-10;
  o->maxiter = 200;
  o->fix[0] = o->fix[1] = -1.0;
}

void nev_ml3_block(const double *v, size_t n, double rho, double s1,
                   double s2, double *V)
{
  for (size_t c = 0; c < n; c++)
    for (size_t r = 0; r < n; r++)
      V[r + c * n] = s1 + (r == c ? v[r] + s2 : rho * sqrt(v[r] * v[c]));
}

/* ------------------------------------------------------------------ */
/* Workspace                                                            */

typedef struct {
  const double *y, *v, *X;
  size_t k, p, m;
  const size_t *start;
  double rho;
  int reml;
  size_t *woff;   /* m + 1 offsets of the packed blocks of W           */
  double *W;      /* packed blocks W_j (n_j x n_j)                      */
  double *U;      /* W_j X_j, n_j x p per cluster at start[j] * p        */
  double *w1;     /* k: W_j 1                                           */
  double *Wr;     /* k: W_j r_j                                         */
  double *T;      /* nmax x p scratch                                   */
  double *r;      /* nmax scratch                                       */
  double *XWX, *C, *SI, *SJ, *KII, *KIJ, *KJJ, *A1, *A2; /* p x p       */
  double *XWy, *beta, *u1, *uw1, *UaI, *UaJ;             /* p           */
  double logdet_xx;
  double vbar;
} ml3_ws;

/* Everything evaluated at one (sigma2_0, sigma2_1). */
typedef struct {
  double ll, ll_ml, ll_reml, rss, trP1;
  double g[2], H[2][2], F[2][2];
} ml3_eval;

static void ws_free(ml3_ws *w)
{
  free(w->woff); free(w->W); free(w->U); free(w->w1); free(w->Wr);
  free(w->T); free(w->r); free(w->XWX);
}

static int ws_alloc(ml3_ws *w, const double *y, const double *v,
                    const double *X, size_t k, size_t p, const size_t *start,
                    size_t m, double rho, int reml)
{
  memset(w, 0, sizeof *w);
  w->y = y; w->v = v; w->X = X; w->k = k; w->p = p; w->m = m;
  w->start = start; w->rho = rho; w->reml = reml;
  size_t nmax = 0, nw = 0;
  for (size_t j = 0; j < m; j++) {
    size_t n = start[j + 1] - start[j];
    if (n > nmax) nmax = n;
    nw += n * n;
  }
  w->woff = malloc((m + 1) * sizeof(size_t));
  w->W = malloc(nw * sizeof(double));
  w->U = malloc(k * p * sizeof(double));
  w->w1 = malloc(k * sizeof(double));
  w->Wr = malloc(k * sizeof(double));
  w->T = malloc(nmax * p * sizeof(double));
  w->r = malloc(nmax * sizeof(double));
  w->XWX = malloc((9 * p * p + 6 * p) * sizeof(double));
  if (!w->woff || !w->W || !w->U || !w->w1 || !w->Wr || !w->T || !w->r ||
      !w->XWX) {
    ws_free(w);
    return NEV_ERR_NOMEM;
  }
  double *q = w->XWX + p * p;
  w->C = q; q += p * p;   w->SI = q; q += p * p;  w->SJ = q; q += p * p;
  w->KII = q; q += p * p; w->KIJ = q; q += p * p; w->KJJ = q; q += p * p;
  w->A1 = q; q += p * p;  w->A2 = q; q += p * p;
  w->XWy = q; q += p; w->beta = q; q += p; w->u1 = q; q += p;
  w->uw1 = q; q += p; w->UaI = q; q += p; w->UaJ = q;
  w->woff[0] = 0;
  for (size_t j = 0; j < m; j++) {
    size_t n = start[j + 1] - start[j];
    w->woff[j + 1] = w->woff[j] + n * n;
  }
  double s = 0.0;
  for (size_t i = 0; i < k; i++) s += v[i];
  w->vbar = s / (double) k;
  return NEV_OK;
}

/* Cholesky of the symmetric p x p matrix A into L (lower, row-major view of
 * a symmetric column-major matrix is the same matrix); log|A| into *ld. */
static int chol_p(const double *A, double *L, size_t p, double *ld)
{
  memcpy(L, A, p * p * sizeof(double));
  gsl_matrix_view Lv = gsl_matrix_view_array(L, p, p);
  if (gsl_linalg_cholesky_decomp1(&Lv.matrix) != GSL_SUCCESS)
    return NEV_ERR_SINGULAR;
  double s = 0.0;
  for (size_t i = 0; i < p; i++) {
    double d = L[i * p + i];
    if (!(d > 0.0) || !isfinite(d)) return NEV_ERR_SINGULAR;
    s += 2.0 * log(d);
  }
  *ld = s;
  return NEV_OK;
}

/* Inverse of a symmetric positive definite p x p matrix; log-determinant. */
static int inv_p(const double *A, double *Ainv, size_t p, double *ld)
{
  int st = chol_p(A, Ainv, p, ld);
  if (st != NEV_OK) return st;
  gsl_matrix_view Lv = gsl_matrix_view_array(Ainv, p, p);
  if (gsl_linalg_cholesky_invert(&Lv.matrix) != GSL_SUCCESS)
    return NEV_ERR_SINGULAR;
  return NEV_OK;
}

/* W = V_j^-1 for one cluster and log|V_j|: Sherman-Morrison on
 * D + s1 11' (D = diag(v + s2)) when rho = 0, Cholesky otherwise. */
static int block_inverse(const double *v, size_t n, double rho, double s1,
                         double s2, double *W, double *ld)
{
  if (rho == 0.0) {
    double sd = 0.0, l = 0.0;
    for (size_t i = 0; i < n; i++) {
      double d = v[i] + s2;
      if (!(d > 0.0)) return NEV_ERR_SINGULAR;
      l += log(d);
      sd += 1.0 / d;
    }
    double den = 1.0 + s1 * sd;
    for (size_t c = 0; c < n; c++) {
      double dc = 1.0 / (v[c] + s2);
      for (size_t r = 0; r < n; r++) {
        double dr = 1.0 / (v[r] + s2);
        W[r + c * n] = (r == c ? dr : 0.0) - s1 * dr * dc / den;
      }
    }
    *ld = l + log(den);
    return NEV_OK;
  }
  nev_ml3_block(v, n, rho, s1, s2, W);
  gsl_matrix_view Wv = gsl_matrix_view_array(W, n, n);
  if (gsl_linalg_cholesky_decomp1(&Wv.matrix) != GSL_SUCCESS)
    return NEV_ERR_SINGULAR;
  double l = 0.0;
  for (size_t i = 0; i < n; i++) l += 2.0 * log(W[i * n + i]);
  if (gsl_linalg_cholesky_invert(&Wv.matrix) != GSL_SUCCESS)
    return NEV_ERR_SINGULAR;
  *ld = l;
  return NEV_OK;
}

static double trace_prod(const double *A, const double *B, size_t p)
{
  double s = 0.0; /* tr(A B) for column-major p x p */
  for (size_t i = 0; i < p; i++)
    for (size_t l = 0; l < p; l++) s += A[i + l * p] * B[l + i * p];
  return s;
}

/* C S_a C S_b trace, with scratch A1, A2. */
static double trace_cscs(ml3_ws *w, const double *Sa, const double *Sb)
{
  const size_t p = w->p;
  for (size_t i = 0; i < p; i++)
    for (size_t c = 0; c < p; c++) {
      double s1 = 0.0, s2 = 0.0;
      for (size_t l = 0; l < p; l++) {
        s1 += w->C[i + l * p] * Sa[l + c * p];
        s2 += w->C[i + l * p] * Sb[l + c * p];
      }
      w->A1[i + c * p] = s1;
      w->A2[i + c * p] = s2;
    }
  return trace_prod(w->A1, w->A2, p);
}

/* Pass 1: blocks of W, U = W X, X'WX, X'Wy and (deriv) the p x p sums of
 * the trace formulas. */
static int pass1(ml3_ws *w, const double *th, int deriv, double *logdet,
                 double *trW, double *trWJ, double F[3])
{
  const size_t p = w->p, k = w->k;
  memset(w->XWX, 0, 7 * p * p * sizeof(double)); /* XWX, C .. KJJ */
  memset(w->XWy, 0, p * sizeof(double));
  *logdet = *trW = *trWJ = 0.0;
  F[0] = F[1] = F[2] = 0.0;
  for (size_t j = 0; j < w->m; j++) {
    size_t o = w->start[j], n = w->start[j + 1] - o;
    double *Wj = w->W + w->woff[j], *Uj = w->U + o * p, *w1 = w->w1 + o;
    double ld;
    int st = block_inverse(w->v + o, n, w->rho, th[0], th[1], Wj, &ld);
    if (st != NEV_OK) return st;
    *logdet += ld;
    double s11 = 0.0;
    for (size_t i = 0; i < n; i++) {
      double s = 0.0;
      for (size_t l = 0; l < n; l++) s += Wj[i + l * n];
      w1[i] = s;
      s11 += s;
      *trW += Wj[i + i * n];
    }
    *trWJ += s11;
    for (size_t c = 0; c < p; c++)
      for (size_t i = 0; i < n; i++) {
        double s = 0.0;
        for (size_t l = 0; l < n; l++) s += Wj[i + l * n] * w->X[o + l + c * k];
        Uj[i + c * n] = s;
      }
    for (size_t a = 0; a < p; a++) {
      double sy = 0.0;
      for (size_t i = 0; i < n; i++) sy += Uj[i + a * n] * w->y[o + i];
      w->XWy[a] += sy;
      for (size_t b = 0; b < p; b++) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++) s += w->X[o + i + a * k] * Uj[i + b * n];
        w->XWX[a + b * p] += s;
      }
    }
    if (!deriv) continue;
    for (size_t c = 0; c < p; c++) {
      double s = 0.0, t = 0.0;
      for (size_t i = 0; i < n; i++) {
        s += Uj[i + c * n];
        t += Uj[i + c * n] * w1[i];
      }
      w->u1[c] = s;
      w->uw1[c] = t;
      for (size_t i = 0; i < n; i++) {
        double q = 0.0;
        for (size_t l = 0; l < n; l++) q += Wj[i + l * n] * Uj[l + c * n];
        w->T[i + c * n] = q;
      }
    }
    for (size_t a = 0; a < p; a++)
      for (size_t b = 0; b < p; b++) {
        double sii = 0.0, kii = 0.0;
        for (size_t i = 0; i < n; i++) {
          sii += Uj[i + a * n] * Uj[i + b * n];
          kii += Uj[i + a * n] * w->T[i + b * n];
        }
        w->SI[a + b * p] += sii;
        w->SJ[a + b * p] += w->u1[a] * w->u1[b];
        w->KII[a + b * p] += kii;
        w->KIJ[a + b * p] += w->uw1[a] * w->u1[b];
        w->KJJ[a + b * p] += s11 * w->u1[a] * w->u1[b];
      }
    double fii = 0.0, fij = 0.0;
    for (size_t i = 0; i < n * n; i++) fii += Wj[i] * Wj[i];
    for (size_t i = 0; i < n; i++) fij += w1[i] * w1[i];
    F[0] += s11 * s11; F[1] += fij; F[2] += fii;   /* JJ, JI, II */
  }
  return NEV_OK;
}

/* One evaluation at th: log-likelihoods, beta, C and (deriv) gradient,
 * observed Hessian and Fisher information of the objective. */
static int evaluate(ml3_ws *w, const double *th, int deriv, ml3_eval *e)
{
  const size_t p = w->p, k = w->k;
  double logdet, trW, trWJ, F[3], ldxwx;
  int st = pass1(w, th, deriv, &logdet, &trW, &trWJ, F);
  if (st != NEV_OK) return st;
  st = inv_p(w->XWX, w->C, p, &ldxwx);
  if (st != NEV_OK) return st;
  for (size_t a = 0; a < p; a++) {
    double s = 0.0;
    for (size_t b = 0; b < p; b++) s += w->C[a + b * p] * w->XWy[b];
    w->beta[a] = s;
  }
  double rss = 0.0, gI = 0.0, gJ = 0.0, aII = 0.0, aIJ = 0.0, aJJ = 0.0;
  memset(w->UaI, 0, p * sizeof(double));
  memset(w->UaJ, 0, p * sizeof(double));
  for (size_t j = 0; j < w->m; j++) {
    size_t o = w->start[j], n = w->start[j + 1] - o;
    const double *Wj = w->W + w->woff[j], *Uj = w->U + o * p;
    double *Wr = w->Wr + o, *r = w->r;
    for (size_t i = 0; i < n; i++) {
      double s = w->y[o + i];
      for (size_t c = 0; c < p; c++) s -= w->X[o + i + c * k] * w->beta[c];
      r[i] = s;
    }
    double s = 0.0, w1r = 0.0, s11 = 0.0, wrwwr = 0.0;
    for (size_t i = 0; i < n; i++) {
      double q = 0.0;
      for (size_t l = 0; l < n; l++) q += Wj[i + l * n] * r[l];
      Wr[i] = q;
      rss += r[i] * q;
      s += q;
    }
    if (!deriv) continue;
    for (size_t i = 0; i < n; i++) {
      double q = 0.0;
      for (size_t l = 0; l < n; l++) q += Wj[i + l * n] * Wr[l];
      wrwwr += Wr[i] * q;
      w1r += w->w1[o + i] * Wr[i];
      s11 += w->w1[o + i];
      gI += Wr[i] * Wr[i];
    }
    gJ += s * s;
    aII += wrwwr; aIJ += s * w1r; aJJ += s * s * s11;
    for (size_t c = 0; c < p; c++) {
      double t = 0.0, u = 0.0;
      for (size_t i = 0; i < n; i++) {
        t += Uj[i + c * n] * Wr[i];
        u += Uj[i + c * n];
      }
      w->UaI[c] += t;
      w->UaJ[c] += s * u;
    }
  }
  if (!isfinite(rss) || !isfinite(logdet)) return NEV_ERR_DOMAIN;
  e->rss = rss;
  e->ll_ml = -0.5 * ((double) k * LOG2PI + logdet + rss);
  e->ll_reml = -0.5 * ((double) (k - p) * LOG2PI + logdet + ldxwx + rss) +
    0.5 * w->logdet_xx;
  e->ll = w->reml ? e->ll_reml : e->ll_ml;
  e->trP1 = trW - trace_prod(w->C, w->SI, p);
  if (!deriv) return NEV_OK;
  /* T[l][m] = tr(P A_l P A_m) (REML) or tr(W A_l W A_m) (ML); 0 = J, 1 = I */
  double T[2][2], tr[2];
  const double *S[2] = {w->SJ, w->SI};
  const double *K[3] = {w->KJJ, w->KIJ, w->KII};
  double a[2][2] = {{aJJ, aIJ}, {aIJ, aII}};
  double q[2] = {gJ, gI};
  const double *Ua[2] = {w->UaJ, w->UaI};
  tr[0] = trWJ; tr[1] = trW;
  for (int l = 0; l < 2; l++) {
    if (w->reml) tr[l] -= trace_prod(w->C, S[l], p);
    for (int mm = l; mm < 2; mm++) {
      double t = F[l + mm];
      if (w->reml)
        t += -2.0 * trace_prod(w->C, K[l + mm], p) +
          trace_cscs(w, S[l], S[mm]);
      T[l][mm] = T[mm][l] = t;
      double cq = 0.0;
      for (size_t x = 0; x < p; x++)
        for (size_t z = 0; z < p; z++)
          cq += Ua[l][x] * w->C[x + z * p] * Ua[mm][z];
      double apa = a[l][mm] - cq;
      e->H[l][mm] = e->H[mm][l] = 0.5 * t - apa;
      e->F[l][mm] = e->F[mm][l] = 0.5 * t;
    }
    e->g[l] = -0.5 * tr[l] + 0.5 * q[l];
  }
  return NEV_OK;
}

/* ------------------------------------------------------------------ */
/* Optimisation                                                         */

typedef struct {
  ml3_ws *w;
  int free[2];
  double fixed[2];
  int status;
} nm_ctx;

static double nm_f(const gsl_vector *x, void *par)
{
  nm_ctx *c = par;
  double th[2];
  size_t i = 0;
  for (int l = 0; l < 2; l++) {
    if (c->free[l]) { double z = gsl_vector_get(x, i++); th[l] = z * z; }
    else th[l] = c->fixed[l];
  }
  ml3_eval e;
  int st = evaluate(c->w, th, 0, &e);
  if (st != NEV_OK) { c->status = st; return HUGE_VAL; }
  return -e.ll;
}

/* Nelder-Mead on sqrt(sigma2) over the free components. */
static int nelder_mead(ml3_ws *w, const int *fr, double *th, int *conv)
{
  nm_ctx c = {w, {fr[0], fr[1]}, {th[0], th[1]}, NEV_OK};
  size_t nf = (size_t) (fr[0] + fr[1]);
  *conv = 0;
  if (nf == 0) { *conv = 1; return NEV_OK; }
  gsl_multimin_function fn = {nm_f, nf, &c};
  gsl_vector *x = gsl_vector_alloc(nf), *ss = gsl_vector_alloc(nf);
  gsl_multimin_fminimizer *s =
    gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, nf);
  int st = NEV_OK;
  if (!x || !ss || !s) { st = NEV_ERR_NOMEM; goto done; }
  double sv = sqrt(w->vbar);
  size_t i = 0;
  for (int l = 0; l < 2; l++)
    if (fr[l]) {
      gsl_vector_set(x, i, sqrt(th[l]));
      gsl_vector_set(ss, i, 0.5 * sqrt(th[l]) + 0.1 * sv);
      i++;
    }
  if (gsl_multimin_fminimizer_set(s, &fn, x, ss) != GSL_SUCCESS) {
    st = c.status != NEV_OK ? c.status : NEV_ERR_GSL; goto done;
  }
  for (int it = 0; it < 5000; it++) {
    int g = gsl_multimin_fminimizer_iterate(s);
    if (c.status != NEV_OK) { st = c.status; goto done; }
    if (g != GSL_SUCCESS) break;
    if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s),
                               1e-10 * sv) == GSL_SUCCESS) {
      *conv = 1; break;
    }
  }
  i = 0;
  for (int l = 0; l < 2; l++)
    if (fr[l]) { double z = gsl_vector_get(s->x, i++); th[l] = z * z; }
done:
  if (s) gsl_multimin_fminimizer_free(s);
  if (x) gsl_vector_free(x);
  if (ss) gsl_vector_free(ss);
  return st;
}

/* Newton step on the active components; Fisher scoring when the observed
 * Hessian is not negative definite or `fisher` is set. */
static void newton_dir(const ml3_eval *e, const int *act, int fisher,
                       double *d)
{
  d[0] = d[1] = 0.0;
  const double (*H)[2] = e->H;
  int useF = fisher;
  if (act[0] && act[1]) {
    double det = H[0][0] * H[1][1] - H[0][1] * H[0][1];
    if (!(H[0][0] < 0.0 && det > 0.0)) useF = 1;
    if (!useF) {
      d[0] = -(H[1][1] * e->g[0] - H[0][1] * e->g[1]) / det;
      d[1] = -(-H[0][1] * e->g[0] + H[0][0] * e->g[1]) / det;
      return;
    }
    double f = e->F[0][0] * e->F[1][1] - e->F[0][1] * e->F[0][1];
    if (f > 0.0) {
      d[0] = (e->F[1][1] * e->g[0] - e->F[0][1] * e->g[1]) / f;
      d[1] = (-e->F[0][1] * e->g[0] + e->F[0][0] * e->g[1]) / f;
      return;
    }
  }
  for (int l = 0; l < 2; l++) {
    if (!act[l]) continue;
    if (!useF && H[l][l] < 0.0) d[l] = -e->g[l] / H[l][l];
    else if (e->F[l][l] > 0.0) d[l] = e->g[l] / e->F[l][l];
  }
}

/* Projected Newton / Fisher iteration from th. *conv = 1 on convergence,
 * 0 when maxiter is reached or no step improves the objective. */
static int newton(ml3_ws *w, const int *fr, int maxiter, double tol,
                  double *th, ml3_eval *e, int *iter, int *conv)
{
  const double floor = 1e-10 * w->vbar;
  double prev = HUGE_VAL;
  *conv = 0;
  int st = evaluate(w, th, 1, e);
  if (st != NEV_OK) return st;
  for (int it = 0; it < maxiter; it++) {
    (*iter)++;
    int act[2];
    for (int l = 0; l < 2; l++)
      act[l] = fr[l] && !(th[l] <= 0.0 && e->g[l] <= 0.0);
    if (!act[0] && !act[1]) { *conv = 1; return NEV_OK; }
    ml3_eval en;
    double tn[2], rel = 0.0;
    int ok = 0;
    for (int fisher = 0; fisher < 2 && !ok; fisher++) {
      double d[2];
      newton_dir(e, act, fisher, d);
      double lam = 1.0;
      for (int h = 0; h < 60 && !ok; h++, lam *= 0.5) {
        for (int l = 0; l < 2; l++)
          tn[l] = act[l] ? fmax(th[l] + lam * d[l], 0.0) : th[l];
        st = evaluate(w, tn, 1, &en);
        if (st == NEV_ERR_SINGULAR || st == NEV_ERR_DOMAIN) continue;
        if (st != NEV_OK) return st;
        ok = en.ll >= e->ll - 1e-13 * (1.0 + fabs(e->ll));
      }
    }
    if (!ok) {
      st = evaluate(w, th, 1, e);
      return st;
    }
    for (int l = 0; l < 2; l++)
      if (act[l]) {
        double r = fabs(tn[l] - th[l]) / fmax(fmax(tn[l], th[l]), floor);
        if (r > rel) rel = r;
      }
    th[0] = tn[0]; th[1] = tn[1];
    *e = en;
    /* converged, or at the rounding floor: Newton steps stop shrinking */
    if (rel <= tol || (rel <= 1e-9 && rel > 0.1 * prev)) {
      *conv = 1; return NEV_OK;
    }
    prev = rel;
  }
  return NEV_OK;
}

/* Method-of-moments start from ordinary least-squares residuals: the
 * within-cluster spread of residuals about their cluster means minus the
 * mean sampling variance, the rest of the total excess to clusters. */
static void mom_start(ml3_ws *w, double *th)
{
  const size_t k = w->k, p = w->p;
  double *XX = w->A1, *L = w->A2, ld = 0.0;
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b < p; b++) {
      double s = 0.0;
      for (size_t i = 0; i < k; i++) s += w->X[i + a * k] * w->X[i + b * k];
      XX[a + b * p] = s;
    }
  double tot = 0.0, within = 0.0;
  size_t nwithin = 0;
  if (inv_p(XX, L, p, &ld) == NEV_OK) {
    for (size_t a = 0; a < p; a++) {
      double s = 0.0;
      for (size_t i = 0; i < k; i++) s += w->X[i + a * k] * w->y[i];
      w->XWy[a] = s;
    }
    for (size_t a = 0; a < p; a++) {
      double s = 0.0;
      for (size_t b = 0; b < p; b++) s += L[a + b * p] * w->XWy[b];
      w->beta[a] = s;
    }
    for (size_t j = 0; j < w->m; j++) {
      size_t o = w->start[j], n = w->start[j + 1] - o;
      double mean = 0.0;
      for (size_t i = 0; i < n; i++) {
        double r = w->y[o + i];
        for (size_t c = 0; c < p; c++) r -= w->X[o + i + c * k] * w->beta[c];
        w->r[i] = r;
        mean += r / (double) n;
        tot += r * r;
      }
      if (n < 2) continue;
      for (size_t i = 0; i < n; i++) within += (w->r[i] - mean) * (w->r[i] - mean);
      nwithin += n - 1;
    }
    tot = tot / (double) (k - p) - w->vbar;
    within = nwithin ? within / (double) nwithin - w->vbar : 0.5 * tot;
  }
  tot = fmax(tot, 0.1 * w->vbar);
  within = fmin(fmax(within, 0.0), tot);
  th[1] = fmax(within, 0.05 * tot);
  th[0] = fmax(tot - within, 0.05 * tot);
}

/* Maximise over the free components from th (fixed ones as given). */
static int optimise(ml3_ws *w, const int *fr, int maxiter, double tol,
                    double *th, ml3_eval *e, int *iter, int *conv,
                    int *fallback)
{
  *iter = 0; *fallback = 0;
  if (maxiter > NEV_ML3_MAXITER) maxiter = NEV_ML3_MAXITER;
  int st = newton(w, fr, maxiter, tol, th, e, iter, conv);
  if (st != NEV_OK || *conv) return st;
  *fallback = 1;
  int nmconv;
  st = nelder_mead(w, fr, th, &nmconv);
  if (st != NEV_OK) return st;
  st = newton(w, fr, maxiter, tol, th, e, iter, conv);
  if (st == NEV_OK && !*conv && nmconv) {
    *conv = 1;
    st = evaluate(w, th, 1, e);
  }
  return st;
}

static int check_input(const double *y, const double *v, const double *X,
                       size_t k, size_t p, const size_t *start, size_t m,
                       const nev_ml3_opts *o)
{
  if (!y || !v || !X || !start || !o || p < 1 || m < 1 || k <= p)
    return NEV_ERR_ARG;
  if (start[0] != 0 || start[m] != k) return NEV_ERR_ARG;
  for (size_t j = 0; j < m; j++)
    if (start[j + 1] <= start[j]) return NEV_ERR_ARG;
  if (o->method != NEV_ML3_REML && o->method != NEV_ML3_ML) return NEV_ERR_ARG;
  if (!(o->tol > 0.0 && o->tol < 1.0) || o->maxiter < 1) return NEV_ERR_ARG;
  if (!(fabs(o->rho) < 1.0)) return NEV_ERR_DOMAIN;
  for (int l = 0; l < 2; l++)
    if (isnan(o->fix[l]) || !isfinite(o->fix[l])) return NEV_ERR_DOMAIN;
  for (size_t i = 0; i < k; i++)
    if (!isfinite(y[i]) || !isfinite(v[i]) || !(v[i] > 0.0))
      return NEV_ERR_DOMAIN;
  for (size_t i = 0; i < k * p; i++)
    if (!isfinite(X[i])) return NEV_ERR_DOMAIN;
  return NEV_OK;
}

/* Workspace set up for a fit: log|X'X|, QE and vt at sigma2 = 0. */
static int ws_setup(ml3_ws *w, const double *y, const double *v,
                    const double *X, size_t k, size_t p, const size_t *start,
                    size_t m, const nev_ml3_opts *o, double *QE, double *vt)
{
  int st = ws_alloc(w, y, v, X, k, p, start, m, o->rho,
                    o->method == NEV_ML3_REML);
  if (st != NEV_OK) return st;
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b < p; b++) {
      double s = 0.0;
      for (size_t i = 0; i < k; i++) s += X[i + a * k] * X[i + b * k];
      w->KII[a + b * p] = s;
    }
  st = chol_p(w->KII, w->A1, p, &w->logdet_xx);
  if (st != NEV_OK) return st;
  ml3_eval e;
  const double zero[2] = {0.0, 0.0};
  st = evaluate(w, zero, 1, &e);
  if (st != NEV_OK) return st;
  *QE = e.rss;
  *vt = (double) (k - p) / e.trP1;
  return NEV_OK;
}

int nev_ml3_fit(const double *y, const double *v, const double *X, size_t k,
                size_t p, const size_t *start, size_t m,
                const nev_ml3_opts *o, nev_ml3_result *r)
{
  int st = check_input(y, v, X, k, p, start, m, o);
  if (st != NEV_OK || !r || !r->beta || !r->vb) return st ? st : NEV_ERR_ARG;
  ml3_ws w;
  st = ws_setup(&w, y, v, X, k, p, start, m, o, &r->QE, &r->vt);
  if (st != NEV_OK) { ws_free(&w); return st; }
  double th[2];
  int fr[2] = {o->fix[0] < 0.0, o->fix[1] < 0.0};
  mom_start(&w, th);
  for (int l = 0; l < 2; l++) if (!fr[l]) th[l] = o->fix[l];
  ml3_eval e;
  st = optimise(&w, fr, o->maxiter, o->tol, th, &e, &r->iterations,
                &r->converged, &r->fallback);
  if (st == NEV_OK) st = evaluate(&w, th, 0, &e);
  if (st == NEV_OK) {
    r->sigma2[0] = th[0]; r->sigma2[1] = th[1];
    r->ll_ml = e.ll_ml; r->ll_reml = e.ll_reml;
    memcpy(r->beta, w.beta, p * sizeof(double));
    memcpy(r->vb, w.C, p * p * sizeof(double));
    for (size_t i = 0; i < p * p; i++)
      if (!isfinite(r->vb[i])) st = NEV_ERR_DOMAIN;
    for (size_t i = 0; i < p; i++)
      if (!isfinite(r->beta[i])) st = NEV_ERR_DOMAIN;
  }
  ws_free(&w);
  if (st == NEV_OK && !r->converged) st = NEV_WARN_NOCONV;
  return st;
}

/* ------------------------------------------------------------------ */
/* Profile-likelihood intervals                                         */

typedef struct {
  ml3_ws *w;
  int which, maxiter;
  double tol, other, cut;
  int status, conv;
} prof_ctx;

/* Profile log-likelihood at sigma2[which] = x minus the cut-off. */
static double prof_f(double x, void *par)
{
  prof_ctx *c = par;
  double th[2];
  int fr[2];
  th[c->which] = x; fr[c->which] = 0;
  th[1 - c->which] = c->other; fr[1 - c->which] = 1;
  ml3_eval e;
  int it, conv, fb;
  int st = optimise(c->w, fr, c->maxiter, c->tol, th, &e, &it, &conv, &fb);
  if (st != NEV_OK) { c->status = st; return 0.0; }
  if (!conv) c->conv = 0;
  c->other = th[1 - c->which];
  return e.ll - c->cut;
}

static int brent(prof_ctx *c, double lo, double hi, double *root)
{
  gsl_function F = {prof_f, c};
  gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  if (!s) return NEV_ERR_NOMEM;
  int st = NEV_OK;
  if (gsl_root_fsolver_set(s, &F, lo, hi) != GSL_SUCCESS)
    st = c->status != NEV_OK ? c->status : NEV_ERR_GSL;
  for (int it = 0; st == NEV_OK && it < 200; it++) {
    int g = gsl_root_fsolver_iterate(s);
    if (c->status != NEV_OK) { st = c->status; break; }
    if (g != GSL_SUCCESS) { st = NEV_ERR_GSL; break; }
    double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
    if (gsl_root_test_interval(a, b, 1e-14 * c->w->vbar, c->tol) ==
        GSL_SUCCESS)
      break;
  }
  *root = gsl_root_fsolver_root(s);
  gsl_root_fsolver_free(s);
  return st;
}

int nev_ml3_profile(const double *y, const double *v, const double *X,
                    size_t k, size_t p, const size_t *start, size_t m,
                    const nev_ml3_opts *o, int which, const double *est,
                    double ll_max, double level, double *lb, double *ub)
{
  int st = check_input(y, v, X, k, p, start, m, o);
  if (st != NEV_OK) return st;
  if ((which != 0 && which != 1) || !est || !lb || !ub ||
      !(level > 0.0 && level < 1.0) || !isfinite(ll_max) ||
      !(est[0] >= 0.0) || !(est[1] >= 0.0) || !isfinite(est[0]) ||
      !isfinite(est[1]))
    return NEV_ERR_ARG;
  ml3_ws w;
  double qe, vt;
  st = ws_setup(&w, y, v, X, k, p, start, m, o, &qe, &vt);
  if (st != NEV_OK) { ws_free(&w); return st; }
  prof_ctx c = {&w, which, o->maxiter, o->tol, est[1 - which],
                ll_max - 0.5 * gsl_cdf_chisq_Pinv(level, 1.0), NEV_OK, 1};
  const double x0 = est[which];
  *lb = 0.0;
  *ub = HUGE_VAL;
  if (x0 > 0.0) {
    double f0 = prof_f(0.0, &c);
    if (c.status != NEV_OK) { st = c.status; goto done; }
    c.other = est[1 - which];
    if (f0 < 0.0) st = brent(&c, 0.0, x0, lb);
    if (st != NEV_OK) goto done;
  }
  c.other = est[1 - which];
  double lo = x0, hi = x0 > 0.0 ? 2.0 * x0 : w.vbar;
  for (int it = 0; it < 60; it++) {
    double f = prof_f(hi, &c);
    if (c.status != NEV_OK) { st = c.status; goto done; }
    if (f < 0.0) { st = brent(&c, lo, hi, ub); break; }
    lo = hi; hi *= 2.0;
  }
done:
  ws_free(&w);
  if (st == NEV_OK && !c.conv) st = NEV_WARN_NOCONV;
  return st;
}
