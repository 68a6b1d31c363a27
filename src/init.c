/* Registration of every .Call entry point, one table for the package.
 * Each family lists its entries in r_<family>.h (NEV_<FAMILY>_CALLS). */
#include "r_util.h"
#include "r_effect.h"
#include "r_claim.h"
#include "r_pool.h"
#include "r_dose.h"
#include "r_intake.h"
#include "r_diag.h"
#include "r_scan.h"
#include "r_lazy.h"
#include "r_enum.h"
#include "r_multilevel.h"
#include "r_resample.h"
#include <R_ext/Visibility.h>
#include <gsl/gsl_errno.h>

static const R_CallMethodDef call_methods[] = {
  NEV_EFFECT_CALLS
  NEV_CLAIM_CALLS
  NEV_POOL_CALLS
  NEV_DOSE_CALLS
  NEV_INTAKE_CALLS
  NEV_DIAG_CALLS
  NEV_SCAN_CALLS
  NEV_ENUM_CALLS
  NEV_MULTILEVEL_CALLS
  NEV_RESAMPLE_CALLS
  {NULL, NULL, 0}
};

void attribute_visible R_init_nutrievidence(DllInfo *dll)
{
  /* GSL must never abort the R session: every GSL status is checked. */
  gsl_set_error_handler_off();
  nev_threads_init();
  nev_lazy_init(dll);
  R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
  R_forceSymbols(dll, TRUE);
}
