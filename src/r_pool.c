/* Glue for the pool family: coerce and check, call the core, map status. */
#include "r_pool.h"
#include "pool.h"
#include "nev_status.h"
#include <limits.h>
#include <math.h>
#include <Rmath.h>
#undef beta              /* Rmath.h renames it: a field of nev_pool_result */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Design matrix argument: NULL (intercept only) or a k x p double matrix. */
static const double *design(SEXP X, R_xlen_t k, size_t *p)
{
  if (Rf_isNull(X)) { *p = 1; return NULL; }
  if (TYPEOF(X) != REALSXP || !Rf_isMatrix(X))
    Rf_error("`X` must be a double matrix");
  if (Rf_nrows(X) != k)
    Rf_error("`X` must have %lld rows (got %d)", (long long) k, Rf_nrows(X));
  *p = (size_t) Rf_ncols(X);
  if (*p < 1) Rf_error("`X` must have at least one column");
  return REAL(X);
}

/* The core returns NEV_ERR_DOMAIN both for invalid input (non-finite yi,
 * non-positive vi, non-finite X) and for finite input whose fit overflows
 * double precision. For the latter, stop with a message that says so. */
static void stop_if_extreme(int st, const double *y, const double *v,
                            size_t k, const double *x, size_t p,
                            double tau2_fix, const char *what)
{
  if (st != NEV_ERR_DOMAIN) return;
  double ymax = 0.0, vmin = HUGE_VAL, vmax = 0.0;
  for (size_t i = 0; i < k; i++) {
    if (!isfinite(y[i]) || !isfinite(v[i]) || !(v[i] > 0.0)) return;
    if (fabs(y[i]) > ymax) ymax = fabs(y[i]);
    if (v[i] < vmin) vmin = v[i];
    if (v[i] > vmax) vmax = v[i];
  }
  if (x != NULL)
    for (size_t i = 0; i < k * p; i++)
      if (!isfinite(x[i])) return;
  if (tau2_fix >= 0.0)
    Rf_error("%s`yi`, `vi` and `tau2` are too extreme to pool: the fit "
             "overflows double precision (largest |yi| = %g, vi from %g to "
             "%g, tau2 = %g)", what, ymax, vmin, vmax, tau2_fix);
  Rf_error("%s`yi` and `vi` are too extreme to pool: the fit overflows "
           "double precision (largest |yi| = %g, vi from %g to %g)", what, ymax, vmin, vmax);
}

static void opts_from(nev_pool_opts *o, SEXP method, SEXP test, SEXP adhoc,
                      SEXP level, SEXP tol, SEXP maxiter)
{
  nev_pool_opts_default(o);
  o->method = nev_int_scalar(method, "method");
  o->test = nev_int_scalar(test, "test");
  o->hksj_adhoc = nev_bool_scalar(adhoc, "hksj_adhoc");
  o->level = nev_real_scalar(level, "level");
  o->tol = nev_real_scalar(tol, "tol");
  o->maxiter = nev_int_scalar(maxiter, "maxiter");
}

static const char *fit_names[] = {
  "beta", "se", "vb", "zval", "pval", "ci_lb", "ci_ub", "weights",
  "tau2", "se_tau2", "QE", "QE_df", "QE_p", "vt", "I2", "H2", "s2w", "ddf",
  "crit", "ll_ml", "ll_reml", "iterations", "converged", "boundary",
  "fallback", "status", ""};

/* A list named by fit_names. pool() is called in loops: the names vector
 * is made once (kept from the collector, not mutable) and shared by every
 * result instead of being built from the strings at each call. */
static SEXP fit_list(void)
{
  static SEXP names = NULL;
  int n = 0;
  while (fit_names[n][0]) n++;
  if (names == NULL) {
    SEXP nm = PROTECT(Rf_allocVector(STRSXP, n));
    for (int j = 0; j < n; j++) SET_STRING_ELT(nm, j, Rf_mkChar(fit_names[j]));
    R_PreserveObject(nm);
    MARK_NOT_MUTABLE(nm);
    names = nm;
    UNPROTECT(1);
  }
  SEXP out = PROTECT(Rf_allocVector(VECSXP, n));
  Rf_setAttrib(out, R_NamesSymbol, names);
  UNPROTECT(1);
  return out;
}

