/* Meta-analysis diagnostics core. See diag.h for the contract.
 * C99 + GSL only. */
#include "diag.h"
#include "nev_status.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#define XIJ(X, k, i, j) ((X) ? (X)[(i) + (j) * (k)] : 1.0)

static int is_err(int st) { return st != NEV_OK && st < NEV_WARN_FIRST; }

static int check_yv(const double *yi, const double *vi, size_t k)
{
  for (size_t i = 0; i < k; i++)
    if (!isfinite(yi[i]) || !isfinite(vi[i]) || !(vi[i] > 0.0))
      return NEV_ERR_DOMAIN;
  return NEV_OK;
}

/* Cholesky factor of the symmetric p x p matrix A (column-major == row-major
 * for symmetric input) in place, its log-determinant, and, when inv != 0,
 * the inverse in place. */
static int spd_factor(double *A, size_t p, int inv, double *logdet)
{
  gsl_matrix_view m = gsl_matrix_view_array(A, p, p);
  if (gsl_linalg_cholesky_decomp1(&m.matrix) != GSL_SUCCESS)
    return NEV_ERR_SINGULAR;
  double ld = 0.0;
  for (size_t j = 0; j < p; j++) {
    double d = A[j * p + j];
    if (!(d > 0.0) || !isfinite(d)) return NEV_ERR_SINGULAR;
    ld += 2.0 * log(d);
  }
  if (logdet) *logdet = ld;
  if (inv && gsl_linalg_cholesky_invert(&m.matrix) != GSL_SUCCESS)
    return NEV_ERR_GSL;
  return NEV_OK;
}

/* M = (X' diag(w) X)^-1 (p x p). */
static int xtwx_inv(const double *X, size_t k, size_t p, const double *w,
                    double *M)
{
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b <= a; b++) {
      double s = 0.0;
      for (size_t i = 0; i < k; i++)
        s += XIJ(X, k, i, a) * w[i] * XIJ(X, k, i, b);
      M[a + b * p] = s;
      M[b + a * p] = s;
    }
  return spd_factor(M, p, 1, NULL);
}

/* Log-determinant of the block [b0, p) x [b0, p) of the p x p matrix V;
 * S receives the inverse of that block when S is not NULL (else a scratch
 * buffer of (p - b0)^2 doubles must be given as tmp). */
static int block_logdet(const double *V, size_t p, size_t b0, double *tmp,
                        int inv, double *logdet)
{
  size_t m = p - b0;
  for (size_t a = 0; a < m; a++)
    for (size_t b = 0; b < m; b++)
      tmp[a + b * m] = V[(a + b0) + (b + b0) * p];
  return spd_factor(tmp, m, inv, logdet);
}

