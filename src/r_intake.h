/* .Call entry points of the intake family (glue in r_intake.c). Add each
 * entry point's prototype here and list it in NEV_INTAKE_CALLS as
 * NEV_CALL(name, arity); init.c registers the list. */
#ifndef NEV_R_INTAKE_H
#define NEV_R_INTAKE_H

#include "r_util.h"

SEXP r_intake_simulate(SEXP p_consumer, SEXP p_eat, SEXP portion_dist,
                       SEXP portion_mean, SEXP portion_sd, SEXP content_dist,
                       SEXP content_mean, SEXP content_sd, SEXP content_min,
                       SEXP content_max, SEXP n_, SEXP days_, SEXP threads_);

#define NEV_INTAKE_CALLS \
  NEV_CALL(intake_simulate, 13),

#endif
