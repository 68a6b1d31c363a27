/* Resampling core: permutation tests and GOSH over nev_pool_fit_ws().
 * See resample.h for the contract. C99 + GSL only. */
#include "resample.h"
#include "nev_status.h"

#include <math.h>
#include <stdint.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Ranks of exact enumerations are doubles: integers up to 2^53 are exact;
 * the unranking of multiset permutations multiplies a count by a label's
 * multiplicity (<= k), so its counts stay below 2^53 / k. */
#define RS_MAX_RANK 9007199254740992.0 /* 2^53 */

/* Per-thread scratch, carved from one block of doubles. */
typedef struct {
  double *y, *v, *X, *lab, *cnt;
  double *beta, *se, *vb, *zv, *chol, *pool;
} rs_ws;

size_t nev_rs_work_size(size_t k, size_t p)
{
  return 5 * k + k * p + p * (4 + 2 * p) + nev_pool_work_size(k, p) + 16;
}

static void ws_carve(rs_ws *w, double *base, size_t k, size_t p)
{
  w->y = base; base += k;
  w->v = base; base += k;
  w->lab = base; base += k;
  w->cnt = base; base += 2 * k;
  w->X = base; base += k * p;
  w->beta = base; base += p;
  w->se = base; base += p;
  w->zv = base; base += p;
  w->vb = base; base += p * p;
  w->chol = base; base += p * p + p;
  w->pool = base;
}

/* QM = b' V^-1 b over the block btt0 .. p - 1 (V from vb), divided by the
 * block size for the Knapp-Hartung F test. NaN when V is not positive
 * definite. L holds m x m + m doubles of scratch. */
static double wald_qm(const double *b, const double *vb, size_t p,
                      size_t btt0, int hksj, double *L)
{
  const size_t m = p - btt0;
  double *z = L + m * m;
  for (size_t i = 0; i < m; i++) {
    z[i] = b[btt0 + i];
    for (size_t j = 0; j < m; j++)
      L[i * m + j] = vb[(btt0 + i) + (btt0 + j) * p];
  }
  gsl_matrix_view A = gsl_matrix_view_array(L, m, m);
  gsl_vector_view x = gsl_vector_view_array(z, m);
  if (gsl_linalg_cholesky_decomp1(&A.matrix) != GSL_SUCCESS ||
      gsl_linalg_cholesky_svx(&A.matrix, &x.vector) != GSL_SUCCESS)
    return NAN;
  double qm = 0.0;
  for (size_t i = 0; i < m; i++) qm += b[btt0 + i] * z[i];
  return hksj ? qm / (double) m : qm;
}

static void put_nan(const nev_rs_out *o, size_t i, size_t n, size_t p)
{
  for (size_t a = 0; a < p; a++) {
    if (o->beta) o->beta[i + a * n] = NAN;
    if (o->zval) o->zval[i + a * n] = NAN;
  }
  if (o->QM) o->QM[i] = NAN;
  if (o->tau2) o->tau2[i] = NAN;
  if (o->I2) o->I2[i] = NAN;
  if (o->H2) o->H2[i] = NAN;
  if (o->QE) o->QE[i] = NAN;
}

/* Fit the model on ks studies held in w (y, v, and X unless X is NULL)
 * and store result i of n. */
static void fit_store(const nev_rs_model *m, rs_ws *w, size_t ks,
                      const double *X, size_t i, size_t n,
                      const nev_rs_out *o)
{
  const size_t p = m->p;
  nev_pool_result r;
  r.beta = w->beta; r.se = w->se; r.vb = w->vb; r.zval = w->zv;
  r.pval = NULL; r.ci_lb = NULL; r.ci_ub = NULL; r.weights = NULL;
  int st = nev_pool_fit_ws(w->y, w->v, ks, X, p, &m->opts, &r, w->pool);
  if (o->ksub) o->ksub[i] = (int) ks;
  o->status[i] = st;
  if (st != NEV_OK && st < NEV_WARN_FIRST) { put_nan(o, i, n, p); return; }
  for (size_t a = 0; a < p; a++) {
    if (o->beta) o->beta[i + a * n] = w->beta[a];
    if (o->zval) o->zval[i + a * n] = w->zv[a];
  }
  if (o->QM)
    o->QM[i] = wald_qm(w->beta, w->vb, p, m->btt0,
                       m->opts.test == NEV_POOL_TEST_HKSJ && ks > p,
                       w->chol);
  if (o->tau2) o->tau2[i] = r.tau2;
  if (o->I2) o->I2[i] = r.I2;
  if (o->H2) o->H2[i] = r.H2;
  if (o->QE) o->QE[i] = r.QE;
}