SEXP r_pool_fit(SEXP yi, SEXP vi, SEXP X, SEXP method, SEXP test,
                SEXP adhoc, SEXP level, SEXP tol, SEXP maxiter, SEXP tau2_fix)
{
  R_xlen_t k = XLENGTH(yi);
  const double *y = nev_real_vec(yi, "yi", -1);
  const double *v = nev_real_vec(vi, "vi", k);
  size_t p;
  const double *x = design(X, k, &p);
  nev_pool_opts o;
  opts_from(&o, method, test, adhoc, level, tol, maxiter);
  o.tau2_fix = Rf_isNull(tau2_fix) ? -1.0 : nev_real_scalar(tau2_fix, "tau2");
  int nprot = 0;
  SEXP out = PROTECT(fit_list()); nprot++;
  SEXP beta = Rf_allocVector(REALSXP, (R_xlen_t) p); SET_VECTOR_ELT(out, 0, beta);
  SEXP se = Rf_allocVector(REALSXP, (R_xlen_t) p); SET_VECTOR_ELT(out, 1, se);
  SEXP vb = Rf_allocMatrix(REALSXP, (int) p, (int) p); SET_VECTOR_ELT(out, 2, vb);
  SEXP zv = Rf_allocVector(REALSXP, (R_xlen_t) p); SET_VECTOR_ELT(out, 3, zv);
  SEXP pv = Rf_allocVector(REALSXP, (R_xlen_t) p); SET_VECTOR_ELT(out, 4, pv);
  SEXP lb = Rf_allocVector(REALSXP, (R_xlen_t) p); SET_VECTOR_ELT(out, 5, lb);
  SEXP ub = Rf_allocVector(REALSXP, (R_xlen_t) p); SET_VECTOR_ELT(out, 6, ub);
  SEXP wt = Rf_allocVector(REALSXP, k); SET_VECTOR_ELT(out, 7, wt);
  nev_pool_result r;
  r.beta = REAL(beta); r.se = REAL(se); r.vb = REAL(vb); r.zval = REAL(zv);
  r.pval = REAL(pv); r.ci_lb = REAL(lb); r.ci_ub = REAL(ub);
  r.weights = REAL(wt);
  double *work = (double *) R_alloc(nev_pool_work_size((size_t) k, p),
                                    sizeof(double));
  int st = nev_pool_fit_ws(y, v, (size_t) k, x, p, &o, &r, work);
  stop_if_extreme(st, y, v, (size_t) k, x, p,
                  o.method == NEV_POOL_FE ? -1.0 : o.tau2_fix, "");
  nev_stop_on_error(st, "pool");
  double sc[] = {r.tau2, r.se_tau2, r.QE, r.QE_df, r.QE_p, r.vt, r.I2, r.H2,
                 r.s2w, r.ddf, r.crit, r.ll_ml, r.ll_reml};
  for (int j = 0; j < 13; j++) SET_VECTOR_ELT(out, 8 + j, Rf_ScalarReal(sc[j]));
  SET_VECTOR_ELT(out, 21, Rf_ScalarInteger(r.iterations));
  SET_VECTOR_ELT(out, 22, Rf_ScalarLogical(r.converged));
  SET_VECTOR_ELT(out, 23, Rf_ScalarLogical(r.boundary));
  SET_VECTOR_ELT(out, 24, Rf_ScalarLogical(r.fallback));
  SET_VECTOR_ELT(out, 25, Rf_ScalarInteger(st));
  UNPROTECT(nprot);
  return out;
}

/* pool()'s checks of yi and vi in one pass: "ok" when every row is
 * complete and valid, "na" when some rows have NA (or NaN) and the others
 * are valid, "invalid" when the lengths differ, there are no rows, some
 * yi is infinite or some vi is not positive and finite (pool_check_yv()
 * in R then says which rows). */
SEXP r_pool_scan(SEXP yi, SEXP vi)
{
  R_xlen_t k = XLENGTH(yi);
  const double *y = nev_real_vec(yi, "yi", -1);
  const double *v = nev_real_vec(vi, "vi", -1);
  const char *res = "ok";
  if (k == 0 || XLENGTH(vi) != k) return Rf_mkString("invalid");
  for (R_xlen_t i = 0; i < k; i++) {
    if (ISNAN(y[i])) res = "na";
    else if (!isfinite(y[i])) return Rf_mkString("invalid");
    if (ISNAN(v[i])) res = "na";
    else if (!(v[i] > 0.0) || !isfinite(v[i]))
      return Rf_mkString("invalid");
  }
  return Rf_mkString(res);
}

/* Q-profile interval for tau^2 and the core's status. */
static const char *const qprofile_names[] = {"conf.low", "conf.high",
                                             "status"};

SEXP r_pool_qprofile(SEXP yi, SEXP vi, SEXP X, SEXP level, SEXP tol)
{
  R_xlen_t k = XLENGTH(yi);
  const double *y = nev_real_vec(yi, "yi", -1);
  const double *v = nev_real_vec(vi, "vi", k);
  size_t p;
  const double *x = design(X, k, &p);
  double lev = nev_real_scalar(level, "level");
  double tl = nev_real_scalar(tol, "tol");
  double *work = (double *) R_alloc(nev_pool_work_size((size_t) k, p),
                                    sizeof(double));
  double lo = NAN, hi = NAN;
  int st = nev_pool_qprofile(y, v, (size_t) k, x, p, lev, tl, &lo, &hi, work);
  nev_stop_on_error(st, "Q-profile interval");
  const double res[3] = {lo, hi, (double) st};
  return nev_real_result(res, qprofile_names, 3);
}

