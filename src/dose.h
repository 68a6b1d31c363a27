/* Dose-response core: covariance of correlated log relative risks from
 * category-level data (Greenland-Longnecker, Hamling), per-study generalised
 * least squares and multivariate random-effects pooling of the study-specific
 * coefficient vectors. C99 + GSL only; the caller owns every buffer. */
#ifndef NEV_DOSE_H
#define NEV_DOSE_H

#include <stddef.h>
#include "nev_interrupt.h"

/* Study designs (how the log relative risks were estimated). */
enum {
  NEV_DOSE_CC = 0,      /* case-control: odds ratios, n = cases + controls  */
  NEV_DOSE_CI_RISK = 1, /* cumulative incidence, pseudo-counts fit RRs      */
  NEV_DOSE_CI_ODDS = 2, /* cumulative incidence, pseudo-counts fit ORs      */
  NEV_DOSE_IR = 3       /* incidence rate: n = person-time                  */
};

/* Covariance reconstruction methods. */
enum { NEV_DOSE_GL = 0, NEV_DOSE_HAMLING = 1, NEV_DOSE_INDEP = 2 };

/* Pooling methods. */
enum { NEV_DOSE_FE = 0, NEV_DOSE_ML = 1, NEV_DOSE_REML = 2 };

/* Pseudo-counts and covariance of the m - 1 non-referent log RRs of one
 * study with m categories; row `ref` is the referent (its y and v are not
 * used). y: log RRs, v: their variances, cases, n: observed counts (n is
 * the category total for "cc"/"ci", person-time for "ir").
 * Out: A[m] pseudo-cases, N[m] pseudo-totals, S[(m-1)^2] row-major
 * covariance of the non-referent rows in their original order, *iter the
 * number of iterations. On an error *bad is the offending row (0-based) or
 * m when no single row is to blame. NEV_ERR_DOMAIN: a non-positive count or
 * no valid pseudo-counts exist; NEV_ERR_SINGULAR: S is not positive
 * definite; NEV_WARN_NOCONV: the iteration did not reach machine precision
 * (the results are the last iterate). */
int nev_dose_pseudo(int type, int method, size_t m, size_t ref,
                    const double *restrict y, const double *restrict v,
                    const double *restrict cases, const double *restrict n,
                    double *restrict A, double *restrict N,
                    double *restrict S, int *iter, size_t *bad);

/* Generalised least squares of y (m) on X (m x p, row-major) with
 * covariance S (m x m, row-major, positive definite): coefficients b[p],
 * their covariance V[p*p] and the residual chi-square
 * (y - Xb)' S^-1 (y - Xb). NEV_ERR_SINGULAR if S or X'S^-1X is singular. */
int nev_dose_gls(size_t m, size_t p, const double *restrict X,
                 const double *restrict y, const double *restrict S,
                 double *restrict b, double *restrict V, double *chi2);

/* Output of the multivariate pooling. */
typedef struct {
  double loglik;   /* log-likelihood (REML: restricted) at the optimum      */
  double Q;        /* multivariate Cochran Q about the fixed-effect mean     */
  double grad;     /* max |gradient| at the end (scaled parameterisation)    */
  int iterations;
  int converged;
} nev_dose_mv;

/* Multivariate random-effects pooling of k coefficient vectors b (k x p,
 * row-major) with within-study covariances V (k blocks of p x p):
 * b_i ~ N(beta, V_i + Psi). Psi = L L' with L lower triangular and log
 * diagonal (log-Cholesky), columns scaled by the root mean within-study
 * variance, started from univariate method-of-moments estimates and
 * optimised with GSL's BFGS on the profile (restricted) likelihood with its
 * analytic gradient. Out: beta[p], vbeta[p*p], Psi[p*p], *res.
 * When the optimum is near a singular Psi (a correlation of +-1), the fit
 * is restarted from inside and the highest likelihood kept.
 * NEV_WARN_NOCONV: maxit reached or the line search stalled away from a
 * stationary point; NEV_ERR_INTERRUPT: intr (may be NULL) asked to stop. */
int nev_dose_mvmeta(size_t k, size_t p, const double *restrict b,
                    const double *restrict V, int method, double tol,
                    int maxit, double *restrict beta, double *restrict vbeta,
                    double *restrict Psi, nev_dose_mv *res,
                    const nev_interrupt *intr);

/* One-stage model: a linear mixed model on the stacked contrasts of k
 * studies, y_s = X_s beta + X_s u_s + e_s with u_s ~ N(0, Psi) and
 * e_s ~ N(0, S_s); study s has m[s] >= 1 rows of X (N x p, row-major) and
 * y (N), and covariance S_s (blocks of m[s] x m[s], row-major,
 * concatenated). Same parameterisation and optimiser as nev_dose_mvmeta,
 * with the coefficients whitened by the mean information. res->Q is NaN.
 * NEV_ERR_SINGULAR: an S_s is not positive definite or the pooled
 * information is singular. */
int nev_dose_onestage(size_t k, size_t p, const size_t *restrict m,
                      const double *restrict X, const double *restrict y,
                      const double *restrict S, int method, double tol,
                      int maxit, double *restrict beta,
                      double *restrict vbeta, double *restrict Psi,
                      nev_dose_mv *res, const nev_interrupt *intr);

#endif
