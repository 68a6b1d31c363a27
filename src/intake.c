/* Food-based Monte Carlo simulation of intake distributions. */
#include "intake.h"
#include "nev_status.h"
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static int prob_ok(double p) { return isfinite(p) && p >= 0.0 && p <= 1.0; }
static int nonneg_ok(double v) { return isfinite(v) && v >= 0.0; }

int nev_diet_check(const nev_diet *diet)
{
  size_t j;
  if (!diet || diet->nfood == 0) return NEV_ERR_EMPTY;
  for (j = 0; j < diet->nfood; j++) {
    int pd = diet->portion_dist[j], cd = diet->content_dist[j];
    if (!prob_ok(diet->p_consumer[j]) || !prob_ok(diet->p_eat[j]))
      return NEV_ERR_DOMAIN;
    if (pd != NEV_DIST_FIXED && pd != NEV_DIST_LOGNORMAL &&
        pd != NEV_DIST_GAMMA) return NEV_ERR_ARG;
    if (cd != NEV_DIST_FIXED && cd != NEV_DIST_LOGNORMAL &&
        cd != NEV_DIST_UNIFORM) return NEV_ERR_ARG;
    if (!nonneg_ok(diet->portion_mean[j]) || !nonneg_ok(diet->portion_sd[j]))
      return NEV_ERR_DOMAIN;
    if (pd != NEV_DIST_FIXED && diet->portion_sd[j] > 0 &&
        !(diet->portion_mean[j] > 0)) return NEV_ERR_DOMAIN;
    if (cd == NEV_DIST_UNIFORM) {
      if (!nonneg_ok(diet->content_min[j]) || !nonneg_ok(diet->content_max[j]) ||
          diet->content_min[j] > diet->content_max[j]) return NEV_ERR_DOMAIN;
    } else {
      if (!nonneg_ok(diet->content_mean[j]) || !nonneg_ok(diet->content_sd[j]))
        return NEV_ERR_DOMAIN;
      if (cd == NEV_DIST_LOGNORMAL && diet->content_sd[j] > 0 &&
          !(diet->content_mean[j] > 0)) return NEV_ERR_DOMAIN;
    }
  }
  return NEV_OK;
}

/* Per-food sampling constants derived once from mean and SD. */
typedef struct {
  int pd, cd, both_ln;    /* both_ln: portion and content lognormal      */
  double pc, pe;          /* consumer and per-day probabilities          */
  unsigned long tc, te;   /* the same as thresholds on 32-bit draws      */
  double mu_ln, sd_ln;    /* log-scale parameters of portion x content   */
  double a1, b1;          /* portion: lognormal (mu, sigma), gamma (k, theta),
                             fixed (value, -) */
  double a2, b2;          /* content: lognormal (mu, sigma), uniform (min,
                             width), fixed (value, -) */
} food_par;

static void food_setup(const nev_diet *d, size_t j, food_par *f)
{
  double m = d->portion_mean[j], s = d->portion_sd[j];
  f->pc = d->p_consumer[j];
  f->pe = d->p_eat[j];
  f->pd = d->portion_dist[j];
  if (s == 0.0 || m == 0.0) f->pd = NEV_DIST_FIXED;
  if (f->pd == NEV_DIST_LOGNORMAL) {
    double s2 = log1p((s / m) * (s / m));
    f->a1 = log(m) - 0.5 * s2; f->b1 = sqrt(s2);
  } else if (f->pd == NEV_DIST_GAMMA) {
    f->a1 = (m / s) * (m / s); f->b1 = s * s / m;
  } else {
    f->a1 = m; f->b1 = 0.0;
  }
  f->cd = d->content_dist[j];
  if (f->cd == NEV_DIST_UNIFORM) {
    f->a2 = d->content_min[j];
    f->b2 = d->content_max[j] - d->content_min[j];
    if (f->b2 == 0.0) { f->cd = NEV_DIST_FIXED; }
  } else {
    m = d->content_mean[j]; s = d->content_sd[j];
    if (s == 0.0 || m == 0.0) f->cd = NEV_DIST_FIXED;
    if (f->cd == NEV_DIST_LOGNORMAL) {
      double s2 = log1p((s / m) * (s / m));
      f->a2 = log(m) - 0.5 * s2; f->b2 = sqrt(s2);
    } else {
      f->a2 = m; f->b2 = 0.0;
    }
  }
  /* The product of independent lognormals is lognormal: one draw. */
  f->both_ln = f->pd == NEV_DIST_LOGNORMAL && f->cd == NEV_DIST_LOGNORMAL;
  f->mu_ln = f->a1 + f->a2;
  f->sd_ln = sqrt(f->b1 * f->b1 + f->b2 * f->b2);
  /* Bernoulli draws compare a 32-bit integer with p * 2^32. */
  f->tc = f->pc < 1.0 ? (unsigned long) ldexp(f->pc, 32) : 0UL;
  f->te = f->pe < 1.0 ? (unsigned long) ldexp(f->pe, 32) : 0UL;
}