int nev_diag_loo(const double *yi, const double *vi, size_t k,
                 const double *X, size_t p, const nev_pool_opts *opts,
                 size_t btt0, nev_diag_loo_out *out,
                 const nev_interrupt *intr)
{
  if (!yi || !vi || !opts || !out || p < 1 || (X == NULL && p != 1))
    return NEV_ERR_ARG;
  if (k < 2 || k - 1 < p || btt0 >= p) return NEV_ERR_ARG;
  if (!out->beta || !out->se || !out->zval || !out->pval || !out->ci_lb ||
      !out->ci_ub || !out->tau2 || !out->QE || !out->QE_p || !out->I2 ||
      !out->H2 || !out->s2w || !out->converged || !out->status)
    return NEV_ERR_ARG;
  int st = check_yv(yi, vi, k);
  if (st != NEV_OK) return st;
  if (X)
    for (size_t i = 0; i < k * p; i++)
      if (!isfinite(X[i])) return NEV_ERR_DOMAIN;

  const size_t m = p - btt0;
  size_t nw = nev_pool_work_size(k, p);
  size_t ntot = nw + 2 * k + (X ? (k - 1) * p : 0) + 5 * p * p + 14 * p +
                2 * k + m * m + 8;
  double *buf = (double *) malloc(ntot * sizeof(double));
  if (!buf) return NEV_ERR_NOMEM;
  double *work = buf, *q = buf + nw;
  double *yd = q; q += k;
  double *vd = q; q += k;
  double *Xd = NULL;
  if (X) { Xd = q; q += (k - 1) * p; }
  double *bf = q; q += p;
  double *sf = q; q += p;
  double *vbf = q; q += p * p;
  double *zf = q; q += p;
  double *pf = q; q += p;
  double *lf = q; q += p;
  double *uf = q; q += p;
  double *bd = q; q += p;
  double *vbd = q; q += p * p;
  double *M = q; q += p * p;
  double *svb = q; q += p * p;
  double *tmp = q; q += m * m;
  double *wf = q; q += k;
  double *wd = q; q += k;
  double *dfb = q; q += p;
  double *Md = q; q += p * p;
  double *sdp = q; q += p;
  double *zdp = q; q += p;
  double *pdp = q; q += p;
  double *ldp = q; q += p;
  double *udp = q; q += p;
  (void) q;

  /* full fit */
  nev_pool_result r;
  memset(&r, 0, sizeof r);
  r.beta = bf; r.se = sf; r.vb = vbf; r.zval = zf; r.pval = pf;
  r.ci_lb = lf; r.ci_ub = uf; r.weights = wf;
  st = nev_pool_fit_ws(yi, vi, k, X, p, opts, &r, work);
  if (is_err(st)) { free(buf); return st; }
  const double tau2f = r.tau2;
  int any_noconv = !r.converged;

  int want_inf = out->rstudent || out->dffits || out->cook || out->covratio ||
                 out->hat || out->weight || out->dfbetas;
  double ld_full = 0.0;
  if (want_inf) {
    /* hat values from the unscaled (X'WX)^-1; percentage weights */
    double sw = 0.0;
    for (size_t i = 0; i < k; i++) {
      wd[i] = 1.0 / (vi[i] + tau2f);
      sw += wd[i];
    }
    st = xtwx_inv(X, k, p, wd, M);
    if (st != NEV_OK) { free(buf); return st; }
    for (size_t i = 0; i < k; i++) {
      double h = 0.0;
      for (size_t a = 0; a < p; a++)
        for (size_t b = 0; b < p; b++)
          h += XIJ(X, k, i, a) * M[a + b * p] * XIJ(X, k, i, b);
      if (out->hat) out->hat[i] = wd[i] * h;
      if (out->weight) out->weight[i] = 100.0 * wd[i] / sw;
    }
    /* inverse and log-determinant of the btt block of the fit's vb */
    for (size_t a = 0; a < m; a++)
      for (size_t b = 0; b < m; b++)
        svb[a + b * m] = vbf[(a + btt0) + (b + btt0) * p];
    st = spd_factor(svb, m, 1, &ld_full);
    if (st != NEV_OK) { free(buf); return st; }
  }

  double done = 0.0;
  for (size_t i = 0; i < k; i++) {
    /* data without study i */
    size_t c = 0;
    if (nev_poll(intr, &done, 10.0 * (double) k * (double) (p * p))) {
      free(buf);
      return NEV_ERR_INTERRUPT;
    }
    for (size_t j = 0; j < k; j++) {
      if (j == i) continue;
      yd[c] = yi[j]; vd[c] = vi[j];
      if (X)
        for (size_t a = 0; a < p; a++) Xd[c + a * (k - 1)] = X[j + a * k];
      c++;
    }
    nev_pool_result rd;
    memset(&rd, 0, sizeof rd);
    rd.beta = bd; rd.se = sdp; rd.vb = vbd; rd.zval = zdp; rd.pval = pdp;
    rd.ci_lb = ldp; rd.ci_ub = udp; rd.weights = NULL;
    int sti = nev_pool_fit_ws(yd, vd, k - 1, Xd, p, opts, &rd, work);
    out->status[i] = sti;
    if (is_err(sti)) {
      for (size_t a = 0; a < p; a++) {
        out->beta[i + a * k] = NAN; out->se[i + a * k] = NAN;
        out->zval[i + a * k] = NAN; out->pval[i + a * k] = NAN;
        out->ci_lb[i + a * k] = NAN; out->ci_ub[i + a * k] = NAN;
        if (out->dfbetas) out->dfbetas[i + a * k] = NAN;
      }
      out->tau2[i] = out->QE[i] = out->QE_p[i] = out->I2[i] = out->H2[i] =
        out->s2w[i] = NAN;
      out->converged[i] = 0;
      if (out->rstudent) out->rstudent[i] = NAN;
      if (out->dffits) out->dffits[i] = NAN;
      if (out->cook) out->cook[i] = NAN;
      if (out->covratio) out->covratio[i] = NAN;
      continue;
    }
    if (!rd.converged) any_noconv = 1;
    for (size_t a = 0; a < p; a++) {
      out->beta[i + a * k] = bd[a]; out->se[i + a * k] = sdp[a];
      out->zval[i + a * k] = zdp[a]; out->pval[i + a * k] = pdp[a];
      out->ci_lb[i + a * k] = ldp[a]; out->ci_ub[i + a * k] = udp[a];
    }
    out->tau2[i] = rd.tau2; out->QE[i] = rd.QE; out->QE_p[i] = rd.QE_p;
    out->I2[i] = rd.I2; out->H2[i] = rd.H2; out->s2w[i] = rd.s2w;
    out->converged[i] = rd.converged;
    if (!want_inf) continue;

    /* influence measures */
    double predf = 0.0, delpred = 0.0, vdel = 0.0;
    for (size_t a = 0; a < p; a++) {
      double xa = XIJ(X, k, i, a);
      predf += xa * bf[a];
      delpred += xa * bd[a];
      for (size_t b = 0; b < p; b++)
        vdel += xa * vbd[a + b * p] * XIJ(X, k, i, b);
    }
    double s2 = rd.s2w, t2 = rd.tau2;
    double hi = 0.0;
    {
      double h = 0.0;
      for (size_t a = 0; a < p; a++)
        for (size_t b = 0; b < p; b++)
          h += XIJ(X, k, i, a) * M[a + b * p] * XIJ(X, k, i, b);
      hi = h / (vi[i] + tau2f);
    }
    if (out->dffits)
      out->dffits[i] = (predf - delpred) / sqrt(s2 * hi * (t2 + vi[i]));
    double resid = yi[i] - delpred;
    if (fabs(resid) < 100.0 * DBL_EPSILON) resid = 0.0;
    if (out->rstudent)
      out->rstudent[i] = resid / sqrt(vi[i] * s2 + vdel + t2 * s2);
    for (size_t a = 0; a < p; a++) dfb[a] = bf[a] - bd[a];
    if (out->dfbetas) {
      /* (X' W_del X)^-1 over all k studies, W_del = 1 / (v + tau2_del) */
      for (size_t j = 0; j < k; j++) wd[j] = 1.0 / (vi[j] + t2);
      int s3 = xtwx_inv(X, k, p, wd, Md);
      for (size_t a = 0; a < p; a++)
        out->dfbetas[i + a * k] = s3 == NEV_OK ?
          dfb[a] / sqrt(s2 * Md[a + a * p]) : NAN;
    }
    if (out->cook) {
      double cd = 0.0;
      for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b < m; b++)
          cd += dfb[a + btt0] * svb[a + b * m] * dfb[b + btt0];
      out->cook[i] = cd;
    }
    if (out->covratio) {
      double ldd = 0.0;
      int s4 = block_logdet(vbd, p, btt0, tmp, 0, &ldd);
      out->covratio[i] = s4 == NEV_OK ? exp(ldd - ld_full) : NAN;
    }
  }
  free(buf);
  return any_noconv ? NEV_WARN_NOCONV : NEV_OK;
}