/* Rows per thread: below this a thread costs more to wake than it saves,
 * so small calls run serially. The glue polls for an interrupt between
 * chunks of groups of about NEV_POLL_WORK units (rows x iterations, with
 * up to NEV_BATCH_ITER iterations expected per fit). */
#define NEV_BATCH_THREAD_ROWS 4096
#define NEV_BATCH_ITER 64

/* The columns of pool_batch()'s data frame after `group`. */
static const char *batch_names[] = {
  "k", "estimate", "std.error", "conf.low", "conf.high", "p.value", "tau2",
  "I2", "Q", "converged", "single_study", ""};

typedef struct {
  const double *y, *v;
  const int *start;
  const nev_pool_opts *o;
  int *k, *conv, *stat;
  double *col[8];
} batch_t;

static size_t batch_ws(size_t k) { return nev_pool_work_size(k, 1) + 3 * k + 8; }

/* Groups [g0, g1) of a chunk split evenly between nt threads: thread t
 * takes [lo(t), lo(t + 1)). */
static R_xlen_t share_lo(R_xlen_t g0, R_xlen_t g1, int nt, int t)
{
  return g0 + (R_xlen_t) ((double) (g1 - g0) * t / nt);
}

static void batch_range(const batch_t *b, R_xlen_t g0, R_xlen_t g1,
                        double *w)
{
  for (R_xlen_t g = g0; g < g1; g++) {
    size_t k = (size_t) (b->start[g + 1] - b->start[g]);
    double est, s, vb, z, pv, lo, hi;
    nev_pool_result r;
    r.beta = &est; r.se = &s; r.vb = &vb; r.zval = &z; r.pval = &pv;
    r.ci_lb = &lo; r.ci_ub = &hi; r.weights = NULL;
    int st = nev_pool_fit_ws(b->y + b->start[g], b->v + b->start[g], k, NULL,
                             1, b->o, &r, w);
    b->k[g] = (int) k;
    b->stat[g] = st;
    if (st != NEV_OK && st < NEV_WARN_FIRST) {
      for (int j = 0; j < 8; j++) b->col[j][g] = NAN;
      b->conv[g] = 0;
      continue;
    }
    double val[8] = {est, s, lo, hi, pv, r.tau2, r.I2, r.QE};
    for (int j = 0; j < 8; j++) b->col[j][g] = val[j];
    b->conv[g] = r.converged;
  }
}

/* The end of the chunk of groups starting at g0: about NEV_POLL_WORK units
 * per thread, so that each thread works as long between two polls whatever
 * their number, and a team meets at as few barriers as that allows (a
 * barrier costs a scheduler slice when the processors are shared). */
static R_xlen_t chunk_end(const int *start, R_xlen_t g0, R_xlen_t G, int nt)
{
  const double rows = nt * (NEV_POLL_WORK / NEV_BATCH_ITER);
  R_xlen_t g1 = g0 + 1;
  while (g1 < G && start[g1 + 1] - start[g0] <= rows) g1++;
  return g1;
}

/* Work space offsets: thread t's buffer holds the work of the largest group
 * it meets in any chunk (so the total is bounded by the data, not by
 * threads x the largest group). off has nt + 1 entries. */
static void thread_offsets(const int *start, R_xlen_t G, int nt, size_t *off)
{
  for (int t = 0; t <= nt; t++) off[t] = 0;
  for (R_xlen_t g0 = 0, g1; g0 < G; g0 = g1) {
    g1 = chunk_end(start, g0, G, nt);
    for (int t = 0; t < nt; t++)
      for (R_xlen_t g = share_lo(g0, g1, nt, t);
           g < share_lo(g0, g1, nt, t + 1); g++) {
        size_t w = batch_ws((size_t) (start[g + 1] - start[g]));
        if (w > off[t + 1]) off[t + 1] = w;
      }
  }
  for (int t = 0; t < nt; t++) off[t + 1] += off[t];
}

static void batch_chunk(const batch_t *b, R_xlen_t g0, R_xlen_t g1, int nt,
                        double *work, const size_t *off)
{
  if (nt == 1) {
    batch_range(b, g0, g1, work);
    return;
  }
#ifdef _OPENMP
#pragma omp parallel num_threads(nt)
  {
    int t = omp_get_thread_num();
    batch_range(b, share_lo(g0, g1, nt, t), share_lo(g0, g1, nt, t + 1),
                work + off[t]);
  }
#endif
}

