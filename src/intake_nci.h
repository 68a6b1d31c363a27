/* The NCI method's two-part model for usual intake (intake_nci.c): a
 * logistic-normal probability of consumption and a Box-Cox normal amount on
 * consumption days, with correlated person effects, day-level covariates
 * (person covariates and nuisance effects) in both parts, fitted by maximum
 * likelihood. C99 + GSL only; the caller owns every buffer. */
#ifndef NEV_INTAKE_NCI_H
#define NEV_INTAKE_NCI_H

#include <stddef.h>
#include "nev_interrupt.h"

/* Recalls grouped by person: person i has nrec[i] days starting at
 * start[i]; y the amounts (zeros are non-consumption days, allowed only for
 * an episodic food); x the ntot x p day-level design (column-major, the
 * same columns in both parts); w the person weights. */
typedef struct {
  size_t m, p, ntot;
  const double *y, *x, *w;
  const size_t *start, *nrec;
} nev_nci_data;

/* What is estimated. The parameter vector theta is laid out as
 *   beta[p], log sigma_u, log sigma_w,
 *   and for an episodic food gamma[p], log sigma_v, atanh rho (unless
 *   fix_rho),
 *   then lambda (unless fix_lambda).
 * sigma_u, sigma_v are the SDs of the person effects of the amount and of
 * the logit of the probability, sigma_w the within-person SD of the
 * transformed amount, rho the correlation of the person effects. */
typedef struct {
  int episodic, fix_rho, fix_lambda;
  double rho, lambda;      /* the fixed values                        */
  size_t ngh;              /* adaptive Gauss-Hermite nodes            */
  size_t maxiter;
  double tol;              /* on the largest mean score per person    */
  const nev_interrupt *interrupt;
} nev_nci_spec;

/* Number of parameters in theta. */
size_t nev_nci_npar(const nev_nci_spec *s, size_t p);

/* Checks the data against the spec (shapes, finite values, weights). */
int nev_nci_check(const nev_nci_data *d, const nev_nci_spec *s);

/* Log-likelihood at theta (Box-Cox Jacobian included) and, if grad is not
 * NULL, its gradient (length npar). */
int nev_nci_loglik(const nev_nci_data *d, const nev_nci_spec *s,
                   const double *theta, double *ll, double *grad);

/* Maximises the log-likelihood from the start in theta (overwritten with
 * the estimate). *iter: iterations used; *converged: 1 if the score test
 * passed. Returns NEV_OK, NEV_WARN_NOCONV or an error. */
int nev_nci_fit(const nev_nci_data *d, const nev_nci_spec *s, double *theta,
                double *ll, int *iter, int *converged);

/* Hessian of the log-likelihood at theta (npar x npar, row-major =
 * column-major as it is symmetric) by central differences of the
 * gradient. */
int nev_nci_hessian(const nev_nci_data *d, const nev_nci_spec *s,
                    const double *theta, double *hess);

/* A weighted sample of the usual-intake distribution: for each of npat
 * covariate patterns, mu[i + npat * j] and eta[i + npat * j] are the linear
 * predictors of the amount and of the logit under nuisance setting j (of
 * ns, with weights mix[j] summing to 1). The person effects run over K x K
 * normal quantiles (u = sigma_u z_k, v = sigma_v (rho z_k + sqrt(1 - rho^2)
 * z_l)); the usual intake is sum_j mix_j expit(eta + v) E[g^{-1}(mu + u +
 * e)] (just the amount for a food eaten every day: episodic = 0, K points).
 * pw: the pattern weights (sum > 0). out_u, out_w: npat * K (* K). */
int nev_nci_sample(size_t npat, size_t ns, const double *mu,
                   const double *eta, const double *mix, const double *pw,
                   int episodic, double lambda, double sigma_u,
                   double sigma_w, double sigma_v, double rho, size_t K,
                   size_t ngh, double *out_u, double *out_w);

#endif
