/* Glue for the dose family: .Call entry points around dose.c. */
#include "r_dose.h"
#include "dose.h"
#include "dose_curve.h"
#include "dose_pk.h"
#include "nev_status.h"

#include <limits.h>
#include <string.h>

/* Study layout shared by the entry points: rows start[s] .. start[s] +
 * len[s] - 1 (0-based) belong to study s, ref[s] is its referent row
 * (0-based within the study), type[s] its design. */
typedef struct {
  R_xlen_t nrow;
  int k;
  const int *start, *len, *ref, *type;
} study_layout;

static study_layout get_layout(SEXP start, SEXP len, SEXP ref, SEXP type,
                               R_xlen_t nrow)
{
  study_layout L;
  L.nrow = nrow;
  L.start = nev_int_vec(start, "start", -1);
  if (XLENGTH(start) > INT_MAX)
    Rf_error("`start` has more than %d studies", INT_MAX);
  L.k = (int) XLENGTH(start);
  L.len = nev_int_vec(len, "len", L.k);
  L.ref = nev_int_vec(ref, "ref", L.k);
  L.type = nev_int_vec(type, "type", L.k);
  for (int s = 0; s < L.k; s++) {
    /* Overflow-safe: rows start .. start + len - 1 must lie in 0 .. nrow - 1
     * (NA_INTEGER is negative and fails the first tests). */
    R_xlen_t st = L.start[s], ln = L.len[s];
    if (st < 0 || ln < 2 || st > nrow || ln > nrow - st ||
        L.ref[s] < 0 || L.ref[s] >= L.len[s])
      Rf_error("invalid layout of study %d: `start` = %d, `len` = %d, "
               "`ref` = %d for %lld rows", s + 1, L.start[s], L.len[s],
               L.ref[s], (long long) nrow);
  }
  return L;
}

/* Category-level data shared by the entry points: log relative risks y,
 * their variances v and (optional) cases and totals n, nr rows each. */
typedef struct {
  R_xlen_t nr;
  const double *y, *v, *cases, *n;
} dose_obs;

static dose_obs get_obs(SEXP y, SEXP v, SEXP cases, SEXP n, int covmethod)
{
  dose_obs o;
  o.nr = XLENGTH(y);
  o.y = nev_real_vec(y, "y", -1);
  o.v = nev_real_vec(v, "v", o.nr);
  o.cases = Rf_isNull(cases) ? NULL : nev_real_vec(cases, "cases", o.nr);
  o.n = Rf_isNull(n) ? NULL : nev_real_vec(n, "n", o.nr);
  if (covmethod != NEV_DOSE_INDEP && (!o.cases || !o.n))
    Rf_error("`cases` and `n` are needed for this covariance method");
  return o;
}

/* The design matrix of the fitters: a double matrix, one row per
 * observation, at least one column (*p). */
static const double *get_design(SEXP X, R_xlen_t nr, size_t *p)
{
  if (!Rf_isMatrix(X) || TYPEOF(X) != REALSXP || Rf_nrows(X) != nr)
    Rf_error("`X` must be a double matrix with one row per observation");
  *p = (size_t) Rf_ncols(X);
  if (*p == 0) Rf_error("the design has no columns");
  return REAL(X);
}

static const char *label(SEXP labels, int s)
{
  if (TYPEOF(labels) == STRSXP && s < XLENGTH(labels))
    return CHAR(STRING_ELT(labels, s));
  return "?";
}