/* Checks the group boundaries `start` (0 = start[0] < ... < start[G] = n). */
static R_xlen_t batch_groups(SEXP start, R_xlen_t n)
{
  const int *st0 = nev_int_vec(start, "start", -1);
  R_xlen_t G = XLENGTH(start) - 1;
  if (G < 1) Rf_error("`start` must have length at least 2");
  if (st0[0] != 0 || st0[G] != n)
    Rf_error("`start` must run from 0 to the number of rows");
  for (R_xlen_t g = 0; g < G; g++)
    if (st0[g + 1] <= st0[g])
      Rf_error("`start` must be strictly increasing (group %lld)",
               (long long) g + 1);
  return G;
}

/* Whether the atomic vector g (of length n) has an NA. */
static int group_has_na(SEXP g, R_xlen_t n)
{
  switch (TYPEOF(g)) {
  case LGLSXP:
  case INTSXP: {
    const int *x = TYPEOF(g) == INTSXP ? INTEGER(g) : LOGICAL(g);
    for (R_xlen_t i = 0; i < n; i++) if (x[i] == NA_INTEGER) return 1;
    return 0;
  }
  case REALSXP: {
    const double *x = REAL(g);
    for (R_xlen_t i = 0; i < n; i++) if (ISNAN(x[i])) return 1;
    return 0;
  }
  case CPLXSXP: {
    const Rcomplex *x = COMPLEX(g);
    for (R_xlen_t i = 0; i < n; i++)
      if (ISNAN(x[i].r) || ISNAN(x[i].i)) return 1;
    return 0;
  }
  case STRSXP:
    for (R_xlen_t i = 0; i < n; i++)
      if (STRING_ELT(g, i) == NA_STRING) return 1;
    return 0;
  default: return 0; /* raw */
  }
}

/* Equal strings (R's `==`: the same text in any encoding). */
static int same_string(SEXP a, SEXP b)
{
  if (a == b) return 1;
  const void *vmax = vmaxget();
  int eq = strcmp(Rf_translateCharUTF8(a), Rf_translateCharUTF8(b)) == 0;
  vmaxset(vmax);
  return eq;
}

#define GROUP_RUNS(TYPE, X)                                            \
  do {                                                                 \
    const TYPE *x = (X);                                               \
    for (R_xlen_t i = 1; i < n; i++)                                   \
      if (x[i] != x[i - 1]) {                                          \
        if (s) s[G] = (int) i;                                         \
        G++;                                                           \
        if (x[i] < x[i - 1]) *sorted = 0;                              \
      }                                                                \
  } while (0)

/* The runs of equal values of g (no NA, length n >= 1): their number
 * returned and, unless s is NULL (a first pass that counts them), the
 * 0-based first row of each into s; *sorted is 1 when the values never
 * decrease, 0 when they do, NA for strings (whose order is the locale's
 * collation, left to R). */
static R_xlen_t group_runs(SEXP g, R_xlen_t n, int *s, int *sorted)
{
  R_xlen_t G = 0;
  if (s) s[G] = 0;
  G++;
  *sorted = 1;
  switch (TYPEOF(g)) {
  case INTSXP: GROUP_RUNS(int, INTEGER(g)); break;
  case LGLSXP: GROUP_RUNS(int, LOGICAL(g)); break;
  case REALSXP: GROUP_RUNS(double, REAL(g)); break;
  case RAWSXP: GROUP_RUNS(Rbyte, RAW(g)); break;
  case CPLXSXP: {
    const Rcomplex *x = COMPLEX(g);
    for (R_xlen_t i = 1; i < n; i++) {
      Rcomplex a = x[i - 1], b = x[i];
      if (a.r == b.r && a.i == b.i) continue;
      if (s) s[G] = (int) i;
      G++;
      if (b.r < a.r || (b.r == a.r && b.i < a.i)) *sorted = 0;
    }
    break;
  }
  default: /* STRSXP */
    for (R_xlen_t i = 1; i < n; i++)
      if (!same_string(STRING_ELT(g, i - 1), STRING_ELT(g, i))) {
        if (s) s[G] = (int) i;
        G++;
        *sorted = NA_LOGICAL;
      }
  }
  return G;
}

/* pool_batch()'s rows in one pass: `rows` "ok" (every row complete and
 * valid), "na" (some rows have NA in yi, vi or group, the others are
 * valid) or "invalid" (lengths differ, no rows, some yi infinite or some
 * vi not positive and finite: pool_check_yv() says which); when "ok",
 * `sorted` (TRUE/FALSE, NA for strings, whose order is the locale's) and
 * `start`, the 0-based first row of each run of equal groups and the
 * number of rows. */
