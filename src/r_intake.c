/* Glue for the intake family: .Call entry points. */
#include "r_intake.h"
#include "intake.h"
#include "intake_nci.h"
#include "nev_status.h"
#include <math.h>
#include <string.h>

/* Work per generator chunk and per interrupt check, in person-days: a
 * chunk of persons has its own generator (so results do not depend on the
 * thread count); the glue polls for an interrupt after each batch of about
 * NEV_SIM_WORK person-day-foods (a fraction of a second on each thread). */
#define NEV_SIM_CHUNK_WORK 1048576.0
#define NEV_SIM_WORK 2097152.0

static unsigned long seed_from_r(void)
{
  /* 32 random bits from R's generator (two 16-bit halves). */
  unsigned long hi = (unsigned long) (unif_rand() * 65536.0) & 0xFFFFUL;
  unsigned long lo = (unsigned long) (unif_rand() * 65536.0) & 0xFFFFUL;
  unsigned long s = (hi << 16) | lo;
  return s ? s : 1UL;
}

/* A list of the n (PROTECTed) elements elts named by names. */
static SEXP named_list(int n, const char *const *names, const SEXP *elts)
{
  SEXP res = PROTECT(Rf_allocVector(VECSXP, n));
  SEXP nms = PROTECT(Rf_allocVector(STRSXP, n));
  for (int i = 0; i < n; i++) {
    SET_VECTOR_ELT(res, i, elts[i]);
    SET_STRING_ELT(nms, i, Rf_mkChar(names[i]));
  }
  Rf_setAttrib(res, R_NamesSymbol, nms);
  UNPROTECT(2);
  return res;
}

SEXP r_intake_simulate(SEXP p_consumer, SEXP p_eat, SEXP portion_dist,
                       SEXP portion_mean, SEXP portion_sd, SEXP content_dist,
                       SEXP content_mean, SEXP content_sd, SEXP content_min,
                       SEXP content_max, SEXP n_, SEXP days_, SEXP threads_)
{
  nev_diet diet;
  R_xlen_t nfood = XLENGTH(p_consumer), n, nchunk, c, j, chunk, batch;
  int days, threads, nprot = 0, st;
  unsigned long *seeds;
  double *contrib, *tot;
  SEXP res, intake, ctot;
  double nd;

  diet.nfood = (size_t) nfood;
  diet.p_consumer = nev_real_vec(p_consumer, "p_consumer", -1);
  diet.p_eat = nev_real_vec(p_eat, "p_eat", nfood);
  diet.portion_dist = nev_int_vec(portion_dist, "portion_dist", nfood);
  diet.portion_mean = nev_real_vec(portion_mean, "portion_mean", nfood);
  diet.portion_sd = nev_real_vec(portion_sd, "portion_sd", nfood);
  diet.content_dist = nev_int_vec(content_dist, "content_dist", nfood);
  diet.content_mean = nev_real_vec(content_mean, "content_mean", nfood);
  diet.content_sd = nev_real_vec(content_sd, "content_sd", nfood);
  diet.content_min = nev_real_vec(content_min, "content_min", nfood);
  diet.content_max = nev_real_vec(content_max, "content_max", nfood);
  nd = nev_real_scalar(n_, "n");
  if (nd < 1 || nd != floor(nd) || nd > 4.5e15)
    Rf_error("`n` must be a whole number >= 1 (got %g)", nd);
  n = (R_xlen_t) nd;
  days = nev_int_scalar(days_, "days");
  if (days < 1) Rf_error("`days` must be >= 1 (got %d)", days);
  st = nev_diet_check(&diet);
  nev_stop_on_error(st, "intake_simulate: invalid diet");

  {
    /* A person-day costs about one unit per food. */
    double per_person = (double) days * (double) (nfood > 0 ? nfood : 1);
    double cp = floor(NEV_SIM_CHUNK_WORK / per_person), bp;
    if (cp < 64) cp = 64;
    if (cp > 16384) cp = 16384;
    chunk = (R_xlen_t) cp;
    nchunk = (n + chunk - 1) / chunk;
    threads = nev_threads(threads_, nchunk);
    bp = floor(NEV_SIM_WORK / (cp * per_person));
    if (bp < 1) bp = 1;
    batch = (R_xlen_t) bp * threads;
  }
  seeds = (unsigned long *) R_alloc((size_t) nchunk, sizeof(unsigned long));
  GetRNGstate();
  for (c = 0; c < nchunk; c++) seeds[c] = seed_from_r();
  PutRNGstate();
  contrib = (double *) R_alloc((size_t) (nchunk * nfood), sizeof(double));

  PROTECT(intake = Rf_allocVector(REALSXP, n)); nprot++;
  for (c = 0; c < nchunk; c += batch) {
    R_xlen_t nb = batch, n0 = c * chunk, np;
    if (c + nb > nchunk) nb = nchunk - c;
    np = (c + nb) * chunk;
    if (np > n) np = n;
    np -= n0;
    st = nev_intake_sim(&diet, (size_t) np, (size_t) chunk, (size_t) nb, days,
                        seeds + c, threads, REAL(intake) + n0,
                        contrib + c * nfood);
    nev_stop_on_error(st, "intake_simulate");
    if (c + batch < nchunk) R_CheckUserInterrupt();
  }
  PROTECT(ctot = Rf_allocVector(REALSXP, nfood)); nprot++;
  tot = REAL(ctot);
  for (j = 0; j < nfood; j++) {
    double s = 0.0;
    for (c = 0; c < nchunk; c++) s += contrib[c * nfood + j];
    tot[j] = s / (double) n;
  }
  {
    const char *nm[] = {"intake", "contribution"};
    SEXP el[] = {intake, ctot};
    res = named_list(2, nm, el);
  }
  UNPROTECT(nprot);
  return res;
}