/* Covariance of every study into a list of matrices; A, N filled. */
static SEXP all_covariances(const study_layout *L, const double *y,
                            const double *v, const double *cases,
                            const double *n, int method, SEXP labels,
                            double *A, double *N, int *iter, int *conv,
                            int *nprot)
{
  SEXP Slist = PROTECT(Rf_allocVector(VECSXP, L->k));
  (*nprot)++;
  for (int s = 0; s < L->k; s++) {
    size_t m = (size_t) L->len[s], q = m - 1, bad = m;
    R_xlen_t o = L->start[s];
    double *S = (double *) R_alloc(q * q, sizeof(double));
    int st = nev_dose_pseudo(L->type[s], method, m, (size_t) L->ref[s],
                             y + o, v + o, cases ? cases + o : NULL,
                             n ? n + o : NULL, A + o, N + o, S, &iter[s],
                             &bad);
    if (st == NEV_ERR_SINGULAR)
      Rf_error("study %s: the reconstructed covariance matrix of the log "
               "relative risks is not positive definite; check the "
               "counts and standard errors or use `covariance = "
               "\"independent\"`", label(labels, s));
    if (st == NEV_ERR_DOMAIN) {
      if (bad < m)
        Rf_error("study %s, category %d: %s (the pseudo-counts need "
                 "positive cases, n above cases, and a positive variance "
                 "for every non-referent category)", label(labels, s),
                 (int) bad + 1, nev_status_message(st));
      Rf_error("study %s: no pseudo-counts reproduce the reported log "
               "relative risks%s with these counts", label(labels, s),
               method == NEV_DOSE_HAMLING ? " and standard errors" : "");
    }
    nev_stop_on_error(st, "dose covariance");
    conv[s] = (st == NEV_OK);
    SEXP Sm = PROTECT(Rf_allocMatrix(REALSXP, (int) q, (int) q));
    double *sp = REAL(Sm);
    for (size_t i = 0; i < q; i++)
      for (size_t j = 0; j < q; j++)
        sp[i + j * q] = S[i * q + j];
    SET_VECTOR_ELT(Slist, s, Sm);
    UNPROTECT(1);
  }
  return Slist;
}

/* The pseudo-counts A, N, the list S of covariance matrices, the iteration
 * counts and convergence flags of every study, PROTECTed (counted in
 * *nprot). */
typedef struct {
  SEXP A, N, S, it, cv;
} dose_covs;

static dose_covs covariances(const study_layout *L, const dose_obs *o,
                             int method, SEXP labels, int *nprot)
{
  dose_covs c;
  c.A = PROTECT(Rf_allocVector(REALSXP, o->nr)); (*nprot)++;
  c.N = PROTECT(Rf_allocVector(REALSXP, o->nr)); (*nprot)++;
  c.it = PROTECT(Rf_allocVector(INTSXP, L->k)); (*nprot)++;
  c.cv = PROTECT(Rf_allocVector(LGLSXP, L->k)); (*nprot)++;
  c.S = all_covariances(L, o->y, o->v, o->cases, o->n, method, labels,
                        REAL(c.A), REAL(c.N), INTEGER(c.it), LOGICAL(c.cv),
                        nprot);
  return c;
}

/* Study s without its referent row: responses ys (q), design rows Xs
 * (q x p, row-major, from the column-major X with L->nrow rows) and
 * covariance Ss (q x q, row-major, from the column-major matrix S[[s]]). */
static void study_rows(const study_layout *L, int s, const double *y,
                       const double *X, size_t p, SEXP S, double *ys,
                       double *Xs, double *Ss)
{
  size_t m = (size_t) L->len[s], q = m - 1, r0 = (size_t) L->ref[s];
  R_xlen_t o = L->start[s];
  for (size_t i = 0, a = 0; i < m; i++) {
    if (i == r0) continue;
    ys[a] = y[o + i];
    for (size_t j = 0; j < p; j++)
      Xs[a * p + j] = X[(o + i) + j * L->nrow];
    a++;
  }
  const double *Sr = REAL(VECTOR_ELT(S, s));
  for (size_t i = 0; i < q; i++)
    for (size_t j = 0; j < q; j++) Ss[i * q + j] = Sr[i + j * q];
}

