/* .Call entry points of the effect family (glue in r_effect.c). Add each
 * entry point's prototype here and list it in NEV_EFFECT_CALLS as
 * NEV_CALL(name, arity); init.c registers the list. */
#ifndef NEV_R_EFFECT_H
#define NEV_R_EFFECT_H

#include "r_util.h"

#define NEV_EFFECT_CALLS

#endif
