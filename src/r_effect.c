/* Glue for the effect family: check and coerce, allocate, call the core in
 * effect.c, map its status to an R error. */
#include "r_effect.h"
#include "effect.h"
#include "nev_status.h"

/* A list of named double vectors of length n; the caller PROTECTs it. */
static SEXP new_result(R_xlen_t n, int m, const char **names)
{
  SEXP res = PROTECT(Rf_allocVector(VECSXP, m));
  SEXP nms = PROTECT(Rf_allocVector(STRSXP, m));
  for (int j = 0; j < m; j++) {
    SET_VECTOR_ELT(res, j, Rf_allocVector(REALSXP, n));
    SET_STRING_ELT(nms, j, Rf_mkChar(names[j]));
  }
  Rf_setAttrib(res, R_NamesSymbol, nms);
  UNPROTECT(2);
  return res;
}

/* NaN from the core becomes R's NA. */
static void nan_to_na(SEXP res)
{
  for (R_xlen_t j = 0; j < XLENGTH(res); j++) {
    double *x = REAL(VECTOR_ELT(res, j));
    for (R_xlen_t i = 0; i < XLENGTH(VECTOR_ELT(res, j)); i++)
      if (ISNAN(x[i]))
        x[i] = NA_REAL;
  }
}

/* Raise an error for an error status, naming the row for a domain error.
 * Codes (measure, to) are range-checked by the core (NEV_ERR_ARG). */
static void stop_status(int status, size_t bad, const char *what)
{
  if (status == NEV_ERR_DOMAIN)
    Rf_error("%s: %s (row %lld)", what, nev_status_message(status),
             (long long) bad + 1);
  nev_stop_on_error(status, what);
}

/* The result of a core call: an error for an error status, else the result
 * with NaN turned into NA (the caller keeps `res` protected). */
static SEXP checked_result(SEXP res, int status, size_t bad, const char *what)
{
  if (status != NEV_OK)
    stop_status(status, bad, what);
  nan_to_na(res);
  return res;
}

SEXP r_effect_counts(SEXP ai, SEXP n1i, SEXP ci, SEXP n2i, SEXP measure,
                     SEXP add, SEXP to, SEXP drop00)
{
  static const char *names[] = {"yi", "vi", "sei"};
  int nprot = 0, status;
  size_t bad = 0;
  const double *a = nev_real_vec(ai, "ai", -1);
  R_xlen_t n = XLENGTH(ai);
  const double *m1 = nev_real_vec(n1i, "n1i", n);
  const double *c = nev_real_vec(ci, "ci", n);
  const double *m2 = nev_real_vec(n2i, "n2i", n);
  int meas = nev_int_scalar(measure, "measure");
  double ad = nev_real_scalar(add, "add");
  int t = nev_int_scalar(to, "to");
  int d00 = nev_bool_scalar(drop00, "drop00");
  SEXP res = PROTECT(new_result(n, 3, names));
  nprot++;
  status = nev_effect_counts(a, m1, c, m2, (size_t) n, meas, ad, t, d00,
                             REAL(VECTOR_ELT(res, 0)),
                             REAL(VECTOR_ELT(res, 1)),
                             REAL(VECTOR_ELT(res, 2)), &bad);
  res = checked_result(res, status, bad, "effect_counts");
  UNPROTECT(nprot);
  return res;
}

SEXP r_effect_means(SEXP m1i, SEXP sd1i, SEXP n1i, SEXP m2i, SEXP sd2i,
                    SEXP n2i, SEXP measure, SEXP correct)
{
  static const char *names[] = {"yi", "vi", "sei"};
  int nprot = 0, status;
  size_t bad = 0;
  const double *m1 = nev_real_vec(m1i, "m1i", -1);
  R_xlen_t n = XLENGTH(m1i);
  const double *s1 = nev_real_vec(sd1i, "sd1i", n);
  const double *k1 = nev_real_vec(n1i, "n1i", n);
  const double *m2 = nev_real_vec(m2i, "m2i", n);
  const double *s2 = nev_real_vec(sd2i, "sd2i", n);
  const double *k2 = nev_real_vec(n2i, "n2i", n);
  int meas = nev_int_scalar(measure, "measure");
  int corr = nev_bool_scalar(correct, "correct");
  SEXP res = PROTECT(new_result(n, 3, names));
  nprot++;
  status = nev_effect_means(m1, s1, k1, m2, s2, k2, (size_t) n, meas, corr,
                            REAL(VECTOR_ELT(res, 0)),
                            REAL(VECTOR_ELT(res, 1)),
                            REAL(VECTOR_ELT(res, 2)), &bad);
  res = checked_result(res, status, bad, "effect_means");
  UNPROTECT(nprot);
  return res;
}

SEXP r_effect_ci(SEXP estimate, SEXP lower, SEXP upper, SEXP level,
                 SEXP logscale)
{
  static const char *names[] = {"yi", "vi", "sei", "asymmetry"};
  int nprot = 0, status;
  size_t bad = 0;
  const double *e = nev_real_vec(estimate, "estimate", -1);
  R_xlen_t n = XLENGTH(estimate);
  const double *lo = nev_real_vec(lower, "lower", n);
  const double *up = nev_real_vec(upper, "upper", n);
  const double *lev = nev_real_vec(level, "level", n);
  int lg = nev_bool_scalar(logscale, "logscale");
  SEXP res = PROTECT(new_result(n, 4, names));
  nprot++;
  status = nev_effect_ci(e, lo, up, lev, (size_t) n, lg,
                         REAL(VECTOR_ELT(res, 0)), REAL(VECTOR_ELT(res, 1)),
                         REAL(VECTOR_ELT(res, 2)), REAL(VECTOR_ELT(res, 3)),
                         &bad);
  res = checked_result(res, status, bad, "effect_ci");
  UNPROTECT(nprot);
  return res;
}

SEXP r_effect_p(SEXP estimate, SEXP p, SEXP logscale)
{
  static const char *names[] = {"yi", "vi", "sei"};
  int nprot = 0, status;
  size_t bad = 0;
  const double *e = nev_real_vec(estimate, "estimate", -1);
  R_xlen_t n = XLENGTH(estimate);
  const double *pv = nev_real_vec(p, "p", n);
  int lg = nev_bool_scalar(logscale, "logscale");
  SEXP res = PROTECT(new_result(n, 3, names));
  nprot++;
  status = nev_effect_p(e, pv, (size_t) n, lg, REAL(VECTOR_ELT(res, 0)),
                        REAL(VECTOR_ELT(res, 1)), REAL(VECTOR_ELT(res, 2)),
                        &bad);
  res = checked_result(res, status, bad, "effect_p");
  UNPROTECT(nprot);
  return res;
}