SEXP r_dose_covariance(SEXP y, SEXP v, SEXP cases, SEXP n, SEXP type,
                       SEXP start, SEXP len, SEXP ref, SEXP method,
                       SEXP labels)
{
  int nprot = 0;
  int meth = nev_int_scalar(method, "method");
  dose_obs o = get_obs(y, v, cases, n, meth);
  study_layout L = get_layout(start, len, ref, type, o.nr);
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 4)); nprot++;
  dose_covs c = covariances(&L, &o, meth, labels, &nprot);
  SET_VECTOR_ELT(out, 0, c.A);
  SET_VECTOR_ELT(out, 1, c.N);
  SET_VECTOR_ELT(out, 2, c.S);
  SET_VECTOR_ELT(out, 3, c.cv);
  SEXP nm = PROTECT(Rf_allocVector(STRSXP, 4)); nprot++;
  SET_STRING_ELT(nm, 0, Rf_mkChar("A"));
  SET_STRING_ELT(nm, 1, Rf_mkChar("N"));
  SET_STRING_ELT(nm, 2, Rf_mkChar("S"));
  SET_STRING_ELT(nm, 3, Rf_mkChar("converged"));
  Rf_setAttrib(out, R_NamesSymbol, nm);
  UNPROTECT(nprot);
  return out;
}

static const char *fit_names[] = {
  "A", "N", "S", "cov_converged", "bi", "Vi", "gof", "coefficients",
  "vcov", "Psi", "logLik", "Q", "iterations", "converged", "gradient"};

/* The list returned by the two fitters, named by fit_names: the
 * covariances c, the per-study fits bi, Vi, gof (NULL for the one-stage
 * model), the pooled coefficients beta, their covariance vbr and the
 * between-study covariance psr (p x p, row-major), the fit summary res and
 * the heterogeneity statistic Q. */
static SEXP fit_result(const dose_covs *c, SEXP bi, SEXP Vi, SEXP gof,
                       SEXP beta, const double *vbr, const double *psr,
                       const nev_dose_mv *res, double Q)
{
  int nprot = 0;
  size_t p = (size_t) XLENGTH(beta);
  SEXP vb = PROTECT(Rf_allocMatrix(REALSXP, (int) p, (int) p)); nprot++;
  SEXP Psi = PROTECT(Rf_allocMatrix(REALSXP, (int) p, (int) p)); nprot++;
  for (size_t i = 0; i < p; i++)
    for (size_t j = 0; j < p; j++) {
      REAL(vb)[i + j * p] = vbr[i * p + j];
      REAL(Psi)[i + j * p] = psr[i * p + j];
    }
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 15)); nprot++;
  SET_VECTOR_ELT(out, 0, c->A);
  SET_VECTOR_ELT(out, 1, c->N);
  SET_VECTOR_ELT(out, 2, c->S);
  SET_VECTOR_ELT(out, 3, c->cv);
  SET_VECTOR_ELT(out, 4, bi);
  SET_VECTOR_ELT(out, 5, Vi);
  SET_VECTOR_ELT(out, 6, gof);
  SET_VECTOR_ELT(out, 7, beta);
  SET_VECTOR_ELT(out, 8, vb);
  SET_VECTOR_ELT(out, 9, Psi);
  SET_VECTOR_ELT(out, 10, Rf_ScalarReal(res->loglik));
  SET_VECTOR_ELT(out, 11, Rf_ScalarReal(Q));
  SET_VECTOR_ELT(out, 12, Rf_ScalarInteger(res->iterations));
  SET_VECTOR_ELT(out, 13, Rf_ScalarLogical(res->converged));
  SET_VECTOR_ELT(out, 14, Rf_ScalarReal(res->grad));
  SEXP nm = PROTECT(Rf_allocVector(STRSXP, 15)); nprot++;
  for (int i = 0; i < 15; i++)
    SET_STRING_ELT(nm, i, Rf_mkChar(fit_names[i]));
  Rf_setAttrib(out, R_NamesSymbol, nm);
  UNPROTECT(nprot);
  return out;
}