/* ---------- usual intake ---------- */

/* Person-grouped recalls from R: y ordered by person, 0-based start and
 * counts, m x p design x, weights w. */
static void usual_recalls(SEXP y, SEXP start, SEXP nrec, SEXP x, SEXP w,
                          nev_recalls *d)
{
  R_xlen_t m = XLENGTH(nrec), i;
  const int *st, *nr;
  size_t *s2, *n2;
  SEXP dim;
  d->y = nev_real_vec(y, "y", -1);
  d->ntot = (size_t) XLENGTH(y);
  nr = nev_int_vec(nrec, "nrec", -1);
  st = nev_int_vec(start, "start", m);
  d->x = nev_real_vec(x, "x", -1);
  d->w = nev_real_vec(w, "w", m);
  dim = Rf_getAttrib(x, R_DimSymbol);
  if (TYPEOF(dim) != INTSXP || XLENGTH(dim) != 2 || INTEGER(dim)[0] != m)
    Rf_error("`x` must be a matrix with one row per person");
  d->m = (size_t) m;
  d->p = (size_t) INTEGER(dim)[1];
  s2 = (size_t *) R_alloc((size_t) m + 1, sizeof(size_t));
  n2 = (size_t *) R_alloc((size_t) m + 1, sizeof(size_t));
  for (i = 0; i < m; i++) {
    R_xlen_t si, ni;
    if (st[i] == NA_INTEGER || nr[i] == NA_INTEGER || st[i] < 0 || nr[i] < 0)
      Rf_error("`start` and `nrec` must be non-negative");
    /* Recalls start .. start + nrec - 1 must lie within y (overflow-safe);
     * checked here because the bootstrap copies them before the core
     * validates the data. */
    si = st[i]; ni = nr[i];
    if (si > XLENGTH(y) || ni > XLENGTH(y) - si)
      Rf_error("person %lld: `start` = %d and `nrec` = %d do not lie within "
               "the %lld recalls of `y`", (long long) i + 1, st[i], nr[i],
               (long long) XLENGTH(y));
    s2[i] = (size_t) st[i];
    n2[i] = (size_t) nr[i];
  }
  d->start = s2;
  d->nrec = n2;
}

/* Length of the simulated usual-intake sample: npat patterns x K (x K
 * for the episodic model) draws; an error naming `K` if it does not fit in
 * an R vector (the product would overflow). */
