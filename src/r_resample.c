/* Glue for permutation tests and GOSH (core in resample.c): coerce and
 * check, draw the random permutations or subsets with R's RNG, run the
 * core in blocks (interrupt checks between blocks, never inside the
 * parallel region), return named lists. */
#include "r_resample.h"
#include "resample.h"
#include "nev_status.h"
#include <R_ext/Random.h>
#include <math.h>
#include <limits.h>
#include <string.h>

/* Fits per call into the core: the unit between interrupt checks. */
#define RS_BLOCK 4096

static const char *method_names[] = {"FE", "DL", "REML", "ML", "PM", "EB",
                                      "HE", "HS", "SJ", "DL2"};

static int match_string(SEXP x, const char *arg, const char **tab, int n)
{
  if (TYPEOF(x) != STRSXP || XLENGTH(x) != 1 || STRING_ELT(x, 0) == NA_STRING)
    Rf_error("`%s` must be a single string", arg);
  const char *s = CHAR(STRING_ELT(x, 0));
  for (int i = 0; i < n; i++)
    if (strcmp(s, tab[i]) == 0) return i;
  Rf_error("`%s`: unknown value \"%s\"", arg, s);
  return -1; /* not reached */
}

/* Element `name` of the named list `x` (an error when absent). */
static SEXP setting(SEXP x, const char *name)
{
  SEXP nm = Rf_getAttrib(x, R_NamesSymbol);
  for (R_xlen_t i = 0; i < XLENGTH(x) && nm != R_NilValue; i++)
    if (strcmp(CHAR(STRING_ELT(nm, i)), name) == 0) return VECTOR_ELT(x, i);
  Rf_error("`settings` has no element `%s`", name);
  return R_NilValue; /* not reached */
}

/* The model: data, design, settings (a named list from R: method, test,
 * hksj_adhoc, level, tol, maxiter). */
static void rs_model(nev_rs_model *m, SEXP yi, SEXP vi, SEXP X, SEXP btt0,
                     SEXP settings)
{
  static const char *tests[] = {"z", "hksj"};
  R_xlen_t k = XLENGTH(yi);
  m->yi = nev_real_vec(yi, "yi", -1);
  m->vi = nev_real_vec(vi, "vi", k);
  m->k = (size_t) k;
  if (Rf_isNull(X)) { m->X = NULL; m->p = 1; }
  else {
    if (TYPEOF(X) != REALSXP || !Rf_isMatrix(X) || Rf_nrows(X) != k ||
        Rf_ncols(X) < 1)
      Rf_error("`X` must be a double matrix with %lld rows", (long long) k);
    m->X = REAL(X); m->p = (size_t) Rf_ncols(X);
  }
  int b0 = nev_int_scalar(btt0, "btt0");
  if (b0 < 0 || (size_t) b0 >= m->p)
    Rf_error("`btt0` must be in 0..%d (got %d)", (int) m->p - 1, b0);
  m->btt0 = (size_t) b0;
  if (TYPEOF(settings) != VECSXP)
    Rf_error("`settings` must be a list");
  nev_pool_opts_default(&m->opts);
  m->opts.method = match_string(setting(settings, "method"), "method",
                                method_names, NEV_POOL_NMETHODS);
  m->opts.test = match_string(setting(settings, "test"), "test", tests, 2);
  m->opts.hksj_adhoc = nev_bool_scalar(setting(settings, "hksj_adhoc"),
                                       "hksj_adhoc");
  m->opts.level = nev_real_scalar(setting(settings, "level"), "level");
  m->opts.tol = nev_real_scalar(setting(settings, "tol"), "tol");
  m->opts.maxiter = nev_int_scalar(setting(settings, "maxiter"), "maxiter");
}

/* The threads for n refits run in blocks of RS_BLOCK: nev_threads() bounds
 * them by the work and the processors, runs serially in a forked child (a
 * parallel region there could wait forever) and turns threads the system
 * cannot start into an R error naming `threads`. */
static int rs_threads(SEXP threads, double n)
{
  return nev_threads(threads, (R_xlen_t) (n < RS_BLOCK ? n : RS_BLOCK));
}

static double rs_count(SEXP n, const char *arg)
{
  double v = nev_real_scalar(n, arg);
  if (v < 0 || v != floor(v) || v > 4503599627370496.0)
    Rf_error("`%s` must be a whole number >= 0 (got %g)", arg, v);
  return v;
}

