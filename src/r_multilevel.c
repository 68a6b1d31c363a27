/* Glue for the three-level model and cluster-robust inference: coerce and
 * check, call the cores (multilevel.c, robust.c), map the status. Results
 * are named lists; enums are matched here from strings. */
#include "r_multilevel.h"
#include "multilevel.h"
#include "robust.h"
#include "nev_status.h"
#include <string.h>

/* Cluster offsets: an integer vector 0 = s[0] < s[1] < ... < s[m] = k. */
static size_t *offsets(SEXP start, R_xlen_t k, size_t *m)
{
  const int *s = nev_int_vec(start, "start", -1);
  R_xlen_t n = XLENGTH(start);
  if (n < 2) Rf_error("`start` must have length at least 2");
  if (s[0] != 0 || s[n - 1] != k)
    Rf_error("`start` must run from 0 to the number of rows (%lld)",
             (long long) k);
  size_t *o = (size_t *) R_alloc((size_t) n, sizeof(size_t));
  for (R_xlen_t j = 0; j < n; j++) {
    if (j > 0 && s[j] <= s[j - 1])
      Rf_error("`start` must be strictly increasing (element %lld)",
               (long long) j + 1);
    o[j] = (size_t) s[j];
  }
  *m = (size_t) (n - 1);
  return o;
}

static const double *design(SEXP X, R_xlen_t k, size_t *p)
{
  if (TYPEOF(X) != REALSXP || !Rf_isMatrix(X))
    Rf_error("`X` must be a double matrix");
  if (Rf_nrows(X) != k)
    Rf_error("`X` must have %lld rows (got %d)", (long long) k, Rf_nrows(X));
  *p = (size_t) Rf_ncols(X);
  if (*p < 1) Rf_error("`X` must have at least one column");
  return REAL(X);
}

static int method_code(SEXP method)
{
  if (TYPEOF(method) != STRSXP || XLENGTH(method) != 1 ||
      STRING_ELT(method, 0) == NA_STRING)
    Rf_error("`method` must be \"REML\" or \"ML\"");
  const char *s = CHAR(STRING_ELT(method, 0));
  if (strcmp(s, "REML") == 0) return NEV_ML3_REML;
  if (strcmp(s, "ML") == 0) return NEV_ML3_ML;
  Rf_error("`method` must be \"REML\" or \"ML\" (got \"%s\")", s);
  return -1;
}

static void opts_from(nev_ml3_opts *o, SEXP rho, SEXP method, SEXP tol,
                      SEXP maxiter)
{
  nev_ml3_opts_default(o);
  o->method = method_code(method);
  o->rho = nev_real_scalar(rho, "rho");
  o->tol = nev_real_scalar(tol, "tol");
  o->maxiter = nev_int_scalar(maxiter, "maxiter");
}

static void stop_status(int st, const char *what)
{
  if (st == NEV_ERR_SINGULAR)
    Rf_error("%s: a covariance matrix is not positive definite (check "
             "`rho` and the moderators)", what);
  nev_stop_on_error(st, what);
}

static const char *fit_names[] = {
  "beta", "vb", "sigma2", "ll_ml", "ll_reml", "QE", "vt", "iterations",
  "converged", "fallback", "status", ""};

SEXP r_ml3_fit(SEXP yi, SEXP vi, SEXP X, SEXP start, SEXP rho, SEXP method,
               SEXP tol, SEXP maxiter, SEXP fix)
{
  R_xlen_t k = XLENGTH(yi);
  const double *y = nev_real_vec(yi, "yi", -1);
  const double *v = nev_real_vec(vi, "vi", k);
  size_t p, m;
  const double *x = design(X, k, &p);
  size_t *so = offsets(start, k, &m);
  nev_ml3_opts o;
  opts_from(&o, rho, method, tol, maxiter);
  const double *fx = nev_real_vec(fix, "fix", 2);
  for (int l = 0; l < 2; l++) o.fix[l] = ISNAN(fx[l]) ? -1.0 : fx[l];
  int nprot = 0;
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, fit_names)); nprot++;
  SEXP beta = Rf_allocVector(REALSXP, (R_xlen_t) p); SET_VECTOR_ELT(out, 0, beta);
  SEXP vb = Rf_allocMatrix(REALSXP, (int) p, (int) p); SET_VECTOR_ELT(out, 1, vb);
  nev_ml3_result r;
  r.beta = REAL(beta); r.vb = REAL(vb);
  int st = nev_ml3_fit(y, v, x, (size_t) k, p, so, m, &o, &r);
  stop_status(st, "pool_multilevel");
  SEXP s2 = Rf_allocVector(REALSXP, 2); SET_VECTOR_ELT(out, 2, s2);
  REAL(s2)[0] = r.sigma2[0]; REAL(s2)[1] = r.sigma2[1];
  const double sc[] = {r.ll_ml, r.ll_reml, r.QE, r.vt};
  for (int j = 0; j < 4; j++) SET_VECTOR_ELT(out, 3 + j, Rf_ScalarReal(sc[j]));
  SET_VECTOR_ELT(out, 7, Rf_ScalarInteger(r.iterations));
  SET_VECTOR_ELT(out, 8, Rf_ScalarLogical(r.converged));
  SET_VECTOR_ELT(out, 9, Rf_ScalarLogical(r.fallback));
  SET_VECTOR_ELT(out, 10, Rf_ScalarInteger(st));
  UNPROTECT(nprot);
  return out;
}

