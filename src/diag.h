/* Meta-analysis diagnostics core: leave-one-out and influence measures,
 * cumulative meta-analysis, weighted least squares (Egger's regression
 * test), Kendall's rank correlation (Begg's test) and the trim-and-fill
 * rank estimators. Every model fit goes through nev_pool_fit_ws() (pool.h).
 * C99 + GSL only, no R headers; the caller owns every buffer.
 */
#ifndef NEV_DIAG_H
#define NEV_DIAG_H

#include <stddef.h>
#include "pool.h"
#include "nev_interrupt.h"

/* Leave-one-out results. Per-study arrays have length k; matrices are
 * k x p, column-major (row i = the fit without study i). Any pointer of
 * the influence block may be NULL when not wanted; the leave-one-out block
 * is required. A study whose deletion leaves a model that cannot be fitted
 * (X'WX singular, fewer studies than coefficients) gets NaN everywhere and
 * status[i] != NEV_OK. */
typedef struct {
  /* leave-one-out fits */
  double *beta, *se, *zval, *pval, *ci_lb, *ci_ub; /* k x p              */
  double *tau2, *QE, *QE_p, *I2, *H2, *s2w;          /* k                  */
  int *converged, *status;                           /* k                  */
  /* influence measures (metafor::influence.rma.uni definitions)         */
  double *rstudent; /* externally standardised (deleted) residuals      */
  double *dffits;   /* change in the fitted value, standardised         */
  double *cook;     /* Cook's distance over the coefficients btt        */
  double *covratio; /* det(vb without i) / det(vb), coefficients btt    */
  double *hat;      /* diagonal of the hat matrix of the full fit       */
  double *weight;   /* percentage weights of the full fit               */
  double *dfbetas;  /* k x p standardised changes of the coefficients   */
} nev_diag_loo_out;

/* Fit the full model and the k models without one study each.
 *   X      : k x p column-major design or NULL (intercept only, p = 1).
 *   opts   : the fit's settings (method, test, tau2_fix, ...).
 *   btt0   : first coefficient (0-based) of the block used by Cook's
 *            distance and the covariance ratio (1 when X has an intercept
 *            and p > 1, else 0).
 * Requires k >= 2 and k - 1 >= p. Returns NEV_OK, NEV_WARN_NOCONV (some fit
 * did not converge: see converged[]), or the full fit's error status, or
 * NEV_ERR_ARG / NEV_ERR_NOMEM, or NEV_ERR_INTERRUPT when intr (may be NULL)
 * asked to stop. */
int nev_diag_loo(const double *yi, const double *vi, size_t k,
                 const double *X, size_t p, const nev_pool_opts *opts,
                 size_t btt0, nev_diag_loo_out *out,
                 const nev_interrupt *intr);

/* Cumulative meta-analysis (intercept only): fit j = 1..k uses the first j
 * studies in the given order. Outputs of length k (estimate, se, ...).
 * Returns NEV_OK, NEV_WARN_NOCONV (see converged[]) or an error
 * (NEV_ERR_INTERRUPT when intr, which may be NULL, asked to stop). */
int nev_diag_cumul(const double *yi, const double *vi, size_t k,
                   const nev_pool_opts *opts, double *beta, double *se,
                   double *zval, double *pval, double *ci_lb, double *ci_ub,
                   double *tau2, double *QE, double *QE_p, double *I2,
                   double *H2, int *converged, const nev_interrupt *intr);

/* Weighted least squares y = X b + e with weights w_i = 1 / v_i and an
 * unknown residual scale (as lm(y ~ X - 1, weights = 1/v)): coefficients
 * b, standard errors se = sqrt(s2 diag((X'WX)^-1)) with
 * s2 = sum w e^2 / (k - p), t statistics, and *s2_out. Requires k > p.
 * Returns NEV_ERR_SINGULAR when X'WX is not positive definite. */
int nev_diag_wls(const double *y, const double *v, size_t k, const double *X,
                 size_t p, double *b, double *se, double *t, double *s2_out);

/* Kendall's rank correlation between x and y (tau-b, as
 * cor(x, y, method = "kendall")) with the two-sided p-value of
 * cor.test(x, y, method = "kendall", exact = exact): the exact permutation
 * distribution when exact != 0, there are no ties and n <= 500; otherwise
 * the normal approximation with the tie-corrected variance of S (no
 * continuity correction). *used_exact tells which. Requires n >= 3 finite
 * pairs; NEV_ERR_DOMAIN when x or y is constant. */
int nev_diag_kendall(const double *x, const double *y, size_t n, int exact,
                     double *tau, double *stat, double *pval,
                     int *used_exact);

/* Trim and fill (Duval and Tweedie 2000) as metafor::trimfill.rma.uni.
 *   estimator : 0 = L0, 1 = R0.
 *   side      : 0 = left, 1 = right, -1 = choose by the sign of the slope
 *               of the mixed-effects regression of yi on sqrt(vi) (fit with
 *               opts), missing studies on the left when the slope is >= 0.
 *   maxiter   : iteration limit of the trim / re-estimate loop.
 * Outputs: *side_out, *k0 (studies to fill), *se_k0, *iterations,
 * *converged (0 when maxiter was reached: the last k0 is returned and the
 * status is NEV_WARN_NOCONV), and the k0 filled studies in fill_y / fill_v
 * (buffers of length k): mirror images 2 * beta_trimmed - y of the k0 most
 * extreme studies on the other side, as metafor constructs them.
 * Requires k >= 2. */
int nev_diag_trimfill(const double *yi, const double *vi, size_t k,
                      const nev_pool_opts *opts, int estimator, int side,
                      int maxiter, int *side_out, int *k0, double *se_k0,
                      int *iterations, int *converged, double *fill_y,
                      double *fill_v);

#endif
