/* Glue for the claim family: coerce and check arguments, allocate the
 * result, call the core in claim.c, map its status to an R error. */
#include "r_claim.h"
#include "claim.h"
#include "nev_status.h"

#include <limits.h>

/* x: double vector; decimals: double vector of the same length; log_scale:
 * TRUE/FALSE. Returns an n x 2 matrix (low, high). */
SEXP r_claim_round_box(SEXP x, SEXP decimals, SEXP log_scale)
{
  int nprotect = 0;
  const double *px = nev_real_vec(x, "x", -1);
  R_xlen_t n = XLENGTH(x);
  if (n > INT_MAX)
    Rf_error("`x` is too long (%lld elements)", (long long) n);
  const double *pd = nev_real_vec(decimals, "decimals", n);
  int lg = nev_bool_scalar(log_scale, "log_scale");
  SEXP out = PROTECT(Rf_allocMatrix(REALSXP, (int) n, 2));
  nprotect++;
  double *po = REAL(out);
  int status = nev_claim_round_box((size_t) n, px, pd, lg, po, po + n);
  if (status != NEV_OK) {
    UNPROTECT(nprotect);
    nev_stop_on_error(status, "claim_round_box");
  }
  UNPROTECT(nprotect);
  return out;
}

/* box: n x 9 double matrix (see claim.h); level, null: double vectors of
 * length n; log_scale: TRUE/FALSE. Returns an n x NEV_CLAIM_NOUT matrix. */
SEXP r_claim_bounds(SEXP box, SEXP level, SEXP null, SEXP log_scale)
{
  int nprotect = 0;
  if (!Rf_isMatrix(box) || Rf_ncols(box) != NEV_CLAIM_NBOX)
    Rf_error("`box` must be a matrix with %d columns", NEV_CLAIM_NBOX);
  const double *pb = nev_real_vec(box, "box", -1);
  R_xlen_t n = Rf_nrows(box);
  const double *pl = nev_real_vec(level, "level", n);
  const double *pn = nev_real_vec(null, "null", n);
  int lg = nev_bool_scalar(log_scale, "log_scale");
  SEXP out = PROTECT(Rf_allocMatrix(REALSXP, (int) n, NEV_CLAIM_NOUT));
  nprotect++;
  int status = nev_claim_bounds((size_t) n, pb, pl, pn, lg, REAL(out));
  if (status != NEV_OK) {
    UNPROTECT(nprotect);
    nev_stop_on_error(status, "claim_bounds");
  }
  UNPROTECT(nprotect);
  return out;
}