/* The arguments shared by the two fitters, checked. */
typedef struct {
  dose_obs o;
  study_layout L;
  const double *X, *ctl;
  size_t p;
  int cmeth, meth;
} fit_args;

static fit_args get_fit_args(SEXP y, SEXP v, SEXP cases, SEXP n, SEXP X,
                             SEXP type, SEXP start, SEXP len, SEXP ref,
                             SEXP covmethod, SEXP method, SEXP control)
{
  fit_args a;
  a.cmeth = nev_int_scalar(covmethod, "covariance");
  a.meth = nev_int_scalar(method, "method");
  a.o = get_obs(y, v, cases, n, a.cmeth);
  a.X = get_design(X, a.o.nr, &a.p);
  a.ctl = nev_real_vec(control, "control", 2);
  a.L = get_layout(start, len, ref, type, a.o.nr);
  return a;
}

SEXP r_dose_fit(SEXP y, SEXP v, SEXP cases, SEXP n, SEXP X, SEXP type,
                SEXP start, SEXP len, SEXP ref, SEXP covmethod,
                SEXP method, SEXP control, SEXP labels)
{
  int nprot = 0;
  fit_args a = get_fit_args(y, v, cases, n, X, type, start, len, ref,
                            covmethod, method, control);
  size_t p = a.p, k = (size_t) a.L.k, pp = p * p;

  dose_covs c = covariances(&a.L, &a.o, a.cmeth, labels, &nprot);
  SEXP bi = PROTECT(Rf_allocMatrix(REALSXP, a.L.k, (int) p)); nprot++;
  SEXP Vi = PROTECT(Rf_allocVector(VECSXP, a.L.k)); nprot++;
  SEXP gof = PROTECT(Rf_allocVector(REALSXP, a.L.k)); nprot++;
  double *b = (double *) R_alloc(k * p, sizeof(double));
  double *V = (double *) R_alloc(k * pp, sizeof(double));
  for (int s = 0; s < a.L.k; s++) {
    size_t q = (size_t) a.L.len[s] - 1;
    double *Xs = (double *) R_alloc(q * p, sizeof(double));
    double *ys = (double *) R_alloc(q, sizeof(double));
    double *Ss = (double *) R_alloc(q * q, sizeof(double));
    study_rows(&a.L, s, a.o.y, a.X, p, c.S, ys, Xs, Ss);
    double chi2 = 0.0;
    int st = nev_dose_gls(q, p, Xs, ys, Ss, b + s * p, V + s * pp, &chi2);
    if (st == NEV_ERR_SINGULAR)
      Rf_error("study %s: the dose-response coefficients are not "
               "estimable (%d non-referent categories for %d "
               "coefficients, or collinear doses)", label(labels, s),
               (int) q, (int) p);
    nev_stop_on_error(st, "per-study GLS");
    REAL(gof)[s] = chi2;
    SEXP Vm = PROTECT(Rf_allocMatrix(REALSXP, (int) p, (int) p));
    for (size_t i = 0; i < p; i++) {
      REAL(bi)[s + i * k] = b[s * p + i];
      for (size_t j = 0; j < p; j++)
        REAL(Vm)[i + j * p] = V[s * pp + i * p + j];
    }
    SET_VECTOR_ELT(Vi, s, Vm);
    UNPROTECT(1);
  }
  SEXP beta = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) p)); nprot++;
  double *vbr = (double *) R_alloc(pp, sizeof(double));
  double *psr = (double *) R_alloc(pp, sizeof(double));
  nev_dose_mv res;
  nev_r_interrupt ri;
  PROTECT(nev_interrupt_setup(&ri)); nprot++;
  int st = nev_dose_mvmeta(k, p, b, V, a.meth, a.ctl[0], (int) a.ctl[1],
                           REAL(beta), vbr, psr, &res, &ri.core);
  if (st == NEV_ERR_INTERRUPT) nev_interrupt_resume(&ri);
  nev_stop_on_error(st, "dose-response pooling");
  SEXP out = fit_result(&c, bi, Vi, gof, beta, vbr, psr, &res, res.Q);
  UNPROTECT(nprot);
  return out;
}