static const char *prof_names[] = {"lower", "upper", "status", ""};

SEXP r_ml3_profile(SEXP yi, SEXP vi, SEXP X, SEXP start, SEXP rho,
                   SEXP method, SEXP tol, SEXP maxiter, SEXP which,
                   SEXP est, SEXP ll_max, SEXP level)
{
  R_xlen_t k = XLENGTH(yi);
  const double *y = nev_real_vec(yi, "yi", -1);
  const double *v = nev_real_vec(vi, "vi", k);
  size_t p, m;
  const double *x = design(X, k, &p);
  size_t *so = offsets(start, k, &m);
  nev_ml3_opts o;
  opts_from(&o, rho, method, tol, maxiter);
  int wh = nev_int_scalar(which, "which");
  const double *es = nev_real_vec(est, "est", 2);
  double llm = nev_real_scalar(ll_max, "ll_max");
  double lev = nev_real_scalar(level, "level");
  double lo = NAN, hi = NAN;
  int st = nev_ml3_profile(y, v, x, (size_t) k, p, so, m, &o, wh - 1, es, llm,
                           lev, &lo, &hi);
  stop_status(st, "profile interval");
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, prof_names));
  SET_VECTOR_ELT(out, 0, Rf_ScalarReal(lo));
  SET_VECTOR_ELT(out, 1, Rf_ScalarReal(hi));
  SET_VECTOR_ELT(out, 2, Rf_ScalarInteger(st));
  UNPROTECT(1);
  return out;
}

static int cr_code(SEXP type)
{
  static const char *names[] = {"CR0", "CR1", "CR1p", "CR1S", "CR2"};
  if (TYPEOF(type) != STRSXP || XLENGTH(type) != 1 ||
      STRING_ELT(type, 0) == NA_STRING)
    Rf_error("`type` must be one of \"CR0\", \"CR1\", \"CR1p\", \"CR1S\", "
             "\"CR2\"");
  const char *s = CHAR(STRING_ELT(type, 0));
  for (int i = 0; i < 5; i++)
    if (strcmp(s, names[i]) == 0) return i;
  Rf_error("`type` must be one of \"CR0\", \"CR1\", \"CR1p\", \"CR1S\", "
           "\"CR2\" (got \"%s\")", s);
  return -1;
}

static const char *rob_names[] = {"vcov", "df", "nu", "status", ""};

SEXP r_robust_vcov(SEXP X, SEXP e, SEXP vi, SEXP start, SEXP rho,
                   SEXP sigma2, SEXP type, SEXP C)
{
  R_xlen_t k = XLENGTH(e);
  const double *ev = nev_real_vec(e, "e", -1);
  const double *v = nev_real_vec(vi, "vi", k);
  size_t p, m, q = 0;
  const double *x = design(X, k, &p);
  size_t *so = offsets(start, k, &m);
  double r = nev_real_scalar(rho, "rho");
  const double *s2 = nev_real_vec(sigma2, "sigma2", 2);
  int tp = cr_code(type);
  const double *cm = NULL;
  if (!Rf_isNull(C)) {
    if (TYPEOF(C) != REALSXP || !Rf_isMatrix(C))
      Rf_error("`C` must be a double matrix");
    if ((size_t) Rf_ncols(C) != p)
      Rf_error("`C` must have %d columns (got %d)", (int) p, Rf_ncols(C));
    q = (size_t) Rf_nrows(C);
    if (q < 1) Rf_error("`C` must have at least one row");
    cm = REAL(C);
  }
  int nprot = 0;
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, rob_names)); nprot++;
  SEXP vc = Rf_allocMatrix(REALSXP, (int) p, (int) p); SET_VECTOR_ELT(out, 0, vc);
  SEXP df = Rf_allocVector(REALSXP, (R_xlen_t) p); SET_VECTOR_ELT(out, 1, df);
  double nu = NA_REAL;
  int st = nev_robust(x, ev, v, (size_t) k, p, so, m, r, s2[0], s2[1], tp, cm,
                      q, REAL(vc), REAL(df), cm ? &nu : NULL);
  stop_status(st, "cluster-robust covariance");
  SET_VECTOR_ELT(out, 2, Rf_ScalarReal(nu));
  SET_VECTOR_ELT(out, 3, Rf_ScalarInteger(st));
  UNPROTECT(nprot);
  return out;
}
