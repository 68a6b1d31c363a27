/* Intake family core: food-based Monte Carlo simulation of intake
 * distributions (intake.c) and usual intake from repeated 24-h recalls
 * (intake_usual.c). C99 + GSL only; the caller owns every buffer. */
#ifndef NEV_INTAKE_H
#define NEV_INTAKE_H

#include <stddef.h>
#include "nev_interrupt.h"

/* Distribution codes shared with R/intake.R. */
enum { NEV_DIST_FIXED = 0, NEV_DIST_LOGNORMAL = 1, NEV_DIST_GAMMA = 2,
       NEV_DIST_UNIFORM = 3 };

/* One diet: arrays of length nfood.
 * p_consumer: probability that a person ever eats the food (drawn once per
 *   person); p_eat: probability that a consumer eats it on a given day
 *   (so the population probability per day is p_consumer * p_eat).
 * portion_*: code (fixed, lognormal, gamma), arithmetic mean and SD (g).
 * content_*: code (fixed, lognormal, uniform), mean and SD, or min and max
 *   for uniform (ug per g). */
typedef struct {
  size_t nfood;
  const double *p_consumer, *p_eat;
  const int *portion_dist;
  const double *portion_mean, *portion_sd;
  const int *content_dist;
  const double *content_mean, *content_sd, *content_min, *content_max;
} nev_diet;

/* Checks a diet's parameters (probabilities in [0, 1], finite non-negative
 * means and SDs, known codes, min <= max). */
int nev_diet_check(const nev_diet *diet);

/* Simulates nchunk consecutive chunks of persons. Chunk c covers persons
 * [c * chunk, min((c + 1) * chunk, n)) of out_intake (which points to the
 * first person of the first chunk) and uses a generator seeded with
 * seeds[c], so the result does not depend on the number of threads.
 * Each person has `days` days; out_intake receives the person's mean daily
 * intake; out_contrib (nchunk * nfood, chunk-major) the sum over the chunk's
 * persons of each food's mean daily intake. */
/* The largest thread count nev_intake_sim accepts (an OpenMP team of
 * INT_MAX threads aborts the process). */
#define NEV_INTAKE_MAX_THREADS 1024

int nev_intake_sim(const nev_diet *diet, size_t n, size_t chunk,
                   size_t nchunk, int days, const unsigned long *seeds,
                   int threads, double *out_intake, double *out_contrib);

/* ---- usual intake (intake_usual.c) ---- */

/* Per-person data for the usual-intake model: m persons, recall amounts
 * y (length ntot) grouped by person: person i has nrec[i] recalls starting
 * at start[i]; x is the m x p person-level design (column-major, first
 * column the intercept); w the person weights (sum > 0). */
typedef struct {
  size_t m, p, ntot;
  const double *y;
  const size_t *start, *nrec;
  const double *x;
  const double *w;
} nev_recalls;

/* Fit of the amount part (Box-Cox + one-way random effects) and, for
 * episodic foods, of the probability part (logistic-normal). */
typedef struct {
  double lambda, sigma2_b, sigma2_w, loglik;
  double *beta;          /* length p, caller-owned */
  int boundary;
  /* probability part */
  int episodic;
  double *gamma;         /* length p, caller-owned (episodic only) */
  double sigma2_v, loglik_p;
  int converged_p;
} nev_usual_fit;

/* Fits the model. lambda_fixed: NaN to estimate lambda by ML over
 * [lambda_lo, lambda_hi], else the fixed value. intr (may be NULL) is
 * polled every few milliseconds; when it reports an interrupt the fit frees
 * its memory and returns NEV_ERR_INTERRUPT. */
int nev_usual_estimate(const nev_recalls *d, int episodic, double lambda_fixed,
                       double lambda_lo, double lambda_hi, size_t ngh,
                       nev_usual_fit *fit, const nev_interrupt *intr);

/* Usual intake of a person whose transformed usual intake is t: the mean of
 * the back-transformed day-level intake, integrated over the within-person
 * error N(0, sigma2_w) by Gauss-Hermite quadrature with ngh nodes. */
int nev_usual_backtransform(const double *t, size_t nt, double lambda,
                            double sigma2_w, size_t ngh, double *out);

/* A weighted representative sample of the usual-intake distribution: for
 * each covariate pattern (one if p == 1, else each of the m persons) K
 * points at the normal quantiles (k - 0.5) / K of the person effect (K*K
 * points on the product grid of the two person effects for an episodic
 * food, whose effects are taken as independent); out_u and out_w must hold
 * npat*K (or npat*K*K) values. The weights sum to 1. */
int nev_usual_sample(const nev_recalls *d, const nev_usual_fit *fit,
                     size_t K, size_t ngh, double *out_u, double *out_w);

/* Weighted quantiles of x with weights w (both length n): linear
 * interpolation between the midpoints of the points' weights on the
 * cumulative scale (for equal weights 1/n: (i - 0.5) / n, Hazen). */
int nev_wquantile(const double *x, const double *w, size_t n,
                  const double *probs, size_t np, double *out);

#endif