int nev_diag_cumul(const double *yi, const double *vi, size_t k,
                   const nev_pool_opts *opts, double *beta, double *se,
                   double *zval, double *pval, double *ci_lb, double *ci_ub,
                   double *tau2, double *QE, double *QE_p, double *I2,
                   double *H2, int *converged, const nev_interrupt *intr)
{
  if (!yi || !vi || !opts || !beta || !se || !zval || !pval || !ci_lb ||
      !ci_ub || !tau2 || !QE || !QE_p || !I2 || !H2 || !converged)
    return NEV_ERR_ARG;
  if (k < 1) return NEV_ERR_EMPTY;
  int st = check_yv(yi, vi, k);
  if (st != NEV_OK) return st;
  double *work = (double *) malloc(nev_pool_work_size(k, 1) *
                                   sizeof(double));
  if (!work) return NEV_ERR_NOMEM;
  int any_noconv = 0;
  double done = 0.0;
  for (size_t j = 0; j < k; j++) {
    nev_pool_result r;
    double vb;
    if (nev_poll(intr, &done, 10.0 * (double) (j + 1))) {
      free(work);
      return NEV_ERR_INTERRUPT;
    }
    memset(&r, 0, sizeof r);
    r.beta = beta + j; r.se = se + j; r.vb = &vb; r.zval = zval + j;
    r.pval = pval + j; r.ci_lb = ci_lb + j; r.ci_ub = ci_ub + j;
    r.weights = NULL;
    st = nev_pool_fit_ws(yi, vi, j + 1, NULL, 1, opts, &r, work);
    if (is_err(st)) { free(work); return st; }
    tau2[j] = r.tau2; QE[j] = r.QE; QE_p[j] = r.QE_p; I2[j] = r.I2;
    H2[j] = r.H2; converged[j] = r.converged;
    if (!r.converged) any_noconv = 1;
  }
  free(work);
  return any_noconv ? NEV_WARN_NOCONV : NEV_OK;
}

