/* Lazy character vectors: spans of texts that become R strings only when
 * an element is read (an ALTREP string class; glue in r_lazy.c). Used for
 * claim_scan()'s text columns, of which most uses read a few rows. */
#ifndef NEV_R_LAZY_H
#define NEV_R_LAZY_H

#include "r_util.h"

/* Registers the class; called once from R_init_nutrievidence(). */
void nev_lazy_init(DllInfo *dll);

/* A character vector of length(doc): element i is the bytes
 * [ab[i], ab[n + i]) of texts[doc[i] + 1] (0-based doc), NA when the span
 * is empty; with `collapse` every run of white space becomes one space.
 * texts (UTF-8) is kept and marked not mutable; doc and ab are kept as
 * given (INTSXP of n and 2n). */
SEXP nev_lazy_spans(SEXP texts, SEXP doc, SEXP ab, int collapse);

#endif
