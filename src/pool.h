/* Meta-analysis core: the (mixed-effects) meta-analytic model
 *
 *   y_i = x_i' beta + u_i + e_i,  u_i ~ N(0, tau^2),  e_i ~ N(0, v_i),
 *
 * for k studies and a k x p design matrix X (p = 1 and X = NULL: the
 * intercept-only random-effects model). C99 + GSL only, no R headers.
 *
 * Notation used in the comments: W = diag(w_i), w_i = 1 / (v_i + tau^2),
 * P = W - W X (X'WX)^-1 X'W. Every tau^2 estimator accepts a general X and
 * follows the formulas of metafor::rma.uni (Viechtbauer 2010), so that
 * subgroup, meta-regression, leave-one-out and influence code can call
 * nev_pool_fit() directly.
 */
#ifndef NEV_POOL_H
#define NEV_POOL_H

#include <stddef.h>

#include "effect.h"

/* tau^2 estimators (the values are part of the R interface: keep order). */
typedef enum {
  NEV_POOL_FE = 0,   /* common effect: tau^2 = 0                           */
  NEV_POOL_DL = 1,   /* DerSimonian-Laird                                  */
  NEV_POOL_REML = 2, /* restricted maximum likelihood                      */
  NEV_POOL_ML = 3,   /* maximum likelihood                                 */
  NEV_POOL_PM = 4,   /* Paule-Mandel (generalised Q = k - p)               */
  NEV_POOL_EB = 5,   /* empirical Bayes (Morris; same root as PM)          */
  NEV_POOL_HE = 6,   /* Hedges (unweighted method of moments)              */
  NEV_POOL_HS = 7,   /* Hunter-Schmidt                                     */
  NEV_POOL_SJ = 8,   /* Sidik-Jonkman                                      */
  NEV_POOL_DL2 = 9,  /* two-step DL: generalised Q with 1/(v + tau2_DL)    */
  NEV_POOL_NMETHODS = 10
} nev_pool_method;

/* Tests of the coefficients. */
typedef enum {
  NEV_POOL_TEST_Z = 0,    /* Wald z                                      */
  NEV_POOL_TEST_HKSJ = 1  /* Knapp-Hartung / HKSJ: t(k - p), scaled vb    */
} nev_pool_test;

typedef struct {
  int method;       /* nev_pool_method                                    */
  int test;         /* nev_pool_test                                      */
  int hksj_adhoc;   /* 1: scale factor max(1, s2w) ("never narrower")     */
  double level;     /* confidence level in (0, 1), e.g. 0.95              */
  double tol;       /* relative tolerance on tau^2 for iterative methods  */
  int maxiter;      /* iteration limit of the Newton/Fisher phase         */
  double tau2_fix;  /* >= 0: use this tau^2 (no estimation); < 0: estimate */
  int lean;         /* 1: leave out QE_p, ll_ml and ll_reml (NaN), which  */
                    /* batch callers do not report (saves their cost)     */
} nev_pool_opts;

/* Defaults: REML, z test, level 0.95, tol 1e-12, maxiter 1000, estimate,
 * not lean. */
void nev_pool_opts_default(nev_pool_opts *opts);

typedef struct {
  /* Output buffers owned by the caller. beta, se and vb are required;
   * the others may be NULL when not wanted. */
  double *beta;    /* p coefficients                                      */
  double *se;      /* p standard errors (HKSJ-scaled when test = HKSJ)    */
  double *vb;      /* p x p covariance, column-major (scaled like se)     */
  double *zval;    /* p test statistics (z or t)                          */
  double *pval;    /* p two-sided p-values                                */
  double *ci_lb;   /* p lower confidence limits                           */
  double *ci_ub;   /* p upper confidence limits                           */
  double *weights; /* k model weights 1 / (v_i + tau^2) (not normalised)  */
  /* Scalars filled by the fit. */
  double tau2;     /* estimate of tau^2 (0 for FE)                        */
  double se_tau2;  /* its standard error (metafor's formulas; NaN for FE) */
  double QE;       /* (residual) heterogeneity statistic, weights 1/v_i   */
  double QE_df;    /* k - p                                               */
  double QE_p;     /* upper chi^2 tail probability of QE                  */
  double vt;       /* "typical" within-study variance (k - p) / tr(P_FE)  */
  double I2;       /* percent: 100 tau^2/(vt + tau^2); FE: Q-based         */
  double H2;       /* (vt + tau^2)/vt; FE: QE/(k - p)                     */
  double s2w;      /* HKSJ scale factor applied to vb (1 for z)           */
  double ddf;      /* df of the t test (k - p), NaN for z                 */
  double crit;     /* critical value used for the CIs                     */
  double ll_ml;    /* ML log-likelihood at the estimates                  */
  double ll_reml;  /* REML log-likelihood (with +1/2 log|X'X|, as metafor) */
  int iterations;  /* iterations used (0 for closed-form estimators)      */
  int converged;   /* 1 converged / closed form; 0 not (status NOCONV)    */
  int boundary;    /* 1 when tau^2 was truncated at or settled on 0       */
  int fallback;    /* 1 when the bracketing root finder had to take over  */
} nev_pool_result;

