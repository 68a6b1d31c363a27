/* Glue for the diagnostics family: coerce and check, call the core, map
 * status. */
#include "r_diag.h"
#include "diag.h"
#include "nev_status.h"
#include <math.h>

static void diag_opts(nev_pool_opts *o, SEXP method, SEXP test, SEXP adhoc,
                      SEXP level, SEXP tol, SEXP maxiter, SEXP tau2_fix)
{
  nev_pool_opts_default(o);
  o->method = nev_int_scalar(method, "method");
  if (!Rf_isNull(test)) o->test = nev_int_scalar(test, "test");
  if (!Rf_isNull(adhoc)) o->hksj_adhoc = nev_bool_scalar(adhoc, "hksj_adhoc");
  if (!Rf_isNull(level)) o->level = nev_real_scalar(level, "level");
  o->tol = nev_real_scalar(tol, "tol");
  o->maxiter = nev_int_scalar(maxiter, "maxiter");
  o->tau2_fix = Rf_isNull(tau2_fix) ? -1.0 : nev_real_scalar(tau2_fix, "tau2");
}

static const double *diag_design(SEXP X, R_xlen_t k, size_t *p)
{
  if (Rf_isNull(X)) { *p = 1; return NULL; }
  if (TYPEOF(X) != REALSXP || !Rf_isMatrix(X))
    Rf_error("`X` must be a double matrix");
  if (Rf_nrows(X) != k)
    Rf_error("`X` must have %lld rows (got %d)", (long long) k, Rf_nrows(X));
  if (Rf_ncols(X) < 1) Rf_error("`X` must have at least one column");
  *p = (size_t) Rf_ncols(X);
  return REAL(X);
}

static SEXP new_mat(SEXP out, int idx, R_xlen_t k, size_t p, double **ptr)
{
  SEXP m = Rf_allocMatrix(REALSXP, (int) k, (int) p);
  SET_VECTOR_ELT(out, idx, m);
  *ptr = REAL(m);
  return m;
}

static SEXP new_vec(SEXP out, int idx, SEXPTYPE type, R_xlen_t k)
{
  SEXP v = Rf_allocVector(type, k);
  SET_VECTOR_ELT(out, idx, v);
  return v;
}

static const char *loo_names[] = {
  "beta", "se", "zval", "pval", "ci_lb", "ci_ub", "tau2", "QE", "QE_p",
  "I2", "H2", "s2w", "converged", "status", "rstudent", "dffits", "cook",
  "covratio", "hat", "weight", "dfbetas", "code", ""};

SEXP r_diag_loo(SEXP yi, SEXP vi, SEXP X, SEXP method, SEXP test,
                SEXP adhoc, SEXP level, SEXP tol, SEXP maxiter, SEXP tau2_fix,
                SEXP btt0, SEXP influence)
{
  R_xlen_t k = XLENGTH(yi);
  const double *y = nev_real_vec(yi, "yi", -1);
  const double *v = nev_real_vec(vi, "vi", k);
  size_t p;
  const double *x = diag_design(X, k, &p);
  nev_pool_opts o;
  diag_opts(&o, method, test, adhoc, level, tol, maxiter, tau2_fix);
  int b0 = nev_int_scalar(btt0, "btt0");
  int inf = nev_bool_scalar(influence, "influence");
  if (b0 < 0) Rf_error("`btt0` must be non-negative (got %d)", b0);
  if (k < 2) Rf_error("leave-one-out needs at least 2 studies (got %lld)",
                      (long long) k);
  if ((size_t) k - 1 < p)
    Rf_error("leave-one-out needs more studies than coefficients (%lld "
             "studies, %d coefficients)", (long long) k, (int) p);
  int nprot = 0;
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, loo_names)); nprot++;
  nev_diag_loo_out r;
  new_mat(out, 0, k, p, &r.beta);
  new_mat(out, 1, k, p, &r.se);
  new_mat(out, 2, k, p, &r.zval);
  new_mat(out, 3, k, p, &r.pval);
  new_mat(out, 4, k, p, &r.ci_lb);
  new_mat(out, 5, k, p, &r.ci_ub);
  double **vecs[] = {&r.tau2, &r.QE, &r.QE_p, &r.I2, &r.H2, &r.s2w};
  for (int j = 0; j < 6; j++)
    *vecs[j] = REAL(new_vec(out, 6 + j, REALSXP, k));
  r.converged = LOGICAL(new_vec(out, 12, LGLSXP, k));
  r.status = INTEGER(new_vec(out, 13, INTSXP, k));
  double **ivecs[] = {&r.rstudent, &r.dffits, &r.cook, &r.covratio, &r.hat,
                      &r.weight};
  for (int j = 0; j < 6; j++) {
    if (inf) *ivecs[j] = REAL(new_vec(out, 14 + j, REALSXP, k));
    else *ivecs[j] = NULL;
  }
  if (inf) new_mat(out, 20, k, p, &r.dfbetas);
  else r.dfbetas = NULL;
  nev_r_interrupt ri;
  PROTECT(nev_interrupt_setup(&ri)); nprot++;
  int st = nev_diag_loo(y, v, (size_t) k, x, p, &o, (size_t) b0, &r,
                        &ri.core);
  if (st == NEV_ERR_INTERRUPT) nev_interrupt_resume(&ri);
  nev_stop_on_error(st, "leave-one-out");
  SET_VECTOR_ELT(out, 21, Rf_ScalarInteger(st));
  UNPROTECT(nprot);
  return out;
}

static const char *cumul_names[] = {
  "beta", "se", "zval", "pval", "ci_lb", "ci_ub", "tau2", "QE", "QE_p",
  "I2", "H2", "converged", ""};

