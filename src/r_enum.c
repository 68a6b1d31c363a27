/* The enum codes of the C core, by name. R takes every code from here
 * (R/utils.R, nev_enum()) and matches strings to these names, so no enum
 * value is typed a second time in R. A new enum gets a table and a line in
 * `groups`. */
#include "r_enum.h"
#include "pool.h"
#include "effect.h"
#include "dose.h"
#include "dose_curve.h"
#include "intake.h"

typedef struct {
  const char *name;
  int value;
} nev_enum_item;

typedef struct {
  const char *group;
  const nev_enum_item *items;
  int n;
} nev_enum_group;

static const nev_enum_item pool_method[] = {
  {"FE", NEV_POOL_FE}, {"DL", NEV_POOL_DL}, {"REML", NEV_POOL_REML},
  {"ML", NEV_POOL_ML}, {"PM", NEV_POOL_PM}, {"EB", NEV_POOL_EB},
  {"HE", NEV_POOL_HE}, {"HS", NEV_POOL_HS}, {"SJ", NEV_POOL_SJ},
  {"DL2", NEV_POOL_DL2}};
static const nev_enum_item pool_test[] = {
  {"z", NEV_POOL_TEST_Z}, {"hksj", NEV_POOL_TEST_HKSJ}};
static const nev_enum_item pool_counts_method[] = {
  {"MH", NEV_POOL_MH}, {"Peto", NEV_POOL_PETO}};
static const nev_enum_item counts_measure[] = {
  {"RR", NEV_EFFECT_RR}, {"OR", NEV_EFFECT_OR}, {"RD", NEV_EFFECT_RD}};
static const nev_enum_item counts_add[] = {
  {"only0", NEV_ADD_ONLY0}, {"all", NEV_ADD_ALL},
  {"if0all", NEV_ADD_IF0ALL}, {"none", NEV_ADD_NONE}};
static const nev_enum_item means_measure[] = {
  {"MD", NEV_EFFECT_MD}, {"SMD", NEV_EFFECT_SMD}, {"ROM", NEV_EFFECT_ROM}};
static const nev_enum_item dose_type[] = {
  {"cc", NEV_DOSE_CC}, {"ci_risk", NEV_DOSE_CI_RISK},
  {"ci_odds", NEV_DOSE_CI_ODDS}, {"ir", NEV_DOSE_IR}};
static const nev_enum_item dose_covariance[] = {
  {"gl", NEV_DOSE_GL}, {"hamling", NEV_DOSE_HAMLING},
  {"independent", NEV_DOSE_INDEP}};
static const nev_enum_item dose_method[] = {
  {"FE", NEV_DOSE_FE}, {"ML", NEV_DOSE_ML}, {"REML", NEV_DOSE_REML}};
static const nev_enum_item curve_shape[] = {
  {"emax", NEV_CURVE_EMAX}, {"sigmoid_emax", NEV_CURVE_SIGEMAX},
  {"loglogistic4", NEV_CURVE_LL4}, {"exponential", NEV_CURVE_EXP},
  {"linear", NEV_CURVE_LINEAR}};
static const nev_enum_item intake_dist[] = {
  {"fixed", NEV_DIST_FIXED}, {"lognormal", NEV_DIST_LOGNORMAL},
  {"gamma", NEV_DIST_GAMMA}, {"uniform", NEV_DIST_UNIFORM}};

#define NEV_GROUP(g) {#g, g, (int) (sizeof(g) / sizeof(g[0]))}

static const nev_enum_group groups[] = {
  NEV_GROUP(pool_method), NEV_GROUP(pool_test),
  NEV_GROUP(pool_counts_method), NEV_GROUP(counts_measure),
  NEV_GROUP(counts_add), NEV_GROUP(means_measure), NEV_GROUP(dose_type),
  NEV_GROUP(dose_covariance), NEV_GROUP(dose_method),
  NEV_GROUP(curve_shape), NEV_GROUP(intake_dist)};

/* A named list (one element per group) of named integer vectors. */
SEXP r_nev_enums(void)
{
  int ng = (int) (sizeof(groups) / sizeof(groups[0]));
  SEXP out = PROTECT(Rf_allocVector(VECSXP, ng));
  SEXP gnames = PROTECT(Rf_allocVector(STRSXP, ng));
  for (int g = 0; g < ng; g++) {
    SEXP codes = PROTECT(Rf_allocVector(INTSXP, groups[g].n));
    SEXP nm = PROTECT(Rf_allocVector(STRSXP, groups[g].n));
    for (int j = 0; j < groups[g].n; j++) {
      INTEGER(codes)[j] = groups[g].items[j].value;
      SET_STRING_ELT(nm, j, Rf_mkChar(groups[g].items[j].name));
    }
    Rf_setAttrib(codes, R_NamesSymbol, nm);
    SET_VECTOR_ELT(out, g, codes);
    SET_STRING_ELT(gnames, g, Rf_mkChar(groups[g].group));
    UNPROTECT(2);
  }
  Rf_setAttrib(out, R_NamesSymbol, gnames);
  UNPROTECT(2);
  return out;
}
