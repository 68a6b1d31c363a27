/* .Call entry points of the claim family (glue in r_claim.c). Add each
 * entry point's prototype here and list it in NEV_CLAIM_CALLS as
 * NEV_CALL(name, arity); init.c registers the list. */
#ifndef NEV_R_CLAIM_H
#define NEV_R_CLAIM_H

#include "r_util.h"

#define NEV_CLAIM_CALLS

#endif
