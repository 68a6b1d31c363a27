/* Cluster-robust (sandwich) covariance of meta-analytic coefficients with
 * small-sample corrections, as clubSandwich::vcovCR() with inverse-variance
 * weights (Pustejovsky and Tipton 2018).
 *
 * The working model of the fit is block diagonal over the m clusters,
 * Theta_j = S_j + s2 I + s1 J (see nev_ml3_block(); a pool() fit has s1 = 0,
 * rho = 0, s2 = tau^2), weights W_j = Theta_j^-1, M = (X'WX)^-1, residuals
 * e = y - X beta. With the adjustment matrices A_j,
 *   V^CR = M [sum_j X_j' W_j A_j e_j e_j' A_j' W_j X_j] M,
 * where A_j = I (CR0), sqrt(c) I with c = m/(m - 1) (CR1), m/(m - p)
 * (CR1p), m(k - 1)/((m - 1)(k - p)) (CR1S), or the Bell-McCaffrey matrix
 * A_j = L_j G_j^-1/2 L_j', G_j = L_j'(Theta_j - X_j M X_j')L_j with
 * Theta_j = L_j L_j' (CR2; eigenvalues below 1e-12 give 0, as clubSandwich).
 *
 * Degrees of freedom from the working model: for each coefficient the
 * Satterthwaite df of the t test, and for a q x p constraint matrix C the
 * df nu of the Hotelling T^2 approximation (HTZ; Tipton and Pustejovsky
 * 2015): the F statistic is (nu - q + 1) / (nu q) Q on (q, nu - q + 1) df.
 * C99 + GSL only. */
#ifndef NEV_ROBUST_H
#define NEV_ROBUST_H

#include <stddef.h>

typedef enum {
  NEV_CR0 = 0, NEV_CR1 = 1, NEV_CR1P = 2, NEV_CR1S = 3, NEV_CR2 = 4
} nev_cr_type;

/* Data sorted by cluster (rows start[j] .. start[j + 1] - 1), X k x p
 * column-major, e the k residuals, v the k sampling variances.
 * Outputs: vcov (p x p, column-major), df (p values, or NULL) and, when
 * Cm (q x p, column-major) is not NULL, *nu. Requires m >= 2 and k >= p.
 * Returns NEV_OK, NEV_ERR_ARG, NEV_ERR_DOMAIN (non-finite input, m <= p
 * for CR1p, k <= p for CR1S), NEV_ERR_SINGULAR (X'WX or a block not positive
 * definite), NEV_ERR_NOMEM, NEV_ERR_GSL. */
int nev_robust(const double *X, const double *e, const double *v, size_t k,
               size_t p, const size_t *start, size_t m, double rho,
               double s1, double s2, int type, const double *Cm, size_t q,
               double *vcov, double *df, double *nu);

#endif
