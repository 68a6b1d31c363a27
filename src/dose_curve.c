/* Nonlinear dose-response curves (see dose_curve.h). */
#include "dose_curve.h"
#include "nev_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>

size_t nev_curve_npar(int model)
{
  switch (model) {
  case NEV_CURVE_EMAX: return 3;
  case NEV_CURVE_SIGEMAX: return 4;
  case NEV_CURVE_LL4: return 4;
  case NEV_CURVE_EXP: return 3;
  case NEV_CURVE_LINEAR: return 2;
  default: return 0;
  }
}

int nev_curve_eval(int model, const double *restrict par, size_t n,
                   const double *restrict x, double *restrict f,
                   double *restrict J)
{
  size_t p = nev_curve_npar(model);
  if (p == 0) return NEV_ERR_ARG;
  for (size_t i = 0; i < n; i++) {
    double d = x[i], *Ji = J ? J + i * p : NULL;
    if (!(d >= 0.0) || !isfinite(d)) return NEV_ERR_DOMAIN;
    switch (model) {
    case NEV_CURVE_EMAX: {
      double e0 = par[0], em = par[1], ed = par[2], den = ed + d;
      f[i] = e0 + em * d / den;
      if (Ji) { Ji[0] = 1.0; Ji[1] = d / den; Ji[2] = -em * d / (den * den); }
      break;
    }
    case NEV_CURVE_SIGEMAX: {
      double e0 = par[0], em = par[1], ed = par[2], h = par[3];
      if (d == 0.0) {
        f[i] = e0;
        if (Ji) { Ji[0] = 1.0; Ji[1] = Ji[2] = Ji[3] = 0.0; }
        break;
      }
      double u = pow(d, h), v = pow(ed, h), s = u + v;
      f[i] = e0 + em * u / s;
      if (Ji) {
        Ji[0] = 1.0;
        Ji[1] = u / s;
        Ji[2] = -em * u * h * v / (ed * s * s);
        Ji[3] = em * u * v * (log(d) - log(ed)) / (s * s);
      }
      break;
    }
    case NEV_CURVE_LL4: {
      double b = par[0], c = par[1], dd = par[2], e = par[3];
      double t, lr = 0.0;
      if (d == 0.0) {
        t = (b > 0.0) ? 0.0 : (b < 0.0 ? HUGE_VAL : 1.0);
      } else {
        lr = log(d) - log(e);
        t = exp(b * lr);
      }
      if (isinf(t)) {
        f[i] = c;
        if (Ji) { Ji[0] = 0.0; Ji[1] = 1.0; Ji[2] = 0.0; Ji[3] = 0.0; }
        break;
      }
      double D = 1.0 + t;
      f[i] = c + (dd - c) / D;
      if (Ji) {
        Ji[0] = -(dd - c) * t * lr / (D * D);
        Ji[1] = 1.0 - 1.0 / D;
        Ji[2] = 1.0 / D;
        Ji[3] = (d == 0.0) ? 0.0 : (dd - c) * t * b / (e * D * D);
      }
      break;
    }
    case NEV_CURVE_EXP: {
      double e0 = par[0], e1 = par[1], de = par[2], ex = exp(d / de);
      f[i] = e0 + e1 * (ex - 1.0);
      if (Ji) { Ji[0] = 1.0; Ji[1] = ex - 1.0; Ji[2] = -e1 * ex * d / (de * de); }
      break;
    }
    default: { /* NEV_CURVE_LINEAR */
      f[i] = par[0] + par[1] * d;
      if (Ji) { Ji[0] = 1.0; Ji[1] = d; }
      break;
    }
    }
    if (!isfinite(f[i])) return NEV_ERR_DOMAIN;
    if (Ji)
      for (size_t a = 0; a < p; a++)
        if (!isfinite(Ji[a])) return NEV_ERR_DOMAIN;
  }
  return NEV_OK;
}

typedef struct {
  int model, wmode;
  size_t n, p;
  const double *x, *y, *se;
  gsl_matrix *L; /* Cholesky factor of the data covariance (wmode 2) */
  double *fbuf, *Jbuf;
} curve_data;

static int curve_f(const gsl_vector *par, void *vd, gsl_vector *r)
{
  curve_data *d = vd;
  if (nev_curve_eval(d->model, par->data, d->n, d->x, d->fbuf, NULL)) {
    /* Outside the model's domain: a huge residual makes the trust-region
     * step fail, so the algorithm shrinks the step instead of stopping. */
    gsl_vector_set_all(r, 1e100);
    return GSL_SUCCESS;
  }
  for (size_t i = 0; i < d->n; i++) {
    double ri = d->fbuf[i] - d->y[i];
    if (d->wmode == 1) ri /= d->se[i];
    gsl_vector_set(r, i, ri);
  }
  if (d->wmode == 2)
    return gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, d->L, r);
  return GSL_SUCCESS;
}

static int curve_df(const gsl_vector *par, void *vd, gsl_matrix *J)
{
  curve_data *d = vd;
  if (nev_curve_eval(d->model, par->data, d->n, d->x, d->fbuf, d->Jbuf))
    return GSL_EDOM;
  for (size_t i = 0; i < d->n; i++)
    for (size_t a = 0; a < d->p; a++) {
      double v = d->Jbuf[i * d->p + a];
      if (d->wmode == 1) v /= d->se[i];
      gsl_matrix_set(J, i, a, v);
    }
  if (d->wmode == 2)
    return gsl_blas_dtrsm(CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit,
                          1.0, d->L, J);
  return GSL_SUCCESS;
}