static R_xlen_t usual_sample_len(R_xlen_t npat, int K, int episodic)
{
  double len = (double) npat * K * (episodic ? (double) K : 1.0);
  if (len > (double) R_XLEN_T_MAX / 2)
    Rf_error("`K` = %d is too large: the sample would have %g draws", K,
             len);
  return (R_xlen_t) len;
}

static SEXP usual_fit_list(const nev_usual_fit *f, size_t p, int status)
{
  const char *nm[] = {"lambda", "beta", "sigma2_b", "sigma2_w", "loglik",
                      "boundary", "gamma", "sigma2_v", "loglik_p",
                      "converged_p", "status"};
  SEXP res, names, b, g;
  size_t j;
  int nprot = 0, k;
  PROTECT(res = Rf_allocVector(VECSXP, 11)); nprot++;
  PROTECT(names = Rf_allocVector(STRSXP, 11)); nprot++;
  for (k = 0; k < 11; k++) SET_STRING_ELT(names, k, Rf_mkChar(nm[k]));
  PROTECT(b = Rf_allocVector(REALSXP, (R_xlen_t) p)); nprot++;
  PROTECT(g = Rf_allocVector(REALSXP, (R_xlen_t) p)); nprot++;
  for (j = 0; j < p; j++) {
    REAL(b)[j] = f->beta[j];
    REAL(g)[j] = f->episodic ? f->gamma[j] : NA_REAL;
  }
  SET_VECTOR_ELT(res, 0, Rf_ScalarReal(f->lambda));
  SET_VECTOR_ELT(res, 1, b);
  SET_VECTOR_ELT(res, 2, Rf_ScalarReal(f->sigma2_b));
  SET_VECTOR_ELT(res, 3, Rf_ScalarReal(f->sigma2_w));
  SET_VECTOR_ELT(res, 4, Rf_ScalarReal(f->loglik));
  SET_VECTOR_ELT(res, 5, Rf_ScalarInteger(f->boundary));
  SET_VECTOR_ELT(res, 6, g);
  SET_VECTOR_ELT(res, 7, Rf_ScalarReal(f->episodic ? f->sigma2_v : 0.0));
  SET_VECTOR_ELT(res, 8, Rf_ScalarReal(f->episodic ? f->loglik_p : NA_REAL));
  SET_VECTOR_ELT(res, 9, Rf_ScalarLogical(f->converged_p));
  SET_VECTOR_ELT(res, 10, Rf_ScalarInteger(status));
  Rf_setAttrib(res, R_NamesSymbol, names);
  UNPROTECT(nprot);
  return res;
}

static void usual_lambda_args(SEXP lambda_fixed, SEXP lambda_range,
                              double *lf, double *lo, double *hi)
{
  const double *lr = nev_real_vec(lambda_range, "lambda_range", 2);
  if (TYPEOF(lambda_fixed) != REALSXP || XLENGTH(lambda_fixed) != 1)
    Rf_error("`lambda` must be a single number or NA");
  *lf = REAL(lambda_fixed)[0];
  if (ISNAN(*lf)) *lf = NAN;
  *lo = lr[0]; *hi = lr[1];
}

SEXP r_intake_usual_fit(SEXP y, SEXP start, SEXP nrec, SEXP x, SEXP w,
                        SEXP episodic, SEXP lambda_fixed, SEXP lambda_range,
                        SEXP ngh_)
{
  nev_recalls d;
  nev_usual_fit f;
  nev_r_interrupt ri;
  double lf, lo, hi;
  int ep, ngh, st;
  SEXP res;
  usual_recalls(y, start, nrec, x, w, &d);
  ep = nev_bool_scalar(episodic, "episodic");
  ngh = nev_int_scalar(ngh_, "ngh");
  if (ngh < 1 || ngh > 256) Rf_error("`ngh` must be in 1..256 (got %d)", ngh);
  usual_lambda_args(lambda_fixed, lambda_range, &lf, &lo, &hi);
  memset(&f, 0, sizeof f);
  f.beta = (double *) R_alloc(d.p, sizeof(double));
  f.gamma = (double *) R_alloc(d.p, sizeof(double));
  PROTECT(nev_interrupt_setup(&ri));
  st = nev_usual_estimate(&d, ep, lf, lo, hi, (size_t) ngh, &f, &ri.core);
  /* the core has freed its memory; the glue's is R's */
  if (st == NEV_ERR_INTERRUPT) nev_interrupt_resume(&ri);
  nev_stop_on_error(st, "intake_usual");
  res = usual_fit_list(&f, d.p, st);
  UNPROTECT(1);
  return res;
}