/* Number of doubles of scratch memory nev_pool_fit_ws() needs. */
size_t nev_pool_work_size(size_t k, size_t p);

/* Fit the model.
 *   yi, vi : k effect sizes and (strictly positive, finite) sampling
 *            variances.
 *   X      : k x p design matrix, column-major; NULL means p must be 1
 *            and X is a column of ones (intercept-only, O(k) work).
 *   opts   : NULL for the defaults.
 *   res    : output; its buffers are filled (see nev_pool_result).
 * k >= p >= 1 is required. With k == p there is no information on tau^2:
 * tau^2 = 0 (boundary = 1), QE = 0, QE_p = 1, I2 = 0, H2 = 1, and a HKSJ
 * request falls back to the z test (s2w = 1, ddf = NaN).
 * ML and REML return the global maximiser of the (restricted)
 * likelihood over tau^2 >= 0: every stationary point lies below
 * RSS_OLS / (k or k - p) + max v_i; the estimating function is evaluated
 * at 0 and on a geometric grid up to that bound, every change of sign
 * from + to - (a local maximum) is solved by Newton kept inside its
 * bracket, and the candidate (0 when the function is <= 0 there) with the
 * highest likelihood is taken. PM and EB (one root of a decreasing
 * function) use Newton from the Hedges value with a kept bracket. If a
 * root has not converged to |change| <= tol * tau^2 within maxiter steps
 * it is found with GSL's Brent solver on its bracket (fallback = 1).
 * The model is equivariant under y -> y / s, v -> v / s^2: when the mean
 * v_i lies outside 2^-64 .. 2^64 the fit is done on data rescaled by a
 * power of 2 (exact) and the results are scaled back.
 * Returns NEV_OK, NEV_WARN_NOCONV (result usable, converged = 0), or an
 * error: NEV_ERR_ARG (sizes, method, level, tol), NEV_ERR_EMPTY (k = 0),
 * NEV_ERR_DOMAIN (non-finite yi, non-finite or non-positive vi or X, and
 * finite input whose fit overflows: no result is ever returned with a
 * non-finite estimate, standard error, covariance, confidence limit,
 * weight, tau^2, Q, I^2, H^2 or log-likelihood),
 * NEV_ERR_SINGULAR (X'WX not positive definite), NEV_ERR_NOMEM,
 * NEV_ERR_GSL. On error the outputs are unspecified.
 * Thread-safe: no global state; nev_pool_fit_ws() does not allocate except
 * in the (rare) Brent fallback. */
int nev_pool_fit(const double *yi, const double *vi, size_t k,
                 const double *X, size_t p, const nev_pool_opts *opts,
                 nev_pool_result *res);
/* As nev_pool_fit(), with caller-owned scratch of nev_pool_work_size(k, p)
 * doubles (for loops: leave-one-out, batches, threads). */
int nev_pool_fit_ws(const double *yi, const double *vi, size_t k,
                    const double *X, size_t p, const nev_pool_opts *opts,
                    nev_pool_result *res, double *work);

/* Q-profile confidence interval for tau^2 (Viechtbauer 2007): the tau^2
 * values where Q(tau2) equals the upper and lower alpha/2 quantiles of
 * chi^2(k - p), each bound truncated at 0 as in metafor::confint.rma.uni.
 * Requires k > p. Brent root finding to relative tolerance tol. */
int nev_pool_qprofile(const double *yi, const double *vi, size_t k,
                      const double *X, size_t p, double level, double tol,
                      double *lb, double *ub, double *work);
/* 2x2 tables: measures and common-effect methods of nev_pool_counts(). */
/* Measures of the 2x2-table methods: NEV_EFFECT_RR, NEV_EFFECT_OR and
 * NEV_EFFECT_RD of effect.h (one enum for every family). */
typedef enum { NEV_POOL_MH = 0, NEV_POOL_PETO = 1 } nev_pool_cmethod;

/* Mantel-Haenszel (OR with the Robins-Breslow-Greenland variance, RR with
 * the Greenland-Robins variance, RD with the Sato-Greenland-Robins
 * variance) or Peto one-step log odds ratio from k tables with ai events
 * of n1i and ci events of n2i (counts may be non-integer after a
 * continuity correction done by the caller; no correction is applied
 * here). OR and RR are on the log scale. For Peto, *qe receives the Peto
 * heterogeneity statistic over tables with positive variance (NaN for MH:
 * the caller computes Q from per-study estimates) and *kq the number of
 * such tables. Every table must have 0 <= ai <= n1i, 0 <= ci <= n2i,
 * n1i + n2i > 0 (else NEV_ERR_DOMAIN). If the estimate is undefined (no
 * events, or no non-events, in the relevant margins) NEV_ERR_EMPTY. */
int nev_pool_counts(const double *ai, const double *n1i, const double *ci,
                    const double *n2i, size_t k, int measure, int method,
                    double *est, double *se, double *qe, size_t *kq);

#endif
