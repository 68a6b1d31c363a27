#include "r_util.h"
#include "nev_status.h"

#include <string.h>

const double *nev_real_vec(SEXP x, const char *arg, R_xlen_t n)
{
  if (TYPEOF(x) != REALSXP)
    Rf_error("`%s` must be a double vector (got %s)", arg,
             Rf_type2char(TYPEOF(x)));
  if (n >= 0 && XLENGTH(x) != n)
    Rf_error("`%s` must have length %lld (got %lld)", arg, (long long) n,
             (long long) XLENGTH(x));
  return REAL(x);
}

const int *nev_int_vec(SEXP x, const char *arg, R_xlen_t n)
{
  if (TYPEOF(x) != INTSXP)
    Rf_error("`%s` must be an integer vector (got %s)", arg,
             Rf_type2char(TYPEOF(x)));
  if (n >= 0 && XLENGTH(x) != n)
    Rf_error("`%s` must have length %lld (got %lld)", arg, (long long) n,
             (long long) XLENGTH(x));
  return INTEGER(x);
}

double nev_real_scalar(SEXP x, const char *arg)
{
  double v;
  if (XLENGTH(x) != 1 || (TYPEOF(x) != REALSXP && TYPEOF(x) != INTSXP))
    Rf_error("`%s` must be a single number", arg);
  v = Rf_asReal(x);
  if (!R_FINITE(v))
    Rf_error("`%s` must be finite", arg);
  return v;
}

int nev_int_scalar(SEXP x, const char *arg)
{
  double v;
  if (XLENGTH(x) != 1 || (TYPEOF(x) != REALSXP && TYPEOF(x) != INTSXP))
    Rf_error("`%s` must be a single whole number", arg);
  v = Rf_asReal(x);
  if (!R_FINITE(v) || v != (double) (int) v)
    Rf_error("`%s` must be a single whole number within integer range", arg);
  return (int) v;
}

int nev_bool_scalar(SEXP x, const char *arg)
{
  int v;
  if (XLENGTH(x) != 1 || TYPEOF(x) != LGLSXP)
    Rf_error("`%s` must be TRUE or FALSE", arg);
  v = LOGICAL(x)[0];
  if (v == NA_LOGICAL)
    Rf_error("`%s` must be TRUE or FALSE, not NA", arg);
  return v;
}

void nev_stop_on_error(int status, const char *what)
{
  if (status == NEV_OK || status >= NEV_WARN_FIRST)
    return;
  Rf_error("%s: %s", what, nev_status_message(status));
}

void nev_check_interrupt(R_xlen_t i)
{
  if ((i & 0xFFFF) == 0)
    R_CheckUserInterrupt();
}

SEXP nev_real_result(const double *x, R_xlen_t n)
{
  SEXP out = PROTECT(Rf_allocVector(REALSXP, n));
  for (R_xlen_t i = 0; i < n; i++)
    REAL(out)[i] = x[i];
  UNPROTECT(1);
  return out;
}

SEXP nev_named_list(const char *const *names, int n)
{
  SEXP out = PROTECT(Rf_allocVector(VECSXP, n));
  SEXP nm = PROTECT(Rf_allocVector(STRSXP, n));
  for (int j = 0; j < n; j++)
    SET_STRING_ELT(nm, j, Rf_mkChar(names[j]));
  Rf_setAttrib(out, R_NamesSymbol, nm);
  UNPROTECT(2);
  return out;
}

SEXP nev_columns_list(const double *m, R_xlen_t n, const char *const *names,
                      int ncol)
{
  SEXP out = PROTECT(nev_named_list(names, ncol));
  for (int j = 0; j < ncol; j++) {
    SEXP col = Rf_allocVector(REALSXP, n);
    SET_VECTOR_ELT(out, j, col);
    double *pc = REAL(col);
    for (R_xlen_t i = 0; i < n; i++)
      pc[i] = m[i + (R_xlen_t) j * n];
  }
  UNPROTECT(1);
  return out;
}

const double *nev_list_real(SEXP x, const char *name, R_xlen_t n)
{
  if (!Rf_isNewList(x))
    Rf_error("`%s`: expected a named list", name);
  SEXP nm = Rf_getAttrib(x, R_NamesSymbol);
  for (R_xlen_t j = 0; j < XLENGTH(x) && !Rf_isNull(nm); j++)
    if (strcmp(CHAR(STRING_ELT(nm, j)), name) == 0)
      return nev_real_vec(VECTOR_ELT(x, j), name, n);
  Rf_error("the list has no element `%s`", name);
  return NULL;
}
