#include "r_util.h"
#include "nev_status.h"
#include <stdint.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#ifndef _WIN32
#include <pthread.h>
#endif
#endif

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

/* ---------- interrupts ---------- */

static SEXP check_body(void *data)
{
  (void) data;
  R_CheckUserInterrupt();
  return R_NilValue;
}

/* R is unwinding (an interrupt, or an error such as setTimeLimit()'s):
 * stop it here and return to r_interrupted(); nev_interrupt_resume()
 * continues it once the core and the glue have freed their memory. */
static void check_clean(void *data, Rboolean jump)
{
  if (jump) longjmp(((nev_r_interrupt *) data)->jb, 1);
}

static int r_interrupted(void *data)
{
  nev_r_interrupt *ri = (nev_r_interrupt *) data;
  if (ri->pending) return 1;
  if (setjmp(ri->jb)) {
    ri->pending = 1;
    return 1;
  }
  R_UnwindProtect(check_body, NULL, check_clean, ri, ri->cont);
  return 0;
}

SEXP nev_interrupt_setup(nev_r_interrupt *ri)
{
  ri->cont = R_MakeUnwindCont();
  ri->pending = 0;
  ri->core.interrupted = r_interrupted;
  ri->core.data = ri;
  return ri->cont;
}

void nev_interrupt_resume(nev_r_interrupt *ri)
{
  R_ContinueUnwind(ri->cont);
}

/* ---------- threads ---------- */

#if defined(_OPENMP) && !defined(_WIN32)
/* A forked child (parallel::mclapply) inherits libgomp's state but not its
 * threads: a parallel region there can hang. The child runs serially. */
static volatile int forked_child = 0;
static void after_fork_child(void) { forked_child = 1; }
#endif

void nev_threads_init(void)
{
#if defined(_OPENMP) && !defined(_WIN32)
  pthread_atfork(NULL, NULL, after_fork_child);
#endif
}

#if defined(_OPENMP) && !defined(_WIN32)
static pthread_mutex_t probe_gate = PTHREAD_MUTEX_INITIALIZER;
static void *probe_body(void *arg)
{
  pthread_mutex_lock(&probe_gate);
  pthread_mutex_unlock(&probe_gate);
  return arg;
}

/* libgomp ends the process when it cannot create a thread: before a team
 * of nt threads is asked for, start nt - 1 threads (default stack, as
 * libgomp's) that are all alive at once. Once a size has worked, libgomp
 * keeps its threads, so smaller teams need no new probe. */
static int probe_threads(int nt)
{
  static int largest_ok = 1;
  pthread_t *t;
  int made = 0;
  if (nt <= largest_ok) return 1;
  t = (pthread_t *) malloc((size_t) (nt - 1) * sizeof(pthread_t));
  if (!t) return 0;
  pthread_mutex_lock(&probe_gate);
  while (made < nt - 1 && pthread_create(t + made, NULL, probe_body, NULL) == 0)
    made++;
  pthread_mutex_unlock(&probe_gate);
  for (int i = 0; i < made; i++) pthread_join(t[i], NULL);
  free(t);
  if (made < nt - 1) return 0;
  largest_ok = nt;
  return 1;
}
#endif

int nev_threads(SEXP threads, R_xlen_t items)
{
  int nt = nev_int_scalar(threads, "threads");
  if (nt < 1 || nt > NEV_MAX_THREADS)
    Rf_error("`threads` must be between 1 and %d (got %d)", NEV_MAX_THREADS,
             nt);
#ifdef _OPENMP
  SEXP over = Rf_GetOption1(Rf_install("nutrievidence.oversubscribe"));
  int np = omp_get_num_procs();
  if (items < nt) nt = items < 1 ? 1 : (int) items;
  if (!(TYPEOF(over) == LGLSXP && XLENGTH(over) == 1 &&
        LOGICAL(over)[0] == TRUE) && nt > np)
    nt = np < 1 ? 1 : np;
  if (nt > omp_get_thread_limit()) nt = omp_get_thread_limit();
#ifndef _WIN32
  if (forked_child) return 1;
  if (nt > 1 && !probe_threads(nt))
    Rf_error("`threads` = %d: the system cannot start %d threads now; "
             "use fewer", Rf_asInteger(threads), nt);
#endif
  return nt;
#else
  (void) items;
  return 1;
#endif
}

void *nev_thread_alloc(size_t n, size_t size, int threads)
{
  void *p = (n == 0 || size == 0 || n > SIZE_MAX / size) ? NULL :
    malloc(n * size);
  if (!p)
    Rf_error("`threads` = %d: cannot allocate the work space of one thread "
             "(%.0f MB)", threads, (double) n * (double) size / 1048576.0);
  return p;
}

SEXP nev_real_result(const double *x, const char *const *names,
                     R_xlen_t n)
{
  SEXP out = PROTECT(Rf_allocVector(REALSXP, n));
  SEXP nm = PROTECT(Rf_allocVector(STRSXP, n));
  for (R_xlen_t i = 0; i < n; i++) {
    REAL(out)[i] = x[i];
    SET_STRING_ELT(nm, i, Rf_mkChar(names[i]));
  }
  Rf_setAttrib(out, R_NamesSymbol, nm);
  UNPROTECT(2);
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