/* Lexicographically next permutation of a (k labels); 0 after the last. */
static int next_perm(double *a, size_t k)
{
  if (k < 2) return 0;
  size_t i = k - 1;
  while (i > 0 && a[i - 1] >= a[i]) i--;
  if (i == 0) return 0;
  size_t j = k - 1;
  while (a[j] <= a[i - 1]) j--;
  double t = a[i - 1]; a[i - 1] = a[j]; a[j] = t;
  for (size_t l = i, r = k - 1; l < r; l++, r--) {
    t = a[l]; a[l] = a[r]; a[r] = t;
  }
  return 1;
}

double nev_rs_count_perms(const int *group, size_t k)
{
  /* k! / prod m_g! as a running product of binomial-style ratios */
  double total = 1.0;
  size_t seen = 0;
  for (size_t g = 0; g < k; g++) {
    size_t c = 0;
    for (size_t i = 0; i < k; i++) c += group[i] == (int) g;
    for (size_t j = 1; j <= c; j++) {
      seen++;
      total = total * (double) seen / (double) j;
    }
  }
  return isfinite(total) ? nearbyint(total) : INFINITY;
}

/* The r-th distinct permutation (lexicographic) of the multiset with
 * cnt[g] copies of label g, into lab. cnt is destroyed. */
static void unrank_perm(double r, double total, double *cnt, size_t k,
                        double *lab)
{
  for (size_t i = 0; i < k; i++) {
    const double nrem = (double) (k - i);
    for (size_t g = 0; g < k; g++) {
      if (cnt[g] <= 0.0) continue;
      double c = nearbyint(total * cnt[g] / nrem);
      if (r < c) { lab[i] = (double) g; cnt[g] -= 1.0; total = c; break; }
      r -= c;
    }
  }
}

/* Design row i of the permuted X: row lab[i] of m->X. */
static void perm_rows(const nev_rs_model *m, const double *lab, double *Xp)
{
  const size_t k = m->k, p = m->p;
  for (size_t i = 0; i < k; i++) {
    size_t src = (size_t) lab[i];
    for (size_t a = 0; a < p; a++) Xp[i + a * k] = m->X[src + a * k];
  }
}

/* Gather the studies of a subset (mask bits, or given words) into w. */
static size_t gather(const nev_rs_model *m, rs_ws *w, uint64_t mask,
                     const int *words)
{
  const size_t k = m->k, p = m->p;
  size_t ks = 0;
  for (size_t j = 0; j < k; j++) {
    int in = words ? (words[j / 31] >> (j % 31)) & 1
                   : (int) ((mask >> j) & 1u);
    if (!in) continue;
    w->y[ks] = m->yi[j]; w->v[ks] = m->vi[j];
    ks++;
  }
  if (m->X) {
    size_t r = 0;
    for (size_t j = 0; j < k; j++) {
      int in = words ? (words[j / 31] >> (j % 31)) & 1
                     : (int) ((mask >> j) & 1u);
      if (!in) continue;
      for (size_t a = 0; a < p; a++) w->X[r + a * ks] = m->X[j + a * k];
      r++;
    }
  }
  return ks;
}

/* One fit (index i of the batch, rank first + i for exact kinds). lab
 * holds the current multiset permutation for NEV_PERM_ROWS_EXACT. */
static void one_fit(const nev_rs_model *m, int kind, const int *given,
                    double rank, size_t i, size_t n,
                    rs_ws *w, const nev_rs_out *o)
{
  const size_t k = m->k;
  switch (kind) {
  case NEV_PERM_FLIP_EXACT: {
    uint64_t r = (uint64_t) rank;
    for (size_t j = 0; j < k; j++) {
      w->y[j] = ((r >> j) & 1u) ? -m->yi[j] : m->yi[j];
      w->v[j] = m->vi[j];
    }
    fit_store(m, w, k, m->X, i, n, o);
    break;
  }
  case NEV_PERM_FLIP_GIVEN:
    for (size_t j = 0; j < k; j++) {
      w->y[j] = given[i * k + j] < 0 ? -m->yi[j] : m->yi[j];
      w->v[j] = m->vi[j];
    }
    fit_store(m, w, k, m->X, i, n, o);
    break;
  case NEV_PERM_ROWS_EXACT:
    perm_rows(m, w->lab, w->X);
    for (size_t j = 0; j < k; j++) { w->y[j] = m->yi[j]; w->v[j] = m->vi[j]; }
    fit_store(m, w, k, w->X, i, n, o);
    break;
  case NEV_PERM_ROWS_GIVEN:
    for (size_t j = 0; j < k; j++) {
      w->lab[j] = (double) given[i * k + j];
      w->y[j] = m->yi[j]; w->v[j] = m->vi[j];
    }
    perm_rows(m, w->lab, w->X);
    fit_store(m, w, k, w->X, i, n, o);
    break;
  default: { /* GOSH */
    const size_t W = (k + 30) / 31;
    size_t ks = gather(m, w, (uint64_t) rank,
                       kind == NEV_GOSH_GIVEN ? given + i * W : NULL);
    if (ks < m->p || ks == 0) {
      if (o->ksub) o->ksub[i] = (int) ks;
      o->status[i] = NEV_ERR_EMPTY;
      put_nan(o, i, n, m->p);
      return;
    }
    fit_store(m, w, ks, m->X ? w->X : NULL, i, n, o);
  }
  }
}

