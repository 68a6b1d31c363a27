/* .Call entry points of the dose family (glue in r_dose.c). Add each
 * entry point's prototype here and list it in NEV_DOSE_CALLS as
 * NEV_CALL(name, arity); init.c registers the list. */
#ifndef NEV_R_DOSE_H
#define NEV_R_DOSE_H

#include "r_util.h"

SEXP r_dose_covariance(SEXP y, SEXP v, SEXP cases, SEXP n, SEXP type,
                       SEXP start, SEXP len, SEXP ref, SEXP method,
                       SEXP labels);
SEXP r_dose_fit(SEXP y, SEXP v, SEXP cases, SEXP n, SEXP X, SEXP type,
                SEXP start, SEXP len, SEXP ref, SEXP covmethod,
                SEXP method, SEXP control, SEXP labels);

SEXP r_dose_fit1(SEXP y, SEXP v, SEXP cases, SEXP n, SEXP X, SEXP type,
                 SEXP start, SEXP len, SEXP ref, SEXP covmethod,
                 SEXP method, SEXP control, SEXP labels);
SEXP r_dose_curve_fit(SEXP model, SEXP x, SEXP y, SEXP wmode, SEXP w,
                      SEXP start, SEXP control);
SEXP r_dose_curve_eval(SEXP model, SEXP par, SEXP x);
SEXP r_dose_pk(SEXP times, SEXP par, SEXP n_doses);

#define NEV_DOSE_CALLS \
  NEV_CALL(dose_covariance, 10), \
  NEV_CALL(dose_fit, 13), \
  NEV_CALL(dose_fit1, 13), \
  NEV_CALL(dose_curve_fit, 7), \
  NEV_CALL(dose_curve_eval, 3), \
  NEV_CALL(dose_pk, 3),

#endif
