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

SEXP r_intake_usual_fit(SEXP y, SEXP start, SEXP nrec, SEXP x, SEXP w,
                        SEXP episodic, SEXP lambda_fixed, SEXP lambda_range,
                        SEXP ngh_);
SEXP r_intake_usual_sample(SEXP lambda, SEXP beta, SEXP s2b, SEXP s2w,
                           SEXP episodic, SEXP gamma, SEXP s2v, SEXP x,
                           SEXP w, SEXP K_, SEXP ngh_);
SEXP r_intake_usual_boot(SEXP y, SEXP start, SEXP nrec, SEXP x, SEXP w,
                         SEXP episodic, SEXP lambda_fixed, SEXP lambda_range,
                         SEXP ngh_, SEXP K_, SEXP probs, SEXP B_);
SEXP r_intake_wquantile(SEXP x, SEXP w, SEXP probs);
SEXP r_intake_backtransform(SEXP t, SEXP lambda, SEXP s2w, SEXP ngh_);
SEXP r_intake_nci_loglik(SEXP y, SEXP start, SEXP nrec, SEXP x, SEXP w,
                         SEXP episodic, SEXP rho, SEXP lambda, SEXP theta,
                         SEXP ngh);
SEXP r_intake_nci_fit(SEXP y, SEXP start, SEXP nrec, SEXP x, SEXP w,
                      SEXP episodic, SEXP rho, SEXP lambda, SEXP theta,
                      SEXP ngh, SEXP maxiter, SEXP tol, SEXP hessian);
SEXP r_intake_nci_sample(SEXP mu, SEXP eta, SEXP mix, SEXP pw, SEXP episodic,
                         SEXP lambda, SEXP sigma_u, SEXP sigma_w,
                         SEXP sigma_v, SEXP rho, SEXP K_, SEXP ngh_);

#define NEV_INTAKE_CALLS \
  NEV_CALL(intake_simulate, 13), \
  NEV_CALL(intake_usual_fit, 9), \
  NEV_CALL(intake_usual_sample, 11), \
  NEV_CALL(intake_usual_boot, 12), \
  NEV_CALL(intake_wquantile, 3), \
  NEV_CALL(intake_backtransform, 4), \
  NEV_CALL(intake_nci_loglik, 10), \
  NEV_CALL(intake_nci_fit, 13), \
  NEV_CALL(intake_nci_sample, 12),

#endif