static const char *const batch_groups_names[] = {"rows", "sorted", "start"};

SEXP r_pool_batch_groups(SEXP yi, SEXP vi, SEXP group)
{
  R_xlen_t n = XLENGTH(yi);
  const double *y = nev_real_vec(yi, "yi", -1);
  const double *v = nev_real_vec(vi, "vi", -1);
  switch (TYPEOF(group)) {
  case LGLSXP: case INTSXP: case REALSXP: case CPLXSXP: case STRSXP:
  case RAWSXP: break;
  default: Rf_error("`group` must be an atomic vector (got %s)",
                    Rf_type2char(TYPEOF(group)));
  }
  if (XLENGTH(group) != n)
    Rf_error("`group` must have length %lld (got %lld)", (long long) n,
             (long long) XLENGTH(group));
  if (n > INT_MAX) Rf_error("`yi` has more than %d rows", INT_MAX);
  SEXP out = PROTECT(nev_named_list(batch_groups_names, 3));
  int na = 0, bad = n == 0 || XLENGTH(vi) != n;
  for (R_xlen_t i = 0; i < n && !bad; i++) {
    if (ISNAN(y[i])) na = 1;
    else if (!isfinite(y[i])) bad = 1;
    if (ISNAN(v[i])) na = 1;
    else if (!(v[i] > 0.0) || !isfinite(v[i])) bad = 1;
  }
  if (!bad && !na) na = group_has_na(group, n);
  SET_VECTOR_ELT(out, 0, Rf_mkString(bad ? "invalid" : na ? "na" : "ok"));
  if (bad || na) {
    SET_VECTOR_ELT(out, 1, Rf_ScalarLogical(NA_LOGICAL));
    UNPROTECT(1);
    return out;
  }
  /* two passes (count, then fill) rather than a buffer of n + 1 */
  int sorted;
  R_xlen_t G = group_runs(group, n, NULL, &sorted);
  SEXP st = Rf_allocVector(INTSXP, G + 1);
  SET_VECTOR_ELT(out, 2, st);
  (void) group_runs(group, n, INTEGER(st), &sorted);
  INTEGER(st)[G] = (int) n;
  SET_VECTOR_ELT(out, 1, Rf_ScalarLogical(sorted));
  UNPROTECT(1);
  return out;
}

SEXP r_pool_batch(SEXP yi, SEXP vi, SEXP start, SEXP method, SEXP test,
                  SEXP adhoc, SEXP level, SEXP tol, SEXP maxiter,
                  SEXP threads)
{
  R_xlen_t n = XLENGTH(yi), G;
  batch_t b;
  nev_pool_opts o;
  nev_r_interrupt ri;
  int nprot = 0;
  b.y = nev_real_vec(yi, "yi", -1);
  b.v = nev_real_vec(vi, "vi", n);
  G = batch_groups(start, n);
  b.start = INTEGER(start);
  b.o = &o;
  opts_from(&o, method, test, adhoc, level, tol, maxiter);
  o.lean = 1;   /* Q's p-value and the log-likelihoods are not reported */
  R_xlen_t items = (n + NEV_BATCH_THREAD_ROWS - 1) / NEV_BATCH_THREAD_ROWS;
  int nt = nev_threads(threads, items < G ? items : G);

  SEXP out = PROTECT(Rf_mkNamed(VECSXP, batch_names)); nprot++;
  SET_VECTOR_ELT(out, 0, Rf_allocVector(INTSXP, G));
  for (int j = 0; j < 8; j++) {
    SET_VECTOR_ELT(out, 1 + j, Rf_allocVector(REALSXP, G));
    b.col[j] = REAL(VECTOR_ELT(out, 1 + j));
  }
  SET_VECTOR_ELT(out, 9, Rf_allocVector(LGLSXP, G));
  SET_VECTOR_ELT(out, 10, Rf_allocVector(LGLSXP, G));
  b.k = INTEGER(VECTOR_ELT(out, 0));
  b.conv = LOGICAL(VECTOR_ELT(out, 9));
  b.stat = (int *) R_alloc((size_t) G, sizeof(int));
  PROTECT(nev_interrupt_setup(&ri)); nprot++;

  size_t *off = (size_t *) R_alloc((size_t) nt + 1, sizeof(size_t));
  thread_offsets(b.start, G, nt, off);
  double *work = (double *) nev_thread_alloc(off[nt], sizeof(double),
                                             Rf_asInteger(threads));
  for (R_xlen_t g0 = 0, g1; g0 < G; g0 = g1) {
    g1 = chunk_end(b.start, g0, G, nt);
    batch_chunk(&b, g0, g1, nt, work, off);
    if (g1 < G && nev_interrupted(&ri.core)) {
      free(work);
      nev_interrupt_resume(&ri);
    }
  }
  free(work);
  int *single = LOGICAL(VECTOR_ELT(out, 10));
  for (R_xlen_t g = 0; g < G; g++) single[g] = b.k[g] == 1;
  for (R_xlen_t g = 0; g < G; g++) {
    int st = b.stat[g];
    if (st == NEV_OK || st >= NEV_WARN_FIRST) continue;
    char what[64];
    snprintf(what, sizeof what, "pool_batch: group %lld: ", (long long) g + 1);
    stop_if_extreme(st, b.y + b.start[g], b.v + b.start[g],
                    (size_t) (b.start[g + 1] - b.start[g]), NULL, 1, -1.0,
                    what);
    Rf_error("pool_batch: group %lld: %s", (long long) g + 1,
             nev_status_message(st));
  }
  UNPROTECT(nprot);
  return out;
}