int nev_diag_wls(const double *y, const double *v, size_t k, const double *X,
                 size_t p, double *b, double *se, double *t, double *s2_out)
{
  if (!y || !v || !X || !b || !se || !t || p < 1) return NEV_ERR_ARG;
  if (k <= p) return NEV_ERR_ARG;
  int st = check_yv(y, v, k);
  if (st != NEV_OK) return st;
  for (size_t i = 0; i < k * p; i++)
    if (!isfinite(X[i])) return NEV_ERR_DOMAIN;
  double *M = (double *) malloc((p * p + k) * sizeof(double));
  if (!M) return NEV_ERR_NOMEM;
  double *w = M + p * p;
  for (size_t i = 0; i < k; i++) w[i] = 1.0 / v[i];
  st = xtwx_inv(X, k, p, w, M);
  if (st != NEV_OK) { free(M); return st; }
  for (size_t a = 0; a < p; a++) {
    double s = 0.0;
    for (size_t c = 0; c < p; c++) {
      double xwy = 0.0;
      for (size_t i = 0; i < k; i++) xwy += X[i + c * k] * w[i] * y[i];
      s += M[a + c * p] * xwy;
    }
    b[a] = s;
  }
  double rss = 0.0;
  for (size_t i = 0; i < k; i++) {
    double f = 0.0;
    for (size_t a = 0; a < p; a++) f += X[i + a * k] * b[a];
    rss += w[i] * (y[i] - f) * (y[i] - f);
  }
  double s2 = rss / (double) (k - p);
  for (size_t a = 0; a < p; a++) {
    se[a] = sqrt(s2 * M[a + a * p]);
    t[a] = b[a] / se[a];
  }
  if (s2_out) *s2_out = s2;
  free(M);
  return NEV_OK;
}

/* ---- Kendall's tau ---------------------------------------------------- */

