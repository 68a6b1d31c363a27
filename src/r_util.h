/* Helpers shared by the glue files r_<family>.c: argument coercion and
 * checking, and mapping of core status codes to R errors. */
#ifndef NEV_R_UTIL_H
#define NEV_R_UTIL_H

#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>
#include <setjmp.h>
#include "nev_interrupt.h"

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
/* A new double vector holding the n values of x named by `names` (for
 * small fixed results; R reads them by these names). */
SEXP nev_real_result(const double *x, const char *const *names,
                     R_xlen_t n);
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
/* The interrupt callback the glue gives a core routine (nev_interrupt.h).
 * Usage:
 *   nev_r_interrupt ri;
 *   PROTECT(nev_interrupt_setup(&ri)); nprot++;
 *   st = core(..., &ri.core);             (core polls it between pieces)
 *   if (st == NEV_ERR_INTERRUPT) { free(...); nev_interrupt_resume(&ri); }
 * A poll runs R_CheckUserInterrupt(), so Ctrl-C and setTimeLimit() are
 * seen; the jump R starts there is held until nev_interrupt_resume()
 * continues it, so nothing the core or the glue allocated leaks. Poll only
 * from the main thread, outside parallel regions. Calling
 * ri.core.interrupted(ri.core.data) directly polls from glue loops. */
typedef struct {
  nev_interrupt core;
  SEXP cont;
  jmp_buf jb;
  int pending;
} nev_r_interrupt;
/* Sets up *ri; returns an object the caller must PROTECT. */
SEXP nev_interrupt_setup(nev_r_interrupt *ri);
/* Continues the interrupt or error that a poll held (does not return). */
void NORET nev_interrupt_resume(nev_r_interrupt *ri);

/* The largest `threads` any function accepts. */
#define NEV_MAX_THREADS 1024
/* Registers the fork handler (from R_init_nutrievidence). */
void nev_threads_init(void);
/* The number of threads to use for `items` independent pieces of work:
 * `threads` (checked: a whole number in 1..NEV_MAX_THREADS), at most
 * `items`, at most the number of processors unless
 * options(nutrievidence.oversubscribe = TRUE), 1 without OpenMP and in a
 * forked child. An R error naming `threads` if the system cannot start
 * that many threads (libgomp would end the process). */
int nev_threads(SEXP threads, R_xlen_t items);
/* malloc(n * size) for one thread's work space, or an R error naming
 * `threads` (which is the caller's thread count, for the message). */
void *nev_thread_alloc(size_t n, size_t size, int threads);

#endif