/* The pooled estimate, its standard error, Q (Peto's for Peto) and the
 * number of tables that contribute to Q. */
static const char *const counts_names[] = {"estimate", "std.error", "Q", "k"};

SEXP r_pool_counts(SEXP ai, SEXP n1i, SEXP ci, SEXP n2i, SEXP measure,
                   SEXP method)
{
  R_xlen_t k = XLENGTH(ai);
  const double *a = nev_real_vec(ai, "ai", -1);
  const double *n1 = nev_real_vec(n1i, "n1i", k);
  const double *c = nev_real_vec(ci, "ci", k);
  const double *n2 = nev_real_vec(n2i, "n2i", k);
  int ms = nev_int_scalar(measure, "measure");
  int me = nev_int_scalar(method, "method");
  double est = NAN, se = NAN, qe = NAN;
  size_t kq = 0;
  int st = nev_pool_counts(a, n1, c, n2, (size_t) k, ms, me, &est, &se, &qe,
                           &kq);
  if (st == NEV_ERR_EMPTY)
    Rf_error("the %s estimate is undefined: %s", me == 1 ? "Peto" :
             "Mantel-Haenszel", me == 1 ?
             "one of the two outcomes never occurs in any table" :
             "no events (or no non-events) in one of the arms over all tables");
  nev_stop_on_error(st, "pool_counts");
  const double res[4] = {est, se, qe, (double) kq};
  return nev_real_result(res, counts_names, 4);
}

/* pool()'s whole nev_pool object for plain vectors with one method: the
 * fit and every field that pool_build(), pool_new_fit() and new_nev_fit()
 * would make in R, in their order and with their types, so that the object
 * is identical() to theirs (a test compares the two over methods, tests,
 * levels and options). R_NilValue when the fit did not converge or k < 2:
 * pool() then takes the R path, which warns or says why. Intervals use
 * R's own quantile functions, weights R's long-double sum(). */
static const char *object_names[] = {
  "yi", "vi", "k", "slab", "X", "method", "test", "hksj_adhoc", "pi_df",
  "i2", "s2w", "tau2", "tau2_se", "Q", "Q_df", "Q_p", "I2", "H2", "vt",
  "weights", "pi.low", "pi.high", "ll_ml", "ll_reml", "converged",
  "iterations", "boundary", "message", "measure", "call", "control",
  "coefficients", "vcov", "ddf", "level", "nobs", "logLik", "coef_table",
  ""};
static const char *table_names[] = {
  "term", "estimate", "std.error", "statistic", "p.value", "conf.low",
  "conf.high", ""};

/* A names vector made once and kept (shared by every object). */
static SEXP kept_names(SEXP *slot, const char **nm)
{
  if (*slot != NULL) return *slot;
  int n = 0;
  while (nm[n][0]) n++;
  SEXP v = PROTECT(Rf_allocVector(STRSXP, n));
  for (int j = 0; j < n; j++) SET_STRING_ELT(v, j, Rf_mkChar(nm[j]));
  R_PreserveObject(v);
  MARK_NOT_MUTABLE(v);
  *slot = v;
  UNPROTECT(1);
  return v;
}

static int is_string(SEXP x, const char *s)
{
  return TYPEOF(x) == STRSXP && XLENGTH(x) == 1 &&
         STRING_ELT(x, 0) != NA_STRING && strcmp(CHAR(STRING_ELT(x, 0)), s) == 0;
}