/* R's sample(k): the algorithm of do_sample() without replacement, so
 * that a permutation equals the one sample.int(k) draws from the same
 * stream. Output 0-based. */
static void draw_perm(int *out, int *x, size_t k)
{
  size_t n = k;
  for (size_t i = 0; i < k; i++) x[i] = (int) i;
  for (size_t i = 0; i < k; i++) {
    size_t j = (size_t) R_unif_index((double) n);
    out[i] = x[j];
    x[j] = x[--n];
  }
}

/* Random draws for one block of the given kind. Flips: sample(c(-1, 1),
 * k, replace = TRUE). GOSH: every study in with probability 1/2
 * (sample(c(FALSE, TRUE), k, replace = TRUE)), redrawn until the subset
 * has at least p studies. */
static void draw_block(int kind, int *given, int *scratch, size_t nb,
                       size_t k, size_t p)
{
  const size_t W = (k + 30) / 31;
  for (size_t i = 0; i < nb; i++) {
    if (kind == NEV_PERM_FLIP_GIVEN) {
      for (size_t j = 0; j < k; j++)
        given[i * k + j] = R_unif_index(2.0) < 1.0 ? -1 : 1;
    } else if (kind == NEV_PERM_ROWS_GIVEN) {
      draw_perm(given + i * k, scratch, k);
    } else {
      size_t in;
      do {
        in = 0;
        for (size_t w = 0; w < W; w++) given[i * W + w] = 0;
        for (size_t j = 0; j < k; j++)
          if (R_unif_index(2.0) >= 1.0) {
            given[i * W + j / 31] |= 1 << (j % 31);
            in++;
          }
      } while (in < p);
    }
  }
}

static const char *kind_names[] = {"flip_exact", "flip_random",
                                   "rows_exact", "rows_random",
                                   "gosh_exact", "gosh_random"};

/* Run n fits of `kind` from rank `first` in blocks; out's arrays have
 * length n (matrices n x p). words (GOSH): n x W membership words. */
static void rs_run(const nev_rs_model *m, int kind, const int *group,
                   double first, size_t n, int nt, nev_rs_out *out,
                   int *words)
{
  const size_t k = m->k, p = m->p, W = (k + 30) / 31;
  double *work = (double *) R_alloc((size_t) nt * nev_rs_work_size(k, p),
                                    sizeof(double));
  int random = kind == NEV_PERM_FLIP_GIVEN || kind == NEV_PERM_ROWS_GIVEN ||
               kind == NEV_GOSH_GIVEN;
  size_t gw = kind == NEV_GOSH_GIVEN ? W : k;
  int *given = random ? (int *) R_alloc(RS_BLOCK * gw, sizeof(int)) : NULL;
  int *scratch = (int *) R_alloc(k, sizeof(int));
  /* the core writes n x p matrices with leading dimension = its batch
   * size: each block writes to these and is copied into place */
  double *tb = out->beta ? (double *) R_alloc(RS_BLOCK * p, sizeof(double))
                         : NULL;
  double *tz = out->zval ? (double *) R_alloc(RS_BLOCK * p, sizeof(double))
                         : NULL;
  for (size_t s = 0; s < n; s += RS_BLOCK) {
    size_t nb = n - s < RS_BLOCK ? n - s : RS_BLOCK;
    if (random) {
      GetRNGstate();
      draw_block(kind, given, scratch, nb, k, p);
      PutRNGstate();
    }
    nev_rs_out o = *out;
    o.beta = tb; o.zval = tz;
    if (o.QM) o.QM += s;
    if (o.tau2) o.tau2 += s;
    if (o.I2) o.I2 += s;
    if (o.H2) o.H2 += s;
    if (o.QE) o.QE += s;
    if (o.ksub) o.ksub += s;
    o.status += s;
    int st = nev_rs_batch(m, kind, given, group, first + (double) s, nb, nt,
                          work, &o);
    nev_stop_on_error(st, "resampling");
    for (size_t a = 0; a < p; a++)
      for (size_t i = 0; i < nb; i++) {
        if (tb) out->beta[s + i + a * n] = tb[i + a * nb];
        if (tz) out->zval[s + i + a * n] = tz[i + a * nb];
      }
    if (words) {
      for (size_t i = 0; i < nb; i++)
        for (size_t w = 0; w < W; w++) {
          int val;
          if (random) val = given[i * W + w];
          else {
            double r = first + (double) (s + i);
            val = (int) (fmod(floor(ldexp(r, -31 * (int) w)), 2147483648.0));
          }
          words[(s + i) + w * n] = val;
        }
    }
    R_CheckUserInterrupt();
  }
}

