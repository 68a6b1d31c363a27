/* Nonlinear dose-response curves (Emax, sigmoid Emax, four-parameter
 * log-logistic, exponential, linear) fitted by GSL's trust-region
 * Levenberg-Marquardt with analytic Jacobians. C99 + GSL only. */
#ifndef NEV_DOSE_CURVE_H
#define NEV_DOSE_CURVE_H

#include <stddef.h>

enum {
  NEV_CURVE_EMAX = 0,    /* e0 + emax d / (ed50 + d)                       */
  NEV_CURVE_SIGEMAX = 1, /* e0 + emax d^h / (ed50^h + d^h)                 */
  NEV_CURVE_LL4 = 2,     /* c + (d - c) / (1 + (x / e)^b), pars b, c, d, e */
  NEV_CURVE_EXP = 3,     /* e0 + e1 (exp(d / delta) - 1)                   */
  NEV_CURVE_LINEAR = 4   /* e0 + slope d                                   */
};

/* Number of parameters of a model (0 for an unknown model). */
size_t nev_curve_npar(int model);

/* Model values f[n] at doses x[n] and, if J != NULL, the Jacobian
 * J[n * p] (row-major) with respect to the parameters. NEV_ERR_ARG for an
 * unknown model, NEV_ERR_DOMAIN for a negative dose or a non-finite
 * value. */
int nev_curve_eval(int model, const double *restrict par, size_t n,
                   const double *restrict x, double *restrict f,
                   double *restrict J);

/* Weighted nonlinear least squares. wmode 0: unweighted; 1: w = standard
 * errors (n); 2: w = covariance matrix (n x n, row-major), used by
 * Cholesky pre-whitening. par (p) holds the start on entry and the
 * estimate on exit; cov (p x p) = (J'J)^-1 of the whitened problem; *rss
 * the whitened residual sum of squares; *iter the iterations.
 * NEV_ERR_SINGULAR: the covariance of the data is not positive definite or
 * the parameters are not identifiable at the solution; NEV_WARN_NOCONV:
 * maxit reached or no progress before the tolerances were met. */
int nev_curve_fit(int model, size_t n, const double *restrict x,
                  const double *restrict y, int wmode,
                  const double *restrict w, double *restrict par,
                  double *restrict cov, double *rss, int maxit, double tol,
                  int *iter);

#endif