int nev_curve_fit(int model, size_t n, const double *restrict x,
                  const double *restrict y, int wmode,
                  const double *restrict w, double *restrict par,
                  double *restrict cov, double *rss, int maxit, double tol,
                  int *iter)
{
  size_t p = nev_curve_npar(model);
  *iter = 0;
  *rss = NAN;
  if (p == 0 || wmode < 0 || wmode > 2 || (wmode && !w) || maxit < 1 ||
      !(tol > 0.0))
    return NEV_ERR_ARG;
  if (n < p) return NEV_ERR_ARG;
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i]) || !isfinite(y[i]) || x[i] < 0.0)
      return NEV_ERR_DOMAIN;
  for (size_t a = 0; a < p; a++)
    if (!isfinite(par[a])) return NEV_ERR_DOMAIN;
  if (wmode == 1)
    for (size_t i = 0; i < n; i++)
      if (!(w[i] > 0.0) || !isfinite(w[i])) return NEV_ERR_DOMAIN;

  int st = NEV_OK;
  curve_data d = {model, wmode, n, p, x, y, w, NULL, NULL, NULL};
  gsl_multifit_nlinear_workspace *ws = NULL;
  gsl_vector *x0 = NULL;
  gsl_matrix *C = NULL;
  d.fbuf = malloc(n * sizeof(double));
  d.Jbuf = malloc(n * p * sizeof(double));
  if (!d.fbuf || !d.Jbuf) { st = NEV_ERR_NOMEM; goto done; }
  if (wmode == 2) {
    d.L = gsl_matrix_alloc(n, n);
    if (!d.L) { st = NEV_ERR_NOMEM; goto done; }
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++) {
        double v = w[i * n + j];
        if (!isfinite(v)) { st = NEV_ERR_DOMAIN; goto done; }
        gsl_matrix_set(d.L, i, j, v);
      }
    if (gsl_linalg_cholesky_decomp1(d.L)) { st = NEV_ERR_SINGULAR; goto done; }
  }
  /* The start must be evaluable. */
  if (nev_curve_eval(model, par, n, x, d.fbuf, d.Jbuf)) {
    st = NEV_ERR_DOMAIN;
    goto done;
  }
  gsl_multifit_nlinear_fdf fdf;
  fdf.f = curve_f;
  fdf.df = curve_df;
  fdf.fvv = NULL;
  fdf.n = n;
  fdf.p = p;
  fdf.params = &d;
  gsl_multifit_nlinear_parameters prm = gsl_multifit_nlinear_default_parameters();
  prm.trs = gsl_multifit_nlinear_trs_lm;
  ws = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &prm, n, p);
  x0 = gsl_vector_alloc(p);
  C = gsl_matrix_alloc(p, p);
  if (!ws || !x0 || !C) { st = NEV_ERR_NOMEM; goto done; }
  for (size_t a = 0; a < p; a++) gsl_vector_set(x0, a, par[a]);
  if (gsl_multifit_nlinear_init(x0, &fdf, ws)) { st = NEV_ERR_DOMAIN; goto done; }
  int info = 0;
  int gst = gsl_multifit_nlinear_driver((size_t) maxit, tol, tol, 0.0, NULL,
                                        NULL, &info, ws);
  *iter = (int) gsl_multifit_nlinear_niter(ws);
  gsl_vector *sol = gsl_multifit_nlinear_position(ws);
  gsl_vector *res = gsl_multifit_nlinear_residual(ws);
  for (size_t a = 0; a < p; a++) par[a] = gsl_vector_get(sol, a);
  double s2;
  gsl_blas_ddot(res, res, &s2);
  *rss = s2;
  /* GSL reports "no progress on the first iteration" (a start already at
   * the optimum) as GSL_EMAXITER with info = GSL_ENOPROG. */
  if (gst == GSL_EMAXITER && info == GSL_ENOPROG) gst = GSL_ENOPROG;
  if (gst == GSL_ENOPROG) {
    /* No further reduction possible: accept if the gradient J'r is
     * negligible relative to the fit. */
    gsl_matrix *Jw = gsl_multifit_nlinear_jac(ws);
    double gmax = 0.0;
    for (size_t a = 0; a < p; a++) {
      double g = 0.0, jn = 0.0;
      for (size_t i = 0; i < n; i++) {
        g += gsl_matrix_get(Jw, i, a) * gsl_vector_get(res, i);
        jn += gsl_matrix_get(Jw, i, a) * gsl_matrix_get(Jw, i, a);
      }
      double sc = sqrt(jn) * sqrt(s2) + 1e-300;
      gmax = fmax(gmax, fabs(g) / sc);
    }
    if (gmax > 1e-6) st = NEV_WARN_NOCONV;
  } else if (gst == GSL_EMAXITER) {
    st = NEV_WARN_NOCONV;
  } else if (gst) {
    st = NEV_ERR_GSL;
    goto done;
  }
  /* Covariance (J'J)^-1 of the whitened problem by Cholesky. */
  {
    gsl_matrix *Jw = gsl_multifit_nlinear_jac(ws);
    gsl_blas_dsyrk(CblasLower, CblasTrans, 1.0, Jw, 0.0, C);
    for (size_t a = 0; a < p; a++)
      for (size_t b = a + 1; b < p; b++)
        gsl_matrix_set(C, a, b, gsl_matrix_get(C, b, a));
    if (gsl_linalg_cholesky_decomp1(C) || gsl_linalg_cholesky_invert(C)) {
      st = NEV_ERR_SINGULAR;
      goto done;
    }
    for (size_t a = 0; a < p; a++)
      for (size_t b = 0; b < p; b++)
        cov[a * p + b] = gsl_matrix_get(C, a, b);
  }
done:
  if (ws) gsl_multifit_nlinear_free(ws);
  if (x0) gsl_vector_free(x0);
  if (C) gsl_matrix_free(C);
  if (d.L) gsl_matrix_free(d.L);
  free(d.fbuf);
  free(d.Jbuf);
  return st;
}