/* Parameters of a fit from R (list as returned by r_intake_usual_fit). */
static void usual_par_from(SEXP lambda, SEXP beta, SEXP s2b, SEXP s2w,
                           SEXP episodic, SEXP gamma, SEXP s2v, size_t p,
                           nev_usual_fit *f)
{
  memset(f, 0, sizeof *f);
  f->lambda = nev_real_scalar(lambda, "lambda");
  f->beta = (double *) nev_real_vec(beta, "beta", (R_xlen_t) p);
  f->sigma2_b = nev_real_scalar(s2b, "sigma2_b");
  f->sigma2_w = nev_real_scalar(s2w, "sigma2_w");
  f->episodic = nev_bool_scalar(episodic, "episodic");
  if (f->episodic) {
    f->gamma = (double *) nev_real_vec(gamma, "gamma", (R_xlen_t) p);
    f->sigma2_v = nev_real_scalar(s2v, "sigma2_v");
  }
}

SEXP r_intake_usual_sample(SEXP lambda, SEXP beta, SEXP s2b, SEXP s2w,
                           SEXP episodic, SEXP gamma, SEXP s2v, SEXP x,
                           SEXP w, SEXP K_, SEXP ngh_)
{
  nev_recalls d;
  nev_usual_fit f;
  SEXP dim, res, u, uw;
  R_xlen_t m, p, npat, len;
  int K, ngh, st, nprot = 0;
  dim = Rf_getAttrib(x, R_DimSymbol);
  if (TYPEOF(x) != REALSXP || TYPEOF(dim) != INTSXP || XLENGTH(dim) != 2)
    Rf_error("`x` must be a double matrix");
  m = INTEGER(dim)[0]; p = INTEGER(dim)[1];
  memset(&d, 0, sizeof d);
  d.m = (size_t) m; d.p = (size_t) p; d.x = REAL(x);
  d.w = nev_real_vec(w, "w", m);
  usual_par_from(lambda, beta, s2b, s2w, episodic, gamma, s2v, (size_t) p, &f);
  K = nev_int_scalar(K_, "K");
  ngh = nev_int_scalar(ngh_, "ngh");
  if (K < 1 || ngh < 1 || ngh > 256) Rf_error("`K` and `ngh` must be >= 1");
  npat = p == 1 ? 1 : m;
  len = usual_sample_len(npat, K, f.episodic);
  PROTECT(u = Rf_allocVector(REALSXP, len)); nprot++;
  PROTECT(uw = Rf_allocVector(REALSXP, len)); nprot++;
  st = nev_usual_sample(&d, &f, (size_t) K, (size_t) ngh, REAL(u), REAL(uw));
  nev_stop_on_error(st, "usual-intake distribution");
  {
    const char *nm[] = {"u", "w"};
    SEXP el[] = {u, uw};
    res = named_list(2, nm, el);
  }
  UNPROTECT(nprot);
  return res;
}

SEXP r_intake_wquantile(SEXP x, SEXP w, SEXP probs)
{
  R_xlen_t n = XLENGTH(x), np = XLENGTH(probs);
  SEXP out;
  int st;
  const double *xx = nev_real_vec(x, "x", -1), *ww = nev_real_vec(w, "w", n),
    *pp = nev_real_vec(probs, "probs", -1);
  PROTECT(out = Rf_allocVector(REALSXP, np));
  st = nev_wquantile(xx, ww, (size_t) n, pp, (size_t) np, REAL(out));
  if (st != NEV_OK) UNPROTECT(1);
  nev_stop_on_error(st, "weighted quantile");
  UNPROTECT(1);
  return out;
}