SEXP r_diag_cumul(SEXP yi, SEXP vi, SEXP method, SEXP test, SEXP adhoc,
                  SEXP level, SEXP tol, SEXP maxiter, SEXP tau2_fix)
{
  R_xlen_t k = XLENGTH(yi);
  const double *y = nev_real_vec(yi, "yi", -1);
  const double *v = nev_real_vec(vi, "vi", k);
  nev_pool_opts o;
  diag_opts(&o, method, test, adhoc, level, tol, maxiter, tau2_fix);
  int nprot = 0;
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, cumul_names)); nprot++;
  double *c[11];
  for (int j = 0; j < 11; j++) c[j] = REAL(new_vec(out, j, REALSXP, k));
  int *conv = LOGICAL(new_vec(out, 11, LGLSXP, k));
  nev_r_interrupt ri;
  PROTECT(nev_interrupt_setup(&ri)); nprot++;
  int st = nev_diag_cumul(y, v, (size_t) k, &o, c[0], c[1], c[2], c[3], c[4],
                          c[5], c[6], c[7], c[8], c[9], c[10], conv,
                          &ri.core);
  if (st == NEV_ERR_INTERRUPT) nev_interrupt_resume(&ri);
  nev_stop_on_error(st, "cumulative meta-analysis");
  UNPROTECT(nprot);
  return out;
}

SEXP r_diag_wls(SEXP y, SEXP v, SEXP X)
{
  R_xlen_t k = XLENGTH(y);
  const double *yy = nev_real_vec(y, "y", -1);
  const double *vv = nev_real_vec(v, "v", k);
  size_t p;
  const double *x = diag_design(X, k, &p);
  if (x == NULL) Rf_error("`X` must be a double matrix");
  int nprot = 0;
  const char *nm[] = {"coef", "se", "t", "s2", ""};
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, nm)); nprot++;
  double *b = REAL(new_vec(out, 0, REALSXP, (R_xlen_t) p));
  double *se = REAL(new_vec(out, 1, REALSXP, (R_xlen_t) p));
  double *t = REAL(new_vec(out, 2, REALSXP, (R_xlen_t) p));
  double s2 = NAN;
  int st = nev_diag_wls(yy, vv, (size_t) k, x, p, b, se, t, &s2);
  nev_stop_on_error(st, "weighted regression");
  SET_VECTOR_ELT(out, 3, Rf_ScalarReal(s2));
  UNPROTECT(nprot);
  return out;
}

/* Kendall's tau-b, the test statistic, its p-value and whether the exact
 * distribution was used (1) or the normal approximation (0). */
static const char *const kendall_names[] = {"tau", "statistic", "p.value",
                                            "exact"};

SEXP r_diag_kendall(SEXP x, SEXP y, SEXP exact)
{
  R_xlen_t n = XLENGTH(x);
  const double *xx = nev_real_vec(x, "x", -1);
  const double *yy = nev_real_vec(y, "y", n);
  int ex = nev_bool_scalar(exact, "exact");
  double tau = NAN, stat = NAN, pval = NAN;
  int used = 0;
  int st = nev_diag_kendall(xx, yy, (size_t) n, ex, &tau, &stat, &pval, &used);
  nev_stop_on_error(st, "Kendall's tau");
  const double res[4] = {tau, stat, pval, (double) used};
  return nev_real_result(res, kendall_names, 4);
}

static const char *tf_names[] = {
  "side", "k0", "se_k0", "iterations", "converged", "fill_y", "fill_v",
  "status", ""};

SEXP r_diag_trimfill(SEXP yi, SEXP vi, SEXP method, SEXP tol, SEXP maxiter,
                     SEXP estimator, SEXP side, SEXP tf_maxiter)
{
  R_xlen_t k = XLENGTH(yi);
  const double *y = nev_real_vec(yi, "yi", -1);
  const double *v = nev_real_vec(vi, "vi", k);
  nev_pool_opts o;
  diag_opts(&o, method, R_NilValue, R_NilValue, R_NilValue, tol, maxiter,
            R_NilValue);
  int est = nev_int_scalar(estimator, "estimator");
  int sd = nev_int_scalar(side, "side");
  int mi = nev_int_scalar(tf_maxiter, "maxiter");
  double *fy = (double *) R_alloc((size_t) (k > 0 ? k : 1), sizeof(double));
  double *fv = (double *) R_alloc((size_t) (k > 0 ? k : 1), sizeof(double));
  int so = 0, k0 = 0, it = 0, conv = 0;
  double sek0 = NAN;
  int st = nev_diag_trimfill(y, v, (size_t) k, &o, est, sd, mi, &so, &k0,
                             &sek0, &it, &conv, fy, fv);
  nev_stop_on_error(st, "trim and fill");
  int nprot = 0;
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, tf_names)); nprot++;
  SET_VECTOR_ELT(out, 0, Rf_ScalarInteger(so));
  SET_VECTOR_ELT(out, 1, Rf_ScalarInteger(k0));
  SET_VECTOR_ELT(out, 2, Rf_ScalarReal(sek0));
  SET_VECTOR_ELT(out, 3, Rf_ScalarInteger(it));
  SET_VECTOR_ELT(out, 4, Rf_ScalarLogical(conv));
  SEXP a = new_vec(out, 5, REALSXP, k0);
  SEXP b = new_vec(out, 6, REALSXP, k0);
  for (int j = 0; j < k0; j++) { REAL(a)[j] = fy[j]; REAL(b)[j] = fv[j]; }
  SET_VECTOR_ELT(out, 7, Rf_ScalarInteger(st));
  UNPROTECT(nprot);
  return out;
}