SEXP r_pool_object(SEXP yi, SEXP vi, SEXP method, SEXP method_name,
                   SEXP test, SEXP test_name, SEXP adhoc, SEXP level,
                   SEXP tol, SEXP maxiter, SEXP pi_df, SEXP i2, SEXP measure,
                   SEXP call, SEXP control)
{
  static SEXP obj_nm = NULL, tab_nm = NULL;
  R_xlen_t k = XLENGTH(yi);
  const double *y = nev_real_vec(yi, "yi", -1);
  const double *v = nev_real_vec(vi, "vi", k);
  if (!Rf_isString(method_name) || XLENGTH(method_name) != 1 ||
      !Rf_isString(test_name) || XLENGTH(test_name) != 1 ||
      !Rf_isString(pi_df) || XLENGTH(pi_df) != 1 ||
      !Rf_isString(i2) || XLENGTH(i2) != 1)
    Rf_error("pool: invalid argument");
  if (k < 2 || k > INT_MAX) return R_NilValue;
  nev_pool_opts o;
  opts_from(&o, method, test, adhoc, level, tol, maxiter);
  o.tau2_fix = -1.0;
  double lev = o.level;
  int nprot = 0;
  SEXP wt = PROTECT(Rf_allocVector(REALSXP, k)); nprot++;
  double beta, se, vb, zv, pv, lb, ub;
  nev_pool_result r;
  r.beta = &beta; r.se = &se; r.vb = &vb; r.zval = &zv; r.pval = &pv;
  r.ci_lb = &lb; r.ci_ub = &ub; r.weights = REAL(wt);
  double *work = (double *) R_alloc(nev_pool_work_size((size_t) k, 1),
                                    sizeof(double));
  int st = nev_pool_fit_ws(y, v, (size_t) k, NULL, 1, &o, &r, work);
  stop_if_extreme(st, y, v, (size_t) k, NULL, 1,
                  o.method == NEV_POOL_FE ? -1.0 : o.tau2_fix, "");
  nev_stop_on_error(st, "pool");
  if (!r.converged) { UNPROTECT(nprot); return R_NilValue; }

  /* weights in percent: 100 * w / sum(w), sum() in long double as R's */
  double *w = REAL(wt);
  long double sw = 0.0;
  for (R_xlen_t i = 0; i < k; i++) sw += w[i];
  double swd = (double) sw;
  for (R_xlen_t i = 0; i < k; i++) w[i] = 100 * w[i] / swd;
  double I2 = r.I2, H2 = r.H2;
  if (is_string(i2, "Q")) {
    I2 = r.QE > 0 ? Rf_fmax2(0, 100 * (r.QE - r.QE_df) / r.QE) : 0;
    H2 = r.QE / r.QE_df;
  }
  /* prediction interval: pool_pi_crit() */
  double df = is_string(pi_df, "z") ? R_PosInf :
    is_string(pi_df, "k-1") ? (double) (k - 1) : (double) (k - 2);
  double pcrit = df < 1 ? NA_REAL : Rf_qt((1 + lev) / 2, df, 1, 0);
  double pse = sqrt(se * se + r.tau2);
  int hksj = is_string(test_name, "hksj");
  double ddf = hksj && !ISNAN(r.ddf) ? r.ddf : NA_REAL;
  /* Wald limits: nev_crit() */
  double a = (1 - lev) / 2;
  double crit = ISNAN(ddf) ? Rf_qnorm5(a, 0.0, 1.0, 0, 0)
                           : Rf_qt(a, Rf_fmax2(ddf, 1), 0, 0);
  double half = crit * se;
  int reml = is_string(method_name, "REML");
  int common = is_string(method_name, "FE") || is_string(method_name, "MH") ||
    is_string(method_name, "Peto");
  int nobs = (int) k - (reml ? 1 : 0);

  SEXP out = PROTECT(Rf_allocVector(VECSXP, 38)); nprot++;
  Rf_setAttrib(out, R_NamesSymbol, kept_names(&obj_nm, object_names));
  int j = 0;
  SET_VECTOR_ELT(out, j++, yi);
  SET_VECTOR_ELT(out, j++, vi);
  SET_VECTOR_ELT(out, j++, Rf_ScalarInteger((int) k));
  SEXP slab = Rf_allocVector(STRSXP, k);
  SET_VECTOR_ELT(out, j++, slab);
  char num[32];
  for (R_xlen_t i = 0; i < k; i++) {
    snprintf(num, sizeof num, "%d", (int) (i + 1));
    SET_STRING_ELT(slab, i, Rf_mkChar(num));
  }
  SEXP X = Rf_allocVector(REALSXP, k);
  SET_VECTOR_ELT(out, j++, X);
  for (R_xlen_t i = 0; i < k; i++) REAL(X)[i] = 1.0;
  SEXP dim = PROTECT(Rf_allocVector(INTSXP, 2)); nprot++;
  INTEGER(dim)[0] = (int) k; INTEGER(dim)[1] = 1;
  Rf_setAttrib(X, R_DimSymbol, dim);
  SEXP mu = PROTECT(Rf_mkString("mu")); nprot++;
  SEXP dn = PROTECT(Rf_allocVector(VECSXP, 2)); nprot++;
  SET_VECTOR_ELT(dn, 1, mu);
  Rf_setAttrib(X, R_DimNamesSymbol, dn);
  SET_VECTOR_ELT(out, j++, method_name);
  SET_VECTOR_ELT(out, j++, test_name);
  SET_VECTOR_ELT(out, j++, adhoc);
  SET_VECTOR_ELT(out, j++, pi_df);
  SET_VECTOR_ELT(out, j++, i2);
  const double sc[] = {r.s2w, r.tau2, r.se_tau2, r.QE, r.QE_df, r.QE_p,
                       I2, H2, r.vt};
  for (int m = 0; m < 9; m++) SET_VECTOR_ELT(out, j++, Rf_ScalarReal(sc[m]));
  SET_VECTOR_ELT(out, j++, wt);
  SET_VECTOR_ELT(out, j++, Rf_ScalarReal(beta - pcrit * pse));
  SET_VECTOR_ELT(out, j++, Rf_ScalarReal(beta + pcrit * pse));
  SET_VECTOR_ELT(out, j++, Rf_ScalarReal(r.ll_ml));
  SET_VECTOR_ELT(out, j++, Rf_ScalarReal(r.ll_reml));
  SET_VECTOR_ELT(out, j++, Rf_ScalarLogical(r.converged));
  SET_VECTOR_ELT(out, j++, Rf_ScalarInteger(r.iterations));
  SET_VECTOR_ELT(out, j++, Rf_ScalarLogical(r.boundary));
  SET_VECTOR_ELT(out, j++, Rf_mkString(""));
  SET_VECTOR_ELT(out, j++, measure);
  SET_VECTOR_ELT(out, j++, call);
  SET_VECTOR_ELT(out, j++, control);
  /* the nev_fit part */
  SEXP b = Rf_ScalarReal(beta);
  SET_VECTOR_ELT(out, j++, b);
  Rf_setAttrib(b, R_NamesSymbol, mu);
  SEXP V = Rf_ScalarReal(vb);
  SET_VECTOR_ELT(out, j++, V);
  SEXP dim1 = PROTECT(Rf_allocVector(INTSXP, 2)); nprot++;
  INTEGER(dim1)[0] = 1; INTEGER(dim1)[1] = 1;
  Rf_setAttrib(V, R_DimSymbol, dim1);
  SEXP dnv = PROTECT(Rf_allocVector(VECSXP, 2)); nprot++;
  SET_VECTOR_ELT(dnv, 0, mu);
  SET_VECTOR_ELT(dnv, 1, mu);
  Rf_setAttrib(V, R_DimNamesSymbol, dnv);
  SET_VECTOR_ELT(out, j++, Rf_ScalarReal(ddf));
  SET_VECTOR_ELT(out, j++, Rf_ScalarReal(lev));
  SET_VECTOR_ELT(out, j++, Rf_ScalarInteger(nobs));
  SEXP ll = Rf_ScalarReal(reml ? r.ll_reml : r.ll_ml);
  SET_VECTOR_ELT(out, j++, ll);
  Rf_setAttrib(ll, Rf_install("df"), Rf_ScalarInteger(1 + !common));
  Rf_setAttrib(ll, Rf_install("nobs"), Rf_ScalarInteger(nobs));
  Rf_setAttrib(ll, R_ClassSymbol, Rf_mkString("logLik"));
  SEXP tab = Rf_allocVector(VECSXP, 7);
  SET_VECTOR_ELT(out, j++, tab);
  Rf_setAttrib(tab, R_NamesSymbol, kept_names(&tab_nm, table_names));
  SET_VECTOR_ELT(tab, 0, mu);
  const double tv[] = {beta, se, zv, pv, beta - half, beta + half};
  for (int m = 0; m < 6; m++) SET_VECTOR_ELT(tab, m + 1, Rf_ScalarReal(tv[m]));
  SEXP rn = PROTECT(Rf_allocVector(INTSXP, 2)); nprot++;
  INTEGER(rn)[0] = NA_INTEGER; INTEGER(rn)[1] = -1;
  Rf_setAttrib(tab, R_RowNamesSymbol, rn);
  Rf_setAttrib(tab, R_ClassSymbol, Rf_mkString("data.frame"));
  SEXP cls = PROTECT(Rf_allocVector(STRSXP, 2)); nprot++;
  SET_STRING_ELT(cls, 0, Rf_mkChar("nev_pool"));
  SET_STRING_ELT(cls, 1, Rf_mkChar("nev_fit"));
  Rf_setAttrib(out, R_ClassSymbol, cls);
  UNPROTECT(nprot);
  return out;
}