/* ------------------------------------------------------------------ */
/* Nonlinear curves                                                    */

SEXP r_dose_curve_fit(SEXP model, SEXP x, SEXP y, SEXP wmode, SEXP w,
                      SEXP start, SEXP control)
{
  int nprot = 0;
  int mod = nev_int_scalar(model, "model");
  size_t p = nev_curve_npar(mod);
  if (p == 0) Rf_error("unknown curve model %d", mod);
  R_xlen_t n = XLENGTH(x);
  const double *px = nev_real_vec(x, "dose", -1);
  const double *py = nev_real_vec(y, "response", n);
  int wm = nev_int_scalar(wmode, "wmode");
  const double *pw = NULL;
  if (wm == 1) pw = nev_real_vec(w, "se", n);
  if (wm == 2) {
    pw = nev_real_vec(w, "vcov", n * n);
    /* R is column-major; the matrix is symmetric, so the layout agrees. */
  }
  const double *ps = nev_real_vec(start, "start", (R_xlen_t) p);
  const double *ctl = nev_real_vec(control, "control", 2);
  SEXP par = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) p)); nprot++;
  SEXP cov = PROTECT(Rf_allocMatrix(REALSXP, (int) p, (int) p)); nprot++;
  memcpy(REAL(par), ps, p * sizeof(double));
  double *cv = (double *) R_alloc(p * p, sizeof(double));
  double rss = NAN;
  int iter = 0;
  int st = nev_curve_fit(mod, (size_t) n, px, py, wm, pw, REAL(par), cv,
                         &rss, (int) ctl[1], ctl[0], &iter);
  if (st == NEV_ERR_SINGULAR)
    Rf_error("the curve cannot be fitted: %s (the covariance of the "
             "responses is not positive definite, or the parameters are "
             "not identifiable from these doses)", nev_status_message(st));
  if (st == NEV_ERR_DOMAIN)
    Rf_error("the curve cannot be evaluated at the start values or the "
             "data (negative dose, non-finite value or non-positive se)");
  nev_stop_on_error(st, "dose_curve");
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b < p; b++) REAL(cov)[a + b * p] = cv[a * p + b];
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 5)); nprot++;
  SET_VECTOR_ELT(out, 0, par);
  SET_VECTOR_ELT(out, 1, cov);
  SET_VECTOR_ELT(out, 2, Rf_ScalarReal(rss));
  SET_VECTOR_ELT(out, 3, Rf_ScalarInteger(iter));
  SET_VECTOR_ELT(out, 4, Rf_ScalarLogical(st == NEV_OK));
  SEXP nm = PROTECT(Rf_allocVector(STRSXP, 5)); nprot++;
  const char *names[] = {"par", "cov", "rss", "iterations", "converged"};
  for (int i = 0; i < 5; i++) SET_STRING_ELT(nm, i, Rf_mkChar(names[i]));
  Rf_setAttrib(out, R_NamesSymbol, nm);
  UNPROTECT(nprot);
  return out;
}

SEXP r_dose_curve_eval(SEXP model, SEXP par, SEXP x)
{
  int nprot = 0;
  int mod = nev_int_scalar(model, "model");
  size_t p = nev_curve_npar(mod);
  if (p == 0) Rf_error("unknown curve model %d", mod);
  const double *pp = nev_real_vec(par, "par", (R_xlen_t) p);
  R_xlen_t n = XLENGTH(x);
  const double *px = nev_real_vec(x, "dose", -1);
  SEXP f = PROTECT(Rf_allocVector(REALSXP, n)); nprot++;
  SEXP J = PROTECT(Rf_allocMatrix(REALSXP, (int) n, (int) p)); nprot++;
  double *Jr = (double *) R_alloc((size_t) n * p, sizeof(double));
  int st = nev_curve_eval(mod, pp, (size_t) n, px, REAL(f), Jr);
  if (st == NEV_ERR_DOMAIN)
    Rf_error("the curve cannot be evaluated at these doses (negative "
             "dose or non-finite value)");
  nev_stop_on_error(st, "dose curve evaluation");
  for (R_xlen_t i = 0; i < n; i++)
    for (size_t a = 0; a < p; a++) REAL(J)[i + a * n] = Jr[i * p + a];
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2)); nprot++;
  SET_VECTOR_ELT(out, 0, f);
  SET_VECTOR_ELT(out, 1, J);
  UNPROTECT(nprot);
  return out;
}