static const char *perm_names[] = {"beta", "zval", "QM", "status", ""};

SEXP r_resample_perm(SEXP yi, SEXP vi, SEXP X, SEXP btt0, SEXP settings,
                     SEXP kind, SEXP group, SEXP first, SEXP n,
                     SEXP threads)
{
  nev_rs_model m;
  rs_model(&m, yi, vi, X, btt0, settings);
  int kd = match_string(kind, "kind", kind_names, 4);
  const int *grp = NULL;
  if (kd == NEV_PERM_ROWS_EXACT)
    grp = nev_int_vec(group, "group", (R_xlen_t) m.k);
  double f = rs_count(first, "first"), nn = rs_count(n, "n");
  int nt = rs_threads(threads, nn);
  size_t N = (size_t) nn;
  int nprot = 0;
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, perm_names)); nprot++;
  SEXP b = Rf_allocMatrix(REALSXP, (int) N, (int) m.p);
  SET_VECTOR_ELT(out, 0, b);
  SEXP z = Rf_allocMatrix(REALSXP, (int) N, (int) m.p);
  SET_VECTOR_ELT(out, 1, z);
  SEXP q = Rf_allocVector(REALSXP, (R_xlen_t) N); SET_VECTOR_ELT(out, 2, q);
  SEXP s = Rf_allocVector(INTSXP, (R_xlen_t) N); SET_VECTOR_ELT(out, 3, s);
  nev_rs_out o = {REAL(b), REAL(z), REAL(q), NULL, NULL, NULL, NULL, NULL,
                  INTEGER(s)};
  rs_run(&m, kd, grp, f, N, nt, &o, NULL);
  UNPROTECT(nprot);
  return out;
}

static const char *gosh_names[] = {"k", "estimate", "tau2", "I2", "H2", "Q",
                                   "status", "words", ""};

SEXP r_resample_gosh(SEXP yi, SEXP vi, SEXP X, SEXP settings, SEXP kind,
                     SEXP first, SEXP n, SEXP threads)
{
  nev_rs_model m;
  rs_model(&m, yi, vi, X, Rf_ScalarInteger(0), settings);
  int kd = match_string(kind, "kind", kind_names + 4, 2) + NEV_GOSH_EXACT;
  double f = rs_count(first, "first"), nn = rs_count(n, "n");
  int nt = rs_threads(threads, nn);
  size_t N = (size_t) nn, W = (m.k + 30) / 31;
  if (N > (size_t) INT_MAX) Rf_error("`n` is too large (got %g)", nn);
  int nprot = 0;
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, gosh_names)); nprot++;
  SEXP kk = Rf_allocVector(INTSXP, (R_xlen_t) N); SET_VECTOR_ELT(out, 0, kk);
  SEXP b = Rf_allocMatrix(REALSXP, (int) N, (int) m.p);
  SET_VECTOR_ELT(out, 1, b);
  double *col[4];
  for (int j = 0; j < 4; j++) {
    SEXP c = Rf_allocVector(REALSXP, (R_xlen_t) N);
    SET_VECTOR_ELT(out, 2 + j, c);
    col[j] = REAL(c);
  }
  SEXP s = Rf_allocVector(INTSXP, (R_xlen_t) N); SET_VECTOR_ELT(out, 6, s);
  SEXP w = Rf_allocMatrix(INTSXP, (int) N, (int) W);
  SET_VECTOR_ELT(out, 7, w);
  nev_rs_out o = {REAL(b), NULL, NULL, col[0], col[1], col[2], col[3],
                  INTEGER(kk), INTEGER(s)};
  rs_run(&m, kd, NULL, f, N, nt, &o, INTEGER(w));
  UNPROTECT(nprot);
  return out;
}

SEXP r_resample_count_perms(SEXP group)
{
  R_xlen_t k = XLENGTH(group);
  const int *g = nev_int_vec(group, "group", -1);
  for (R_xlen_t i = 0; i < k; i++)
    if (g[i] < 0 || g[i] >= k) Rf_error("`group` must hold labels 0..k-1");
  return Rf_ScalarReal(nev_rs_count_perms(g, (size_t) k));
}
