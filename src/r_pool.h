/* .Call entry points of the pool family (glue in r_pool.c). Add each
 * entry point's prototype here and list it in NEV_POOL_CALLS as
 * NEV_CALL(name, arity); init.c registers the list. */
#ifndef NEV_R_POOL_H
#define NEV_R_POOL_H

#include "r_util.h"

#define NEV_POOL_CALLS

#endif