static inline double draw_portion(gsl_rng *r, const food_par *f)
{
  switch (f->pd) {
  case NEV_DIST_LOGNORMAL:
    return exp(f->a1 + f->b1 * gsl_ran_gaussian_ziggurat(r, 1.0));
  case NEV_DIST_GAMMA:
    return gsl_ran_gamma(r, f->a1, f->b1);
  default:
    return f->a1;
  }
}

static inline double draw_content(gsl_rng *r, const food_par *f)
{
  switch (f->cd) {
  case NEV_DIST_LOGNORMAL:
    return exp(f->a2 + f->b2 * gsl_ran_gaussian_ziggurat(r, 1.0));
  case NEV_DIST_UNIFORM:
    return f->a2 + f->b2 * gsl_rng_uniform(r);
  default:
    return f->a2;
  }
}

/* One chunk of persons with one generator. */
static void sim_chunk(const food_par *fp, size_t nfood, size_t n0, size_t n1,
                      int days, gsl_rng *r, double *intake, double *contrib)
{
  size_t i, j;
  int d;
  double inv_days = 1.0 / days;
  for (j = 0; j < nfood; j++) contrib[j] = 0.0;
  for (i = n0; i < n1; i++) intake[i] = 0.0;
  for (j = 0; j < nfood; j++) {
    const food_par *f = fp + j;
    double csum = 0.0;
    if (f->pc == 0.0 || f->pe == 0.0) { contrib[j] = 0.0; continue; }
    for (i = n0; i < n1; i++) {
      double s = 0.0;
      if (f->pc < 1.0 && gsl_rng_get(r) >= f->tc) continue;
      for (d = 0; d < days; d++) {
        if (f->pe < 1.0 && gsl_rng_get(r) >= f->te) continue;
        if (f->both_ln)
          s += exp(f->mu_ln + f->sd_ln * gsl_ran_gaussian_ziggurat(r, 1.0));
        else
          s += draw_portion(r, f) * draw_content(r, f);
      }
      s *= inv_days;
      intake[i] += s;
      csum += s;
    }
    contrib[j] = csum;
  }
}

int nev_intake_sim(const nev_diet *diet, size_t n, size_t chunk,
                   size_t nchunk, int days, const unsigned long *seeds,
                   int threads, double *out_intake, double *out_contrib)
{
  size_t j, nfood;
  food_par *fp;
  int st, failed = 0;
  long c;
  if (!diet || !seeds || !out_intake || !out_contrib) return NEV_ERR_ARG;
  if (n == 0 || chunk == 0 || nchunk == 0 || days < 1 || threads < 1 ||
      threads > NEV_INTAKE_MAX_THREADS)
    return NEV_ERR_ARG;
  if ((nchunk - 1) * chunk >= n) return NEV_ERR_ARG;
  st = nev_diet_check(diet);
  if (st != NEV_OK) return st;
  nfood = diet->nfood;
  fp = malloc(nfood * sizeof(food_par));
  if (!fp) return NEV_ERR_NOMEM;
  for (j = 0; j < nfood; j++) food_setup(diet, j, fp + j);

#ifdef _OPENMP
#pragma omp parallel num_threads(threads) if (threads > 1) reduction(|:failed)
#endif
  {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (!r) {
      failed = 1;
    }
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
    for (c = 0; c < (long) nchunk; c++) {
      size_t n0 = (size_t) c * chunk, n1 = n0 + chunk;
      if (!r) continue;
      if (n1 > n) n1 = n;
      gsl_rng_set(r, seeds[c]);
      sim_chunk(fp, nfood, n0, n1, days, r, out_intake,
                out_contrib + (size_t) c * nfood);
    }
    if (r) gsl_rng_free(r);
  }
  free(fp);
  return failed ? NEV_ERR_NOMEM : NEV_OK;
}
