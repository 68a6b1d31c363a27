/* .Call entry point returning the enum codes of the C core by name (glue
 * in r_enum.c); init.c registers NEV_ENUM_CALLS. */
#ifndef NEV_R_ENUM_H
#define NEV_R_ENUM_H

#include "r_util.h"

SEXP r_nev_enums(void);

#define NEV_ENUM_CALLS \
  NEV_CALL(nev_enums, 0),

#endif
