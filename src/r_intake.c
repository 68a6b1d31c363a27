/* Glue for the intake family: .Call entry points. */
#include "r_intake.h"
#include "intake.h"
#include "nev_status.h"
#include <math.h>

/* Persons per generator chunk and chunks per interrupt check. */
#define NEV_SIM_CHUNK 16384
#define NEV_SIM_BATCH 8

static unsigned long seed_from_r(void)
{
  /* 32 random bits from R's generator (two 16-bit halves). */
  unsigned long hi = (unsigned long) (unif_rand() * 65536.0) & 0xFFFFUL;
  unsigned long lo = (unsigned long) (unif_rand() * 65536.0) & 0xFFFFUL;
  unsigned long s = (hi << 16) | lo;
  return s ? s : 1UL;
}

SEXP r_intake_simulate(SEXP p_consumer, SEXP p_eat, SEXP portion_dist,
                       SEXP portion_mean, SEXP portion_sd, SEXP content_dist,
                       SEXP content_mean, SEXP content_sd, SEXP content_min,
                       SEXP content_max, SEXP n_, SEXP days_, SEXP threads_)
{
  nev_diet diet;
  R_xlen_t nfood = XLENGTH(p_consumer), n, nchunk, c, j;
  int days, threads, nprot = 0, st;
  unsigned long *seeds;
  double *contrib, *tot;
  SEXP res, intake, ctot, nms;
  double nd;

  diet.nfood = (size_t) nfood;
  diet.p_consumer = nev_real_vec(p_consumer, "p_consumer", -1);
  diet.p_eat = nev_real_vec(p_eat, "p_eat", nfood);
  diet.portion_dist = nev_int_vec(portion_dist, "portion_dist", nfood);
  diet.portion_mean = nev_real_vec(portion_mean, "portion_mean", nfood);
  diet.portion_sd = nev_real_vec(portion_sd, "portion_sd", nfood);
  diet.content_dist = nev_int_vec(content_dist, "content_dist", nfood);
  diet.content_mean = nev_real_vec(content_mean, "content_mean", nfood);
  diet.content_sd = nev_real_vec(content_sd, "content_sd", nfood);
  diet.content_min = nev_real_vec(content_min, "content_min", nfood);
  diet.content_max = nev_real_vec(content_max, "content_max", nfood);
  nd = nev_real_scalar(n_, "n");
  if (nd < 1 || nd != floor(nd) || nd > 4.5e15)
    Rf_error("`n` must be a whole number >= 1 (got %g)", nd);
  n = (R_xlen_t) nd;
  days = nev_int_scalar(days_, "days");
  threads = nev_int_scalar(threads_, "threads");
  if (days < 1) Rf_error("`days` must be >= 1 (got %d)", days);
  if (threads < 1) Rf_error("`threads` must be >= 1 (got %d)", threads);
  st = nev_diet_check(&diet);
  nev_stop_on_error(st, "intake_simulate: invalid diet");

  nchunk = (n + NEV_SIM_CHUNK - 1) / NEV_SIM_CHUNK;
  seeds = (unsigned long *) R_alloc((size_t) nchunk, sizeof(unsigned long));
  GetRNGstate();
  for (c = 0; c < nchunk; c++) seeds[c] = seed_from_r();
  PutRNGstate();
  contrib = (double *) R_alloc((size_t) (nchunk * nfood), sizeof(double));

  PROTECT(intake = Rf_allocVector(REALSXP, n)); nprot++;
  for (c = 0; c < nchunk; c += NEV_SIM_BATCH * (R_xlen_t) threads) {
    R_xlen_t nb = NEV_SIM_BATCH * (R_xlen_t) threads, n0 = c * NEV_SIM_CHUNK,
      np;
    if (c + nb > nchunk) nb = nchunk - c;
    np = (c + nb) * NEV_SIM_CHUNK;
    if (np > n) np = n;
    np -= n0;
    st = nev_intake_sim(&diet, (size_t) np, NEV_SIM_CHUNK, (size_t) nb, days,
                        seeds + c, threads, REAL(intake) + n0,
                        contrib + c * nfood);
    nev_stop_on_error(st, "intake_simulate");
    R_CheckUserInterrupt();
  }
  PROTECT(ctot = Rf_allocVector(REALSXP, nfood)); nprot++;
  tot = REAL(ctot);
  for (j = 0; j < nfood; j++) {
    double s = 0.0;
    for (c = 0; c < nchunk; c++) s += contrib[c * nfood + j];
    tot[j] = s / (double) n;
  }
  PROTECT(res = Rf_allocVector(VECSXP, 2)); nprot++;
  SET_VECTOR_ELT(res, 0, intake);
  SET_VECTOR_ELT(res, 1, ctot);
  PROTECT(nms = Rf_allocVector(STRSXP, 2)); nprot++;
  SET_STRING_ELT(nms, 0, Rf_mkChar("intake"));
  SET_STRING_ELT(nms, 1, Rf_mkChar("contribution"));
  Rf_setAttrib(res, R_NamesSymbol, nms);
  UNPROTECT(nprot);
  return res;
}