static int check_batch(const nev_rs_model *m, int kind, const int *given,
                       const int *group, double first, size_t n,
                       int nthreads, const double *work,
                       const nev_rs_out *out)
{
  if (m == NULL || out == NULL || out->status == NULL || work == NULL ||
      m->k == 0 || m->p == 0 || m->p > m->k || m->btt0 >= m->p ||
      nthreads < 1)
    return NEV_ERR_ARG;
  if (kind < NEV_PERM_FLIP_EXACT || kind > NEV_GOSH_GIVEN) return NEV_ERR_ARG;
  if (!(first >= 0.0) || !(first + (double) n <= RS_MAX_RANK) ||
      first != floor(first))
    return NEV_ERR_ARG;
  if ((kind == NEV_PERM_FLIP_GIVEN || kind == NEV_PERM_ROWS_GIVEN ||
       kind == NEV_GOSH_GIVEN) && given == NULL && n > 0)
    return NEV_ERR_ARG;
  if ((kind == NEV_PERM_ROWS_EXACT || kind == NEV_PERM_ROWS_GIVEN) &&
      m->X == NULL)
    return NEV_ERR_ARG;
  if (kind == NEV_PERM_FLIP_EXACT || kind == NEV_GOSH_EXACT) {
    if (m->k > 62 || first < 0.0 ||
        first + (double) n > ldexp(1.0, (int) m->k))
      return NEV_ERR_ARG;
  }
  if (kind == NEV_PERM_ROWS_EXACT) {
    if (group == NULL) return NEV_ERR_ARG;
    for (size_t i = 0; i < m->k; i++)
      if (group[i] < 0 || (size_t) group[i] > i ||
          group[group[i]] != group[i])
        return NEV_ERR_ARG;
    double tot = nev_rs_count_perms(group, m->k);
    if (!(tot * (double) m->k < RS_MAX_RANK) || first < 0.0 ||
        first + (double) n > tot)
      return NEV_ERR_ARG;
  }
  if (kind == NEV_PERM_ROWS_GIVEN)
    for (size_t i = 0; i < n * m->k; i++)
      if (given[i] < 0 || (size_t) given[i] >= m->k) return NEV_ERR_ARG;
  return NEV_OK;
}

/* Fits lo .. hi - 1 of the batch with one thread's scratch. */
static void run_range(const nev_rs_model *m, int kind, const int *given,
                      const int *group, double first,
                      size_t lo, size_t hi, size_t n, double *base,
                      const nev_rs_out *out)
{
  rs_ws w;
  ws_carve(&w, base, m->k, m->p);
  if (lo >= hi) return;
  if (kind == NEV_PERM_ROWS_EXACT) {
    for (size_t g = 0; g < m->k; g++) w.cnt[g] = 0.0;
    for (size_t i = 0; i < m->k; i++) w.cnt[group[i]] += 1.0;
    unrank_perm(first + (double) lo, nev_rs_count_perms(group, m->k), w.cnt,
                m->k, w.lab);
  }
  for (size_t i = lo; i < hi; i++) {
    one_fit(m, kind, given, first + (double) i, i, n, &w, out);
    if (kind == NEV_PERM_ROWS_EXACT) next_perm(w.lab, m->k);
  }
}

int nev_rs_batch(const nev_rs_model *m, int kind, const int *given,
                 const int *group, double first, size_t n, int nthreads,
                 double *work, nev_rs_out *out)
{
  int st = check_batch(m, kind, given, group, first, n, nthreads, work, out);
  if (st != NEV_OK) return st;
  const size_t wsz = nev_rs_work_size(m->k, m->p);
#ifdef _OPENMP
  int nt = nthreads;
  if ((size_t) nt > n) nt = n > 0 ? (int) n : 1;
#pragma omp parallel num_threads(nt)
  {
    size_t t = (size_t) omp_get_thread_num();
    size_t T = (size_t) omp_get_num_threads();
    run_range(m, kind, given, group, first, n * t / T, n * (t + 1) / T,
              n, work + t * wsz, out);
  }
#else
  run_range(m, kind, given, group, first, 0, n, n, work, out);
#endif
  return NEV_OK;
}