static int cmp_dbl(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Tie summaries of x: sums over tie groups of t(t-1), t(t-1)(2t+5),
 * t(t-1)(t-2). */
static int tie_sums(const double *x, size_t n, double *s1, double *s2,
                    double *s3)
{
  double *c = (double *) malloc(n * sizeof(double));
  if (!c) return NEV_ERR_NOMEM;
  memcpy(c, x, n * sizeof(double));
  qsort(c, n, sizeof(double), cmp_dbl);
  *s1 = *s2 = *s3 = 0.0;
  size_t i = 0;
  while (i < n) {
    size_t j = i + 1;
    while (j < n && c[j] == c[i]) j++;
    double t = (double) (j - i);
    if (t > 1) {
      *s1 += t * (t - 1);
      *s2 += t * (t - 1) * (2 * t + 5);
      *s3 += t * (t - 1) * (t - 2);
    }
    i = j;
  }
  free(c);
  return NEV_OK;
}

/* P(T <= q) for the number T of concordant pairs among n untied pairs
 * under independence (the distribution behind R's pkendall). */
static int pkendall(long q, size_t n, double *out)
{
  long u = (long) (n * (n - 1) / 2);
  if (q < 0) { *out = 0.0; return NEV_OK; }
  if (q >= u) { *out = 1.0; return NEV_OK; }
  double *P = (double *) calloc((size_t) (2 * (u + 2)), sizeof(double));
  if (!P) return NEV_ERR_NOMEM;
  double *cur = P, *cs = P + u + 2;
  cur[0] = 1.0; /* m = 1 */
  long um = 0;
  for (size_t m = 2; m <= n; m++) {
    long un = um + (long) (m - 1);
    /* prefix sums of the previous distribution */
    double s = 0.0;
    for (long j = 0; j <= un; j++) {
      s += j <= um ? cur[j] : 0.0;
      cs[j] = s;
    }
    for (long j = 0; j <= un; j++) {
      long lo = j - (long) (m - 1);
      double v = cs[j] - (lo > 0 ? cs[lo - 1] : 0.0);
      cur[j] = v / (double) m;
    }
    um = un;
  }
  double s = 0.0;
  for (long j = 0; j <= q; j++) s += cur[j];
  free(P);
  *out = s > 1.0 ? 1.0 : s;
  return NEV_OK;
}

int nev_diag_kendall(const double *x, const double *y, size_t n, int exact,
                     double *tau, double *stat, double *pval,
                     int *used_exact)
{
  if (!x || !y || !tau || !stat || !pval || !used_exact) return NEV_ERR_ARG;
  if (n < 3) return NEV_ERR_ARG;
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i]) || !isfinite(y[i])) return NEV_ERR_DOMAIN;
  double S = 0.0, nx = 0.0, ny = 0.0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      double sx = (x[i] > x[j]) - (x[i] < x[j]);
      double sy = (y[i] > y[j]) - (y[i] < y[j]);
      S += sx * sy;
      nx += sx != 0.0;
      ny += sy != 0.0;
    }
  if (nx == 0.0 || ny == 0.0) return NEV_ERR_DOMAIN;
  *tau = S / sqrt(nx * ny);
  double T0 = (double) n * (double) (n - 1) / 2.0;
  double xa, xb, xc, ya, yb, yc;
  int st = tie_sums(x, n, &xa, &xb, &xc);
  if (st != NEV_OK) return st;
  st = tie_sums(y, n, &ya, &yb, &yc);
  if (st != NEV_OK) return st;
  int ties = xa > 0.0 || ya > 0.0;
  if (exact && !ties && n <= 500) {
    long conc = (long) nearbyint((S + T0) / 2.0);
    double pr;
    if ((double) conc > T0 / 2.0) {
      st = pkendall(conc - 1, n, &pr);
      pr = 1.0 - pr;
    } else {
      st = pkendall(conc, n, &pr);
    }
    if (st != NEV_OK) return st;
    *stat = (double) conc;
    *pval = 2.0 * pr < 1.0 ? 2.0 * pr : 1.0;
    *used_exact = 1;
    return NEV_OK;
  }
  double dn = (double) n;
  double v0 = dn * (dn - 1) * (2 * dn + 5);
  double varS = (v0 - xb - yb) / 18.0 + xa * ya / (2 * dn * (dn - 1)) +
                xc * yc / (9 * dn * (dn - 1) * (dn - 2));
  double z = S / sqrt(varS);
  *stat = z;
  double pl = 0.5 * erfc(z / M_SQRT2), pu = 0.5 * erfc(-z / M_SQRT2);
  /* pl = P(Z > z), pu = P(Z < z) */
  *pval = 2.0 * (pl < pu ? pl : pu);
  *used_exact = 0;
  return NEV_OK;
}

/* ---- trim and fill ---------------------------------------------------- */

typedef struct { double y; size_t i; } keyed_t;

static int cmp_keyed(const void *a, const void *b)
{
  const keyed_t *p = (const keyed_t *) a, *q = (const keyed_t *) b;
  if (p->y < q->y) return -1;
  if (p->y > q->y) return 1;
  return (p->i > q->i) - (p->i < q->i);
}

