/* Resampling core of the pool family: permutation tests (sign flips of
 * the effects for an intercept-only model, permutations of the rows of the
 * design for a meta-regression, as metafor::permutest) and GOSH (the model
 * refitted on subsets of the studies, as metafor::gosh). Every fit goes
 * through nev_pool_fit_ws() (pool.h) with the settings of the original
 * fit. C99 + GSL only, no R headers; the caller owns every buffer and
 * supplies any random draws (so that R's RNG drives them). Batches run on
 * `nthreads` OpenMP threads (ignored without OpenMP); the results do not
 * depend on the number of threads.
 */
#ifndef NEV_RESAMPLE_H
#define NEV_RESAMPLE_H

#include <stddef.h>
#include "pool.h"

/* The model to refit: k studies, k x p column-major design X (NULL: the
 * intercept-only model, p = 1) and the fit's settings. The statistic QM
 * tests the coefficients btt0 .. p - 1 (Wald chi^2, or F = chi^2 / m with
 * the Knapp-Hartung test, as metafor). */
typedef struct {
  const double *yi, *vi, *X;
  size_t k, p, btt0;
  nev_pool_opts opts;
} nev_rs_model;

/* How the batch of fits is defined.
 *   NEV_PERM_FLIP_EXACT: fit r (r = first, first + 1, ...) flips the sign
 *     of y_j when bit j of r is set (the order of metafor's sign matrix);
 *     requires k <= 62.
 *   NEV_PERM_FLIP_GIVEN: given[i * k + j] (-1 or +1) is the sign of y_j in
 *     fit i.
 *   NEV_PERM_ROWS_EXACT: fit r uses the r-th distinct permutation (in
 *     lexicographic order, 0-based) of the multiset of row labels
 *     `group`: group[i] is the (0-based) index of the first row of X
 *     identical to row i. Row i of the permuted design is row perm[i]
 *     of X, so identical rows are never swapped with each other.
 *   NEV_PERM_ROWS_GIVEN: row i of the design of fit i' is row
 *     given[i' * k + i] (0-based) of X.
 *   NEV_GOSH_EXACT: fit r uses the studies j with bit j of r set
 *     (requires k <= 62); subsets with fewer than p studies get status
 *     NEV_ERR_EMPTY.
 *   NEV_GOSH_GIVEN: study j is in subset i when bit (j % 31) of
 *     given[i * W + j / 31] is set, W = (k + 30) / 31 words per subset. */
typedef enum {
  NEV_PERM_FLIP_EXACT = 0,
  NEV_PERM_FLIP_GIVEN = 1,
  NEV_PERM_ROWS_EXACT = 2,
  NEV_PERM_ROWS_GIVEN = 3,
  NEV_GOSH_EXACT = 4,
  NEV_GOSH_GIVEN = 5
} nev_rs_kind;

/* Outputs of a batch of n fits (any pointer may be NULL when not wanted;
 * matrices are n x p column-major). A fit that fails gets NaN values and
 * its status (never an error of the batch). */
typedef struct {
  double *beta, *zval, *QM;          /* permutation tests            */
  double *tau2, *I2, *H2, *QE;       /* heterogeneity (GOSH)         */
  int *ksub;                         /* studies in the subset (GOSH) */
  int *status;                       /* per fit, required            */
} nev_rs_out;

/* Doubles of scratch per thread. */
size_t nev_rs_work_size(size_t k, size_t p);

/* Run fits first .. first + n - 1 (exact kinds; `first` is a rank) or the
 * n given fits, on nthreads threads with work of nthreads *
 * nev_rs_work_size(k, p) doubles. Returns NEV_OK or NEV_ERR_ARG (bad kind,
 * sizes, ranks). */
int nev_rs_batch(const nev_rs_model *m, int kind, const int *given,
                 const int *group, double first, size_t n, int nthreads,
                 double *work, nev_rs_out *out);

/* Number of distinct permutations of the multiset of k labels `group`
 * (k! / prod m_g!), as a double (Inf when it overflows). */
double nev_rs_count_perms(const int *group, size_t k);

#endif