SEXP r_intake_backtransform(SEXP t, SEXP lambda, SEXP s2w, SEXP ngh_)
{
  R_xlen_t n = XLENGTH(t);
  const double *tt = nev_real_vec(t, "t", -1);
  double lam = nev_real_scalar(lambda, "lambda"),
    s2 = nev_real_scalar(s2w, "sigma2_w");
  int ngh = nev_int_scalar(ngh_, "ngh"), st;
  SEXP out;
  if (ngh < 1) Rf_error("`ngh` must be >= 1 (got %d)", ngh);
  PROTECT(out = Rf_allocVector(REALSXP, n));
  st = nev_usual_backtransform(tt, (size_t) n, lam, s2, (size_t) ngh,
                               REAL(out));
  if (st != NEV_OK) UNPROTECT(1);
  nev_stop_on_error(st, "Gauss-Hermite back-transformation");
  UNPROTECT(1);
  return out;
}

/* Nonparametric bootstrap over persons: resample persons with replacement
 * (R's generator), refit, recompute the percentiles. Row b of `q` and `par`
 * is replicate b; a replicate whose fit fails is NA with its status kept. */
SEXP r_intake_usual_boot(SEXP y, SEXP start, SEXP nrec, SEXP x, SEXP w,
                         SEXP episodic, SEXP lambda_fixed, SEXP lambda_range,
                         SEXP ngh_, SEXP K_, SEXP probs, SEXP B_)
{
  nev_recalls d, db;
  nev_usual_fit f;
  nev_r_interrupt ri;
  double lf, lo, hi, *yb, *xb, *wb, *su, *sw, *Q, *Pm;
  size_t *sb, *nb, maxn = 0, i, j, r, npat, len, p, np;
  int ep, ngh, K, B, b, st, nprot = 0;
  const double *pr;
  int *stat;
  SEXP res, q, par, sts;

  usual_recalls(y, start, nrec, x, w, &d);
  ep = nev_bool_scalar(episodic, "episodic");
  ngh = nev_int_scalar(ngh_, "ngh");
  K = nev_int_scalar(K_, "K");
  B = nev_int_scalar(B_, "B");
  if (ngh < 1 || ngh > 256) Rf_error("`ngh` must be in 1..256 (got %d)", ngh);
  if (K < 1) Rf_error("`K` must be >= 1 (got %d)", K);
  if (B < 1) Rf_error("`B` must be >= 1 (got %d)", B);
  usual_lambda_args(lambda_fixed, lambda_range, &lf, &lo, &hi);
  pr = nev_real_vec(probs, "probs", -1);
  np = (size_t) XLENGTH(probs);
  p = d.p;
  for (i = 0; i < d.m; i++) if (d.nrec[i] > maxn) maxn = d.nrec[i];

  yb = (double *) R_alloc(d.m * maxn + 1, sizeof(double));
  xb = (double *) R_alloc(d.m * p, sizeof(double));
  wb = (double *) R_alloc(d.m, sizeof(double));
  sb = (size_t *) R_alloc(d.m, sizeof(size_t));
  nb = (size_t *) R_alloc(d.m, sizeof(size_t));
  npat = p == 1 ? 1 : d.m;
  len = (size_t) usual_sample_len((R_xlen_t) npat, K, ep);
  su = (double *) R_alloc(len, sizeof(double));
  sw = (double *) R_alloc(len, sizeof(double));
  memset(&f, 0, sizeof f);
  f.beta = (double *) R_alloc(p, sizeof(double));
  f.gamma = (double *) R_alloc(p, sizeof(double));

  PROTECT(q = Rf_allocMatrix(REALSXP, B, (int) np)); nprot++;
  PROTECT(par = Rf_allocMatrix(REALSXP, B, (int) (4 + 2 * p))); nprot++;
  PROTECT(sts = Rf_allocVector(INTSXP, B)); nprot++;
  Q = REAL(q); Pm = REAL(par); stat = INTEGER(sts);
  PROTECT(nev_interrupt_setup(&ri)); nprot++;

  db = d;
  db.y = yb; db.x = xb; db.w = wb; db.start = sb; db.nrec = nb;
  GetRNGstate();
  for (b = 0; b < B; b++) {
    size_t o = 0;
    for (i = 0; i < d.m; i++) {
      size_t s = (size_t) R_unif_index((double) d.m);
      sb[i] = o; nb[i] = d.nrec[s];
      for (j = 0; j < d.nrec[s]; j++) yb[o++] = d.y[d.start[s] + j];
      for (r = 0; r < p; r++) xb[r * d.m + i] = d.x[r * d.m + s];
      wb[i] = d.w[s];
    }
    db.ntot = o;
    st = nev_usual_estimate(&db, ep, lf, lo, hi, (size_t) ngh, &f, &ri.core);
    /* small replicates never reach a poll inside the fit */
    if (st == NEV_ERR_INTERRUPT ||
        (b % 4 == 3 && nev_interrupted(&ri.core))) {
      PutRNGstate();
      nev_interrupt_resume(&ri);
    }
    if (st == NEV_OK || st >= NEV_WARN_FIRST)
      st = nev_usual_sample(&db, &f, (size_t) K, (size_t) ngh, su, sw) ==
        NEV_OK ? st : NEV_ERR_DOMAIN;
    stat[b] = st;
    if (st == NEV_OK || st >= NEV_WARN_FIRST) {
      double *qb = (double *) R_alloc(np, sizeof(double));
      int s2 = nev_wquantile(su, sw, len, pr, np, qb);
      for (j = 0; j < np; j++)
        Q[b + j * (size_t) B] = s2 == NEV_OK ? qb[j] : NA_REAL;
      Pm[b] = f.lambda;
      Pm[b + B] = f.sigma2_b;
      Pm[b + 2 * (size_t) B] = f.sigma2_w;
      Pm[b + 3 * (size_t) B] = ep ? f.sigma2_v : 0.0;
      for (r = 0; r < p; r++) {
        Pm[b + (4 + r) * (size_t) B] = f.beta[r];
        Pm[b + (4 + p + r) * (size_t) B] = ep ? f.gamma[r] : NA_REAL;
      }
    } else {
      for (j = 0; j < np; j++) Q[b + j * (size_t) B] = NA_REAL;
      for (j = 0; j < 4 + 2 * p; j++) Pm[b + j * (size_t) B] = NA_REAL;
    }
  }
  PutRNGstate();
  {
    const char *nm[] = {"q", "par", "status"};
    SEXP el[] = {q, par, sts};
    res = named_list(3, nm, el);
  }
  UNPROTECT(nprot);
  return res;
}