/* ------------------------------------------------------------------ */
/* Repeated-dose pharmacokinetics                                      */

SEXP r_dose_pk(SEXP times, SEXP par, SEXP n_doses)
{
  R_xlen_t nt = XLENGTH(times);
  const double *t = nev_real_vec(times, "times", -1);
  const double *p = nev_real_vec(par, "par", 6);
  int nd = nev_int_scalar(n_doses, "n_doses");
  SEXP out = PROTECT(Rf_allocVector(REALSXP, nt));
  int st = nev_pk_conc((size_t) nt, t, p[0], p[1], nd, p[2], p[3], p[4],
                       p[5], REAL(out));
  nev_stop_on_error(st, "dose_pk");
  UNPROTECT(1);
  return out;
}

/* ------------------------------------------------------------------ */
/* One-stage model                                                     */

SEXP r_dose_fit1(SEXP y, SEXP v, SEXP cases, SEXP n, SEXP X, SEXP type,
                 SEXP start, SEXP len, SEXP ref, SEXP covmethod,
                 SEXP method, SEXP control, SEXP labels)
{
  int nprot = 0;
  fit_args a = get_fit_args(y, v, cases, n, X, type, start, len, ref,
                            covmethod, method, control);
  size_t p = a.p, k = (size_t) a.L.k, pp = p * p;

  dose_covs c = covariances(&a.L, &a.o, a.cmeth, labels, &nprot);
  size_t Nt = 0, NS = 0;
  for (size_t s = 0; s < k; s++) {
    size_t q = (size_t) a.L.len[s] - 1;
    Nt += q;
    NS += q * q;
  }
  size_t *m = (size_t *) R_alloc(k, sizeof(size_t));
  double *Xs = (double *) R_alloc(Nt * p, sizeof(double));
  double *ys = (double *) R_alloc(Nt, sizeof(double));
  double *Ss = (double *) R_alloc(NS, sizeof(double));
  for (size_t s = 0, row = 0, oS = 0; s < k; s++) {
    size_t q = (size_t) a.L.len[s] - 1;
    m[s] = q;
    study_rows(&a.L, (int) s, a.o.y, a.X, p, c.S, ys + row, Xs + row * p,
               Ss + oS);
    row += q;
    oS += q * q;
  }
  SEXP beta = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) p)); nprot++;
  double *vbr = (double *) R_alloc(pp, sizeof(double));
  double *psr = (double *) R_alloc(pp, sizeof(double));
  nev_dose_mv res;
  nev_r_interrupt ri;
  PROTECT(nev_interrupt_setup(&ri)); nprot++;
  int st = nev_dose_onestage(k, p, m, Xs, ys, Ss, a.meth, a.ctl[0],
                             (int) a.ctl[1], REAL(beta), vbr, psr, &res,
                             &ri.core);
  if (st == NEV_ERR_INTERRUPT) nev_interrupt_resume(&ri);
  if (st == NEV_ERR_SINGULAR)
    Rf_error("the one-stage model is not estimable: the pooled information "
             "on the %d coefficients is singular", (int) p);
  nev_stop_on_error(st, "one-stage dose-response model");
  SEXP out = fit_result(&c, R_NilValue, R_NilValue, R_NilValue, beta, vbr,
                        psr, &res, NA_REAL);
  UNPROTECT(nprot);
  return out;
}
