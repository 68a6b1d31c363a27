/* .Call entry points of the intake family (glue in r_intake.c). Add each
 * entry point's prototype here and list it in NEV_INTAKE_CALLS as
 * NEV_CALL(name, arity); init.c registers the list. */
#ifndef NEV_R_INTAKE_H
#define NEV_R_INTAKE_H

#include "r_util.h"

#define NEV_INTAKE_CALLS

#endif