/* ---------- the NCI two-part model (intake_nci.c) ---------- */

/* Recalls for the NCI model: y grouped by person (0-based start, counts
 * nrec), x the day-level design (one row per recall), w person weights. */
static void nci_data(SEXP y, SEXP start, SEXP nrec, SEXP x, SEXP w,
                     nev_nci_data *d)
{
  R_xlen_t m = XLENGTH(nrec), i, n = XLENGTH(y);
  const int *st = nev_int_vec(start, "start", m),
    *nr = nev_int_vec(nrec, "nrec", m);
  size_t *s2 = (size_t *) R_alloc((size_t) m + 1, sizeof(size_t)),
    *n2 = (size_t *) R_alloc((size_t) m + 1, sizeof(size_t));
  SEXP dim = Rf_getAttrib(x, R_DimSymbol);
  d->y = nev_real_vec(y, "y", -1);
  d->x = nev_real_vec(x, "x", -1);
  d->w = nev_real_vec(w, "w", m);
  if (TYPEOF(dim) != INTSXP || XLENGTH(dim) != 2 || INTEGER(dim)[0] != n ||
      INTEGER(dim)[1] < 1)
    Rf_error("`x` must be a matrix with one row per recall");
  for (i = 0; i < m; i++) {
    if (st[i] == NA_INTEGER || nr[i] == NA_INTEGER || st[i] < 0 ||
        nr[i] < 1 || st[i] > n || nr[i] > n - st[i])
      Rf_error("person %lld: `start` = %d and `nrec` = %d do not lie within "
               "the %lld recalls of `y`", (long long) i + 1, st[i], nr[i],
               (long long) n);
    s2[i] = (size_t) st[i];
    n2[i] = (size_t) nr[i];
  }
  d->m = (size_t) m; d->ntot = (size_t) n;
  d->p = (size_t) INTEGER(dim)[1];
  d->start = s2; d->nrec = n2;
}

