/* Lazy character vectors (see r_lazy.h): an ALTREP string class whose
 * elements are spans of texts, made into R strings (CHARSXPs, each hashed
 * into R's global string cache) only when read. claim_scan() builds tables
 * of tens of thousands of rows of which a reader looks at a few, and
 * making every verbatim text and context a string cost more than finding
 * and checking the statistics.
 *
 * data1: list(texts, doc, ab, collapse); data2: the materialised STRSXP
 * once something asked for the data pointer or set an element (R_NilValue
 * before). Serialisation, duplication and subsetting use the default
 * methods, which read the elements one by one. */
#include "r_lazy.h"

#include <R_ext/Altrep.h>

static R_altrep_class_t lazy_class;

enum { L_TEXTS, L_DOC, L_AB, L_COLLAPSE, L_N };

/* Length of a white-space code point at s[i] (what [[:space:]] matches in
 * a UTF-8 locale: ASCII white space, U+1680, U+2000-U+2006,
 * U+2008-U+200A, U+2028, U+2029, U+205F, U+3000), else 0. */
static size_t space_at(const unsigned char *s, size_t len, size_t i)
{
  unsigned char c = s[i];
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (i + 2 >= len) return 0;
  if (c == 0xE1 && s[i + 1] == 0x9A && s[i + 2] == 0x80) return 3;
  if (c == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80) return 3;
  if (c != 0xE2) return 0;
  unsigned char b = s[i + 1], d = s[i + 2];
  if (b == 0x80 && ((d >= 0x80 && d <= 0x86) || (d >= 0x88 && d <= 0x8A) ||
                    d == 0xA8 || d == 0xA9))
    return 3;
  if (b == 0x81 && d == 0x9F) return 3;
  return 0;
}

/* Element i of the spans described by info. */
static SEXP lazy_make(SEXP info, R_xlen_t i)
{
  SEXP doc = VECTOR_ELT(info, L_DOC);
  R_xlen_t n = XLENGTH(doc);
  const int *ab = INTEGER(VECTOR_ELT(info, L_AB));
  int a = ab[i], b = ab[n + i], d = INTEGER(doc)[i];
  SEXP texts = VECTOR_ELT(info, L_TEXTS);
  if (b <= a || a < 0 || d < 0 || d >= XLENGTH(texts)) return NA_STRING;
  SEXP e = STRING_ELT(texts, d);
  if (e == NA_STRING || b > LENGTH(e)) return NA_STRING;
  const unsigned char *s = (const unsigned char *) CHAR(e);
  if (!INTEGER(VECTOR_ELT(info, L_COLLAPSE))[0])
    return Rf_mkCharLenCE((const char *) s + a, b - a, CE_UTF8);
  const void *vmax = vmaxget();
  char *buf = R_alloc((size_t) (b - a), 1);
  size_t k = 0;
  for (size_t j = (size_t) a; j < (size_t) b;) {
    if (s[j] > ' ' && s[j] < 0x80) { buf[k++] = (char) s[j++]; continue; }
    size_t w = space_at(s, (size_t) b, j);
    if (!w) { buf[k++] = (char) s[j++]; continue; }
    buf[k++] = ' ';
    while (j < (size_t) b && (w = space_at(s, (size_t) b, j)) > 0) j += w;
  }
  SEXP out = Rf_mkCharLenCE(buf, (int) k, CE_UTF8);
  vmaxset(vmax);
  return out;
}

static SEXP lazy_materialise(SEXP x)
{
  SEXP m = R_altrep_data2(x);
  if (m != R_NilValue) return m;
  SEXP info = R_altrep_data1(x);
  R_xlen_t n = XLENGTH(VECTOR_ELT(info, L_DOC));
  m = PROTECT(Rf_allocVector(STRSXP, n));
  for (R_xlen_t i = 0; i < n; i++) SET_STRING_ELT(m, i, lazy_make(info, i));
  R_set_altrep_data2(x, m);
  UNPROTECT(1);
  return m;
}

static R_xlen_t lazy_length(SEXP x)
{
  return XLENGTH(VECTOR_ELT(R_altrep_data1(x), L_DOC));
}

static SEXP lazy_elt(SEXP x, R_xlen_t i)
{
  SEXP m = R_altrep_data2(x);
  return m != R_NilValue ? STRING_ELT(m, i) : lazy_make(R_altrep_data1(x), i);
}

static void lazy_set_elt(SEXP x, R_xlen_t i, SEXP v)
{
  SET_STRING_ELT(lazy_materialise(x), i, v);
}

static void *lazy_dataptr(SEXP x, Rboolean writeable)
{
  (void) writeable;
  return DATAPTR(lazy_materialise(x));
}

static const void *lazy_dataptr_or_null(SEXP x)
{
  SEXP m = R_altrep_data2(x);
  return m == R_NilValue ? NULL : DATAPTR(m);
}

static Rboolean lazy_inspect(SEXP x, int pre, int deep, int pvec,
                             void (*inspect_subtree)(SEXP, int, int, int))
{
  (void) pre; (void) deep; (void) pvec; (void) inspect_subtree;
  Rprintf(" nutrievidence lazy spans (%s)\n",
          R_altrep_data2(x) == R_NilValue ? "not materialised"
                                          : "materialised");
  return TRUE;
}

void nev_lazy_init(DllInfo *dll)
{
  lazy_class = R_make_altstring_class("nev_spans", "nutrievidence", dll);
  R_set_altrep_Length_method(lazy_class, lazy_length);
  R_set_altrep_Inspect_method(lazy_class, lazy_inspect);
  R_set_altvec_Dataptr_method(lazy_class, lazy_dataptr);
  R_set_altvec_Dataptr_or_null_method(lazy_class, lazy_dataptr_or_null);
  R_set_altstring_Elt_method(lazy_class, lazy_elt);
  R_set_altstring_Set_elt_method(lazy_class, lazy_set_elt);
}

SEXP nev_lazy_spans(SEXP texts, SEXP doc, SEXP ab, int collapse)
{
  if (!Rf_isString(texts) || TYPEOF(doc) != INTSXP || TYPEOF(ab) != INTSXP ||
      XLENGTH(ab) != 2 * XLENGTH(doc))
    Rf_error("lazy spans: invalid arguments");
  MARK_NOT_MUTABLE(texts);
  SEXP info = PROTECT(Rf_allocVector(VECSXP, L_N));
  SET_VECTOR_ELT(info, L_TEXTS, texts);
  SET_VECTOR_ELT(info, L_DOC, doc);
  SET_VECTOR_ELT(info, L_AB, ab);
  SET_VECTOR_ELT(info, L_COLLAPSE, Rf_ScalarInteger(collapse != 0));
  SEXP out = R_new_altrep(lazy_class, info, R_NilValue);
  UNPROTECT(1);
  return out;
}
