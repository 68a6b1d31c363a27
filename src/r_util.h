/* Helpers shared by the glue files r_<family>.c: argument coercion and
 * checking, and mapping of core status codes to R errors. */
#ifndef NEV_R_UTIL_H
#define NEV_R_UTIL_H

#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>

/* Registration entry for a glue function r_<name> under the name <name>;
 * R calls it as .Call(C_<name>, ...). */
#define NEV_CALL(name, n) {#name, (DL_FUNC) &r_##name, n}

/* A double vector of length n (n < 0: any length); errors name `arg`. */
const double *nev_real_vec(SEXP x, const char *arg, R_xlen_t n);
/* An integer vector of length n (n < 0: any length). */
const int *nev_int_vec(SEXP x, const char *arg, R_xlen_t n);
/* A finite double scalar. */
double nev_real_scalar(SEXP x, const char *arg);
/* A non-NA integer scalar (integer or whole double accepted). */
int nev_int_scalar(SEXP x, const char *arg);
/* A TRUE/FALSE scalar. */
int nev_bool_scalar(SEXP x, const char *arg);
/* Raise an R error for an error status from `what`; returns for NEV_OK and
 * warning codes. */
void nev_stop_on_error(int status, const char *what);
/* A new double vector holding the n values of x (for small fixed results). */
SEXP nev_real_result(const double *x, R_xlen_t n);
/* A list of n elements named by `names` (elements NULL until set);
 * unprotected. The results of the glue cross to R by these names. */
SEXP nev_named_list(const char *const *names, int n);
/* The columns of the column-major n x ncol matrix `m` as a named list of
 * double vectors; unprotected. */
SEXP nev_columns_list(const double *m, R_xlen_t n, const char *const *names,
                      int ncol);
/* Element `name` of the list x: a double vector of length n (n < 0: any);
 * an error if it is missing. */
const double *nev_list_real(SEXP x, const char *name, R_xlen_t n);
/* Throttled interrupt check for long loops in the glue. */
void nev_check_interrupt(R_xlen_t i);

#endif
