/* .Call entry points of the effect family (glue in r_effect.c). Add each
 * entry point's prototype here and list it in NEV_EFFECT_CALLS as
 * NEV_CALL(name, arity); init.c registers the list. */
#ifndef NEV_R_EFFECT_H
#define NEV_R_EFFECT_H

#include "r_util.h"

SEXP r_effect_counts(SEXP ai, SEXP n1i, SEXP ci, SEXP n2i, SEXP measure,
                     SEXP add, SEXP to, SEXP drop00);
SEXP r_effect_means(SEXP m1i, SEXP sd1i, SEXP n1i, SEXP m2i, SEXP sd2i,
                    SEXP n2i, SEXP measure, SEXP correct);
SEXP r_effect_ci(SEXP estimate, SEXP lower, SEXP upper, SEXP level,
                 SEXP logscale);
SEXP r_effect_p(SEXP estimate, SEXP p, SEXP logscale);

#define NEV_EFFECT_CALLS                                                      \
  NEV_CALL(effect_counts, 8), NEV_CALL(effect_means, 8),                      \
  NEV_CALL(effect_ci, 5), NEV_CALL(effect_p, 3),

#endif
