/* Status codes shared by every core routine. Core files (C99 + GSL, no R
 * headers) return one of these; the glue in r_<family>.c maps them to an R
 * error (codes below NEV_WARN_FIRST) or to a flag plus an R warning. */
#ifndef NEV_STATUS_H
#define NEV_STATUS_H

typedef enum {
  NEV_OK = 0,
  NEV_ERR_ARG = 1,       /* an argument violates the routine's contract     */
  NEV_ERR_NOMEM = 2,     /* an allocation failed                            */
  NEV_ERR_DOMAIN = 3,    /* a value outside its domain (negative variance)  */
  NEV_ERR_SINGULAR = 4,  /* a matrix is singular or not positive definite   */
  NEV_ERR_GSL = 5,       /* a GSL routine returned an unexpected error      */
  NEV_ERR_EMPTY = 6,     /* nothing to compute on (k = 0 after exclusions)  */
  NEV_ERR_INTERRUPT = 7, /* the caller's interrupt callback asked to stop   */
  NEV_WARN_FIRST = 100,
  NEV_WARN_NOCONV = 100, /* iteration did not converge: result is flagged   */
  NEV_WARN_BOUNDARY = 101 /* estimate on a parameter boundary             */
} nev_status;

/* A short English description of a status code (static storage). */
const char *nev_status_message(int status);

#endif
