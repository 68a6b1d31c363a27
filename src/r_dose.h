/* .Call entry points of the dose family (glue in r_dose.c). Add each
 * entry point's prototype here and list it in NEV_DOSE_CALLS as
 * NEV_CALL(name, arity); init.c registers the list. */
#ifndef NEV_R_DOSE_H
#define NEV_R_DOSE_H

#include "r_util.h"

#define NEV_DOSE_CALLS

#endif