/* A single number or NA (NaN returned). */
static double real_or_na(SEXP x, const char *arg)
{
  double v;
  if (XLENGTH(x) != 1 || TYPEOF(x) != REALSXP)
    Rf_error("`%s` must be a single number or NA", arg);
  v = REAL(x)[0];
  if (ISNAN(v)) return NAN;
  if (!R_FINITE(v)) Rf_error("`%s` must be finite or NA", arg);
  return v;
}

/* The model: rho and lambda NA = estimated, else fixed at the value. */
static void nci_spec(SEXP episodic, SEXP rho, SEXP lambda, SEXP ngh,
                     SEXP maxiter, SEXP tol, nev_nci_spec *s)
{
  int g = nev_int_scalar(ngh, "ngh"), mi = nev_int_scalar(maxiter, "maxiter");
  memset(s, 0, sizeof *s);
  s->episodic = nev_bool_scalar(episodic, "episodic");
  s->rho = real_or_na(rho, "rho");
  s->lambda = real_or_na(lambda, "lambda");
  s->fix_rho = !isnan(s->rho);
  s->fix_lambda = !isnan(s->lambda);
  s->tol = nev_real_scalar(tol, "tol");
  if (g < 1 || g > 256) Rf_error("`ngh` must be in 1..256 (got %d)", g);
  if (mi < 1) Rf_error("`maxiter` must be >= 1 (got %d)", mi);
  if (!(s->tol > 0)) Rf_error("`tol` must be positive");
  s->ngh = (size_t) g;
  s->maxiter = (size_t) mi;
}

static const double *nci_theta(SEXP theta, const nev_nci_spec *s, size_t p)
{
  return nev_real_vec(theta, "theta", (R_xlen_t) nev_nci_npar(s, p));
}

SEXP r_intake_nci_loglik(SEXP y, SEXP start, SEXP nrec, SEXP x, SEXP w,
                         SEXP episodic, SEXP rho, SEXP lambda, SEXP theta,
                         SEXP ngh)
{
  nev_nci_data d;
  nev_nci_spec s;
  SEXP one = PROTECT(Rf_ScalarInteger(1)), tl = PROTECT(Rf_ScalarReal(1));
  SEXP g, ll, res;
  const double *th;
  size_t np;
  int st;
  nci_data(y, start, nrec, x, w, &d);
  nci_spec(episodic, rho, lambda, ngh, one, tl, &s);
  th = nci_theta(theta, &s, d.p);
  np = nev_nci_npar(&s, d.p);
  PROTECT(g = Rf_allocVector(REALSXP, (R_xlen_t) np));
  PROTECT(ll = Rf_allocVector(REALSXP, 1));
  st = nev_nci_loglik(&d, &s, th, REAL(ll), REAL(g));
  if (st != NEV_OK) UNPROTECT(4);
  nev_stop_on_error(st, "NCI log-likelihood");
  {
    const char *nm[] = {"loglik", "gradient"};
    SEXP el[] = {ll, g};
    res = named_list(2, nm, el);
  }
  UNPROTECT(4);
  return res;
}

