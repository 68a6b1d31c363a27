/* Glue for the claim family: coerce and check arguments, allocate the
 * result, call the core in claim.c, map its status to an R error. */
#include "r_claim.h"
#include "claim.h"
#include "nev_status.h"

#include <limits.h>

/* Names of the results, in the order of the core's columns. */
static const char *const round_box_names[] = {"low", "high"};

/* x: double vector; decimals: double vector of the same length; log_scale:
 * TRUE/FALSE. Returns list(low, high): the rounding interval of each x. */
SEXP r_claim_round_box(SEXP x, SEXP decimals, SEXP log_scale)
{
  const double *px = nev_real_vec(x, "x", -1);
  R_xlen_t n = XLENGTH(x);
  if (n > INT_MAX)
    Rf_error("`x` is too long (%lld elements)", (long long) n);
  const double *pd = nev_real_vec(decimals, "decimals", n);
  int lg = nev_bool_scalar(log_scale, "log_scale");
  double *po = (double *) R_alloc((size_t) (2 * n + 1), sizeof(double));
  int status = nev_claim_round_box((size_t) n, px, pd, lg, po, po + n);
  nev_stop_on_error(status, "claim_round_box");
  return nev_columns_list(po, n, round_box_names, 2);
}

/* The input box (claim.h, NEV_CLAIM_EST ...) and the result columns
 * (NEV_CLAIM_SE ... NEV_CLAIM_INSIDE), by name. */
static const char *const bounds_box_names[NEV_CLAIM_NBOX] = {
  "estimate", "estimate_low", "estimate_high", "lower", "lower_low",
  "lower_high", "upper", "upper_low", "upper_high"};
static const char *const bounds_names[NEV_CLAIM_NOUT] = {
  "se", "se_low", "se_high", "z", "z_low", "z_high", "p_implied",
  "p_implied_low", "p_implied_high", "p_half_low", "p_half_high",
  "sym_a_low", "sym_a_high", "sym_b_low", "sym_b_high", "symmetric",
  "inside"};

/* box: a list with the nine double columns of bounds_box_names, each of
 * length n; level, null: double vectors of length n; log_scale:
 * TRUE/FALSE. Returns a list with the columns of bounds_names. */
SEXP r_claim_bounds(SEXP box, SEXP level, SEXP null, SEXP log_scale)
{
  if (!Rf_isNewList(box) || XLENGTH(box) != NEV_CLAIM_NBOX)
    Rf_error("`box` must be a list of %d columns", NEV_CLAIM_NBOX);
  R_xlen_t n = XLENGTH(VECTOR_ELT(box, 0));
  if (n > INT_MAX)
    Rf_error("`box` is too long (%lld rows)", (long long) n);
  double *pb = (double *) R_alloc((size_t) (NEV_CLAIM_NBOX * n + 1),
                                  sizeof(double));
  for (int j = 0; j < NEV_CLAIM_NBOX; j++) {
    const double *col = nev_list_real(box, bounds_box_names[j], n);
    for (R_xlen_t i = 0; i < n; i++) pb[i + j * n] = col[i];
  }
  const double *pl = nev_real_vec(level, "level", n);
  const double *pn = nev_real_vec(null, "null", n);
  int lg = nev_bool_scalar(log_scale, "log_scale");
  double *po = (double *) R_alloc((size_t) (NEV_CLAIM_NOUT * n + 1),
                                  sizeof(double));
  int status = nev_claim_bounds((size_t) n, pb, pl, pn, lg, po);
  nev_stop_on_error(status, "claim_bounds");
  return nev_columns_list(po, n, bounds_names, NEV_CLAIM_NOUT);
}
