/* Three-level meta-analysis core: effects i nested in clusters j,
 *
 *   y_ij = x_ij' beta + u_j + w_ij + e_ij,
 *   u_j ~ N(0, sigma2[0]) (between clusters), w_ij ~ N(0, sigma2[1])
 *   (within clusters), e_j ~ N(0, S_j) with S_j = diag(v_j) or, with a
 *   working correlation rho, S_j[i, l] = rho sqrt(v_ij v_lj) for i != l.
 *
 * The marginal covariance is block diagonal, V_j = S_j + sigma2[1] I +
 * sigma2[0] J, so every quantity is accumulated cluster by cluster: the
 * inverse of a block by Sherman-Morrison when rho = 0, by a Cholesky
 * factor otherwise. The fixed effects are profiled out and the two
 * variance components maximise the ML or REML log-likelihood (Newton with
 * the observed information, Fisher scoring when that is not negative
 * definite, step halving, projection on sigma2 >= 0; a Nelder-Mead search
 * on sqrt(sigma2) as fallback). Log-likelihoods follow metafor::rma.mv()
 * (REML with +1/2 log|X'X|). C99 + GSL only, no R headers.
 *
 * Data are sorted by cluster: cluster j holds rows start[j] ..
 * start[j + 1] - 1, start[0] = 0, start[m] = k. X is k x p column-major. */
#ifndef NEV_MULTILEVEL_H
#define NEV_MULTILEVEL_H

#include <stddef.h>

typedef enum { NEV_ML3_REML = 0, NEV_ML3_ML = 1 } nev_ml3_method;

typedef struct {
  int method;        /* nev_ml3_method                                   */
  double rho;        /* working sampling correlation within clusters     */
  double tol;        /* relative convergence tolerance on sigma2         */
  int maxiter;       /* Newton iterations before the fallback (at most
                        10000 are used)                                  */
  double fix[2];     /* >= 0: hold sigma2[l] at this value; < 0: estimate */
} nev_ml3_opts;

/* REML, rho = 0, tol 1e-10, maxiter 200, both components estimated. */
void nev_ml3_opts_default(nev_ml3_opts *o);

typedef struct {
  double *beta;      /* p coefficients (caller-owned)                     */
  double *vb;        /* p x p covariance (X'V^-1 X)^-1, column-major      */
  double sigma2[2];  /* between-cluster, within-cluster variance          */
  double ll_ml;      /* ML log-likelihood at the estimates                */
  double ll_reml;    /* REML log-likelihood at the estimates              */
  double QE;         /* residual heterogeneity y'P_S y (sigma2 = 0)       */
  double vt;         /* typical sampling variance (k - p) / tr(P_S)       */
  int iterations;
  int converged;
  int fallback;      /* 1 when the Nelder-Mead fallback was needed        */
} nev_ml3_result;

/* The marginal covariance block of one cluster of n effects: V (n x n,
 * column-major) = S + s2 I + s1 J with S as above. */
void nev_ml3_block(const double *v, size_t n, double rho, double s1,
                   double s2, double *V);

/* Fit the model. Requires k > p >= 1, m >= 1, finite y, positive finite v,
 * finite X, |rho| < 1. Returns NEV_OK, NEV_WARN_NOCONV (result usable,
 * converged = 0), NEV_ERR_ARG, NEV_ERR_DOMAIN, NEV_ERR_SINGULAR (X'V^-1 X
 * or a sampling block S_j not positive definite), NEV_ERR_NOMEM,
 * NEV_ERR_GSL. */
int nev_ml3_fit(const double *y, const double *v, const double *X, size_t k,
                size_t p, const size_t *start, size_t m,
                const nev_ml3_opts *o, nev_ml3_result *r);

/* Profile-likelihood interval for sigma2[which] (0 or 1) at `level`: the
 * values where the log-likelihood, maximised over the other component,
 * is chi^2_1(level) / 2 below its maximum `ll_max` (from nev_ml3_fit at
 * the estimate `est`). A bound is 0 when the profile at 0 stays above the
 * cut-off; the upper bound is searched up to 2^60 times the estimate and
 * is +Inf when not found. */
int nev_ml3_profile(const double *y, const double *v, const double *X,
                    size_t k, size_t p, const size_t *start, size_t m,
                    const nev_ml3_opts *o, int which, const double *est,
                    double ll_max, double level, double *lb, double *ub);

#endif
