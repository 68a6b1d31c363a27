/* .Call entry points of the claim family (glue in r_claim.c). Add each
 * entry point's prototype here and list it in NEV_CLAIM_CALLS as
 * NEV_CALL(name, arity); init.c registers the list. */
#ifndef NEV_R_CLAIM_H
#define NEV_R_CLAIM_H

#include "r_util.h"

SEXP r_claim_round_box(SEXP x, SEXP decimals, SEXP log_scale);
SEXP r_claim_bounds(SEXP box, SEXP level, SEXP null, SEXP log_scale);

#define NEV_CLAIM_CALLS \
  NEV_CALL(claim_round_box, 3), \
  NEV_CALL(claim_bounds, 4),

#endif
