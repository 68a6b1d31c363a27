/* One-compartment pharmacokinetics under repeated dosing, in closed form
 * (superposition of single-dose curves). C99 only. */
#ifndef NEV_DOSE_PK_H
#define NEV_DOSE_PK_H

#include <stddef.h>

/* Concentrations at times t[nt] after n_doses doses of size `dose` given
 * at times 0, tau, 2 tau, ...; elimination rate k (1/time), first-order
 * absorption rate ka (ka <= 0: intravenous bolus), bioavailability F and
 * volume V. A dose given exactly at t counts. NEV_ERR_ARG/NEV_ERR_DOMAIN
 * for invalid arguments (non-positive k, tau, F, V, negative dose,
 * n_doses < 1, non-finite t). */
int nev_pk_conc(size_t nt, const double *restrict t, double dose, double tau,
                int n_doses, double k, double ka, double F, double V,
                double *restrict conc);

#endif