int nev_diag_trimfill(const double *yi, const double *vi, size_t k,
                      const nev_pool_opts *opts, int estimator, int side,
                      int maxiter, int *side_out, int *k0_out, double *se_k0,
                      int *iterations, int *converged, double *fill_y,
                      double *fill_v)
{
  if (!yi || !vi || !opts || !side_out || !k0_out || !se_k0 ||
      !iterations || !converged || !fill_y || !fill_v)
    return NEV_ERR_ARG;
  if (k < 2 || (estimator != 0 && estimator != 1) || side < -1 || side > 1 ||
      maxiter < 1)
    return NEV_ERR_ARG;
  int st = check_yv(yi, vi, k);
  if (st != NEV_OK) return st;
  nev_pool_opts o = *opts;
  o.tau2_fix = -1.0;
  o.test = NEV_POOL_TEST_Z;
  size_t nw = nev_pool_work_size(k, 2);
  double *buf = (double *) malloc((nw + 2 * k + 2 * k + 16) *
                                  sizeof(double));
  keyed_t *kv = (keyed_t *) malloc(k * sizeof(keyed_t));
  size_t *rk = (size_t *) malloc(k * sizeof(size_t));
  if (!buf || !kv || !rk) { free(buf); free(kv); free(rk); return NEV_ERR_NOMEM; }
  double *work = buf, *ys = buf + nw, *vs = ys + k, *Xs = vs + k;
  double b[2], se[2], vb[4], z[2], pv[2], lo[2], hi[2];
  nev_pool_result r;

  if (side < 0) {
    for (size_t i = 0; i < k; i++) { Xs[i] = 1.0; Xs[i + k] = sqrt(vi[i]); }
    memset(&r, 0, sizeof r);
    r.beta = b; r.se = se; r.vb = vb; r.zval = z; r.pval = pv;
    r.ci_lb = lo; r.ci_ub = hi; r.weights = NULL;
    st = nev_pool_fit_ws(yi, vi, k, Xs, 2, &o, &r, work);
    if (is_err(st)) { free(buf); free(kv); free(rk); return st; }
    side = b[1] < 0.0 ? 1 : 0;
  }
  *side_out = side;
  double sgn = side == 1 ? -1.0 : 1.0;
  for (size_t i = 0; i < k; i++) { kv[i].y = sgn * yi[i]; kv[i].i = i; }
  qsort(kv, k, sizeof(keyed_t), cmp_keyed);
  for (size_t i = 0; i < k; i++) { ys[i] = kv[i].y; vs[i] = vi[kv[i].i]; }

  long k0 = 0, k0sav = -1;
  int iter = 0, conv = 1;
  double beta = 0.0, sek0 = 0.0;
  double dk = (double) k;
  while (k0 != k0sav) {
    k0sav = k0;
    iter++;
    if (iter > maxiter) { conv = 0; iter = maxiter; break; }
    memset(&r, 0, sizeof r);
    r.beta = b; r.se = se; r.vb = vb; r.zval = z; r.pval = pv;
    r.ci_lb = lo; r.ci_ub = hi; r.weights = NULL;
    st = nev_pool_fit_ws(ys, vs, k - (size_t) k0, NULL, 1, &o, &r, work);
    if (is_err(st)) { free(buf); free(kv); free(rk); return st; }
    beta = b[0];
    /* ranks of |y - beta|, ties by position ("first") */
    for (size_t i = 0; i < k; i++) { kv[i].y = fabs(ys[i] - beta); kv[i].i = i; }
    qsort(kv, k, sizeof(keyed_t), cmp_keyed);
    for (size_t i = 0; i < k; i++) rk[kv[i].i] = i + 1;
    double k0d;
    if (estimator == 1) { /* R0 */
      double mx = 0.0;
      for (size_t i = 0; i < k; i++)
        if (ys[i] - beta < 0.0 && (double) rk[i] > mx) mx = (double) rk[i];
      k0d = (dk - mx) - 1.0;
      sek0 = sqrt(2.0 * (k0d > 0.0 ? k0d : 0.0) + 2.0);
    } else { /* L0 */
      double Sr = 0.0;
      for (size_t i = 0; i < k; i++)
        if (ys[i] - beta > 0.0) Sr += (double) rk[i];
      k0d = (4.0 * Sr - dk * (dk + 1.0)) / (2.0 * dk - 1.0);
      double varSr = (dk * (dk + 1) * (2 * dk + 1) + 10 * pow(k0d, 3) +
                      27 * k0d * k0d + 17 * k0d - 18 * dk * k0d * k0d -
                      18 * dk * k0d + 6 * dk * dk * k0d) / 24.0;
      sek0 = 4.0 * sqrt(varSr) / (2.0 * dk - 1.0);
    }
    double kr = nearbyint(k0d);
    if (!(kr > 0.0)) kr = 0.0;
    if (kr > dk - 1.0) kr = dk - 1.0;
    k0 = (long) kr;
    if (sek0 < 0.0) sek0 = 0.0;
  }
  *k0_out = (int) k0;
  *se_k0 = sek0;
  *iterations = iter;
  *converged = conv;
  /* filled studies: mirror the k0 largest (on the trimmed side) about
   * beta, in the order metafor appends them */
  for (long j = 0; j < k0; j++) {
    size_t i = k - (size_t) k0 + (size_t) j;
    fill_y[j] = sgn * (2.0 * beta - ys[i]);
    fill_v[j] = vs[i];
  }
  free(buf); free(kv); free(rk);
  return conv ? NEV_OK : NEV_WARN_NOCONV;
}