/* Fit from the start theta; the Hessian when hessian is TRUE. */
SEXP r_intake_nci_fit(SEXP y, SEXP start, SEXP nrec, SEXP x, SEXP w,
                      SEXP episodic, SEXP rho, SEXP lambda, SEXP theta,
                      SEXP ngh, SEXP maxiter, SEXP tol, SEXP hessian)
{
  nev_nci_data d;
  nev_nci_spec s;
  nev_r_interrupt ri;
  SEXP th, H, res;
  size_t np;
  int st, it = 0, conv = 0, nprot = 0, hs;
  double ll = NA_REAL;
  nci_data(y, start, nrec, x, w, &d);
  nci_spec(episodic, rho, lambda, ngh, maxiter, tol, &s);
  hs = nev_bool_scalar(hessian, "hessian");
  PROTECT(nev_interrupt_setup(&ri)); nprot++;
  s.interrupt = &ri.core;
  np = nev_nci_npar(&s, d.p);
  PROTECT(th = Rf_allocVector(REALSXP, (R_xlen_t) np)); nprot++;
  memcpy(REAL(th), nci_theta(theta, &s, d.p), np * sizeof(double));
  PROTECT(H = Rf_allocMatrix(REALSXP, hs ? (int) np : 0, hs ? (int) np : 0));
  nprot++;
  st = nev_nci_fit(&d, &s, REAL(th), &ll, &it, &conv);
  if (hs && (st == NEV_OK || st >= NEV_WARN_FIRST)) {
    int sh = nev_nci_hessian(&d, &s, REAL(th), REAL(H));
    if (sh == NEV_ERR_INTERRUPT) st = sh;
    else if (sh != NEV_OK)
      for (size_t k = 0; k < np * np; k++) REAL(H)[k] = NA_REAL;
  }
  /* the core has freed its memory; the glue's is R's */
  if (st == NEV_ERR_INTERRUPT) nev_interrupt_resume(&ri);
  if (st != NEV_OK && st < NEV_WARN_FIRST) UNPROTECT(nprot);
  nev_stop_on_error(st, "intake_usual (correlated two-part model)");
  {
    const char *nm[] = {"theta", "loglik", "iterations", "converged",
                        "status", "hessian"};
    SEXP el[6];
    el[0] = th;
    PROTECT(el[1] = Rf_ScalarReal(ll)); nprot++;
    PROTECT(el[2] = Rf_ScalarInteger(it)); nprot++;
    PROTECT(el[3] = Rf_ScalarLogical(conv)); nprot++;
    PROTECT(el[4] = Rf_ScalarInteger(st)); nprot++;
    el[5] = H;
    res = named_list(6, nm, el);
  }
  UNPROTECT(nprot);
  return res;
}

SEXP r_intake_nci_sample(SEXP mu, SEXP eta, SEXP mix, SEXP pw, SEXP episodic,
                         SEXP lambda, SEXP sigma_u, SEXP sigma_w,
                         SEXP sigma_v, SEXP rho, SEXP K_, SEXP ngh_)
{
  R_xlen_t npat = XLENGTH(pw), ns = XLENGTH(mix), len;
  int ep = nev_bool_scalar(episodic, "episodic"), K, ngh, st, nprot = 0;
  const double *m_ = nev_real_vec(mu, "mu", npat * ns);
  const double *e_ = ep ? nev_real_vec(eta, "eta", npat * ns) : NULL;
  SEXP u, uw, res;
  K = nev_int_scalar(K_, "K");
  ngh = nev_int_scalar(ngh_, "ngh");
  if (K < 1 || ngh < 1 || ngh > 256)
    Rf_error("`K` must be >= 1 and `ngh` in 1..256");
  len = usual_sample_len(npat, K, ep);
  PROTECT(u = Rf_allocVector(REALSXP, len)); nprot++;
  PROTECT(uw = Rf_allocVector(REALSXP, len)); nprot++;
  st = nev_nci_sample((size_t) npat, (size_t) ns, m_, e_,
                      nev_real_vec(mix, "mix", ns), nev_real_vec(pw, "pw", npat),
                      ep, nev_real_scalar(lambda, "lambda"),
                      nev_real_scalar(sigma_u, "sigma_u"),
                      nev_real_scalar(sigma_w, "sigma_w"),
                      ep ? nev_real_scalar(sigma_v, "sigma_v") : 0.0,
                      ep ? nev_real_scalar(rho, "rho") : 0.0,
                      (size_t) K, (size_t) ngh, REAL(u), REAL(uw));
  if (st != NEV_OK) UNPROTECT(nprot);
  nev_stop_on_error(st, "usual-intake distribution");
  {
    const char *nm[] = {"u", "w"};
    SEXP el[] = {u, uw};
    res = named_list(2, nm, el);
  }
  UNPROTECT(nprot);
  return res;
}
