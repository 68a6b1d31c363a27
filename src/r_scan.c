/* Glue for the scan family: runs the scanner in scan.c over each element
 * of a character vector and returns the statistics found as a named list
 * of columns. Positions are in characters (1-based, end inclusive), the
 * printed numbers are given verbatim and as value + decimals. */
#include "r_scan.h"
#include "scan.h"
#include "nev_status.h"

#include <string.h>

/* The result's columns, in this order. */
static const char *scan_names[] = {
  "doc", "start", "end", "text", "context", "label", "measure", "log_scale",
  "direction", "level", "level_printed",
  "estimate_text", "estimate_value", "estimate_decimals",
  "lower_text", "lower_value", "lower_decimals",
  "upper_text", "upper_value", "upper_decimals",
  "comparator_text", "comparator_value", "comparator_decimals",
  "p_text", "p_op", "p_value", "p_decimals", "p_exponent"
};
#define SCAN_NCOL (sizeof scan_names / sizeof scan_names[0])
enum { C_DOC, C_START, C_END, C_TEXT, C_CONTEXT, C_LABEL, C_MEASURE, C_LOG,
       C_DIR, C_LEVEL, C_LEVPR, C_EST };

typedef struct {
  nev_scan_hit *h;
  int *doc;
  size_t n, cap;
} hit_store;

static void store_grow(hit_store *s, size_t need)
{
  if (need <= s->cap) return;
  size_t cap = s->cap ? s->cap : 64;
  while (cap < need) cap *= 2;
  nev_scan_hit *h = (nev_scan_hit *) R_alloc(cap, sizeof *h);
  int *d = (int *) R_alloc(cap, sizeof *d);
  if (s->n) {
    memcpy(h, s->h, s->n * sizeof *h);
    memcpy(d, s->doc, s->n * sizeof *d);
  }
  s->h = h;
  s->doc = d;
  s->cap = cap;
}

/* Scans one text, appending its statistics; returns the malformed count. */
static int scan_one(const unsigned char *s, size_t len, int lenient,
                    const nev_scan_keywords *kw, hit_store *st, int doc)
{
  size_t found = 0, bad = 0, room = len / 16 + 8;
  store_grow(st, st->n + room);
  int status = nev_scan(s, len, lenient, kw, st->h + st->n, room, &found, &bad);
  if (status == NEV_OK && found > room) {
    store_grow(st, st->n + found);
    status = nev_scan(s, len, lenient, kw, st->h + st->n, found, &found, &bad);
  }
  if (status != NEV_OK) nev_stop_on_error(status, "scan_text");
  for (size_t i = 0; i < found; i++) st->doc[st->n + i] = doc;
  st->n += found;
  return (int) bad;
}

/* Characters before byte `off` of a UTF-8 string, counted on from the
 * last position asked for (hits come in text order, so the whole text is
 * walked once). */
typedef struct {
  const unsigned char *s;
  size_t off;
  int chars;
} char_counter;

static int char_pos(char_counter *c, const unsigned char *s, size_t off)
{
  if (c->s != s || off < c->off) { c->s = s; c->off = 0; c->chars = 0; }
  for (; c->off < off; c->off++) c->chars += (s[c->off] & 0xC0) != 0x80;
  return c->chars;
}

/* Byte offset `k` characters before (dir < 0) or after `off`, within
 * [0, len). */
static size_t char_step(const unsigned char *s, size_t len, size_t off,
                        int k, int dir)
{
  while (k > 0) {
    if (dir < 0) {
      if (off == 0) break;
      off--;
      while (off > 0 && (s[off] & 0xC0) == 0x80) off--;
    } else {
      if (off >= len) break;
      off++;
      while (off < len && (s[off] & 0xC0) == 0x80) off++;
    }
    k--;
  }
  return off;
}

static SEXP span(const char *s, size_t a, size_t b)
{
  if (b <= a) return NA_STRING;
  return Rf_mkCharLenCE(s + a, (int) (b - a), CE_UTF8);
}

/* Text, value and decimals of a printed number into columns j, j+1, j+2. */
static void put_num(SEXP res, int j, R_xlen_t i, const char *s,
                    const nev_scan_num *x)
{
  int has = x->end > x->start;
  SET_STRING_ELT(VECTOR_ELT(res, j), i, span(s, x->start, x->end));
  REAL(VECTOR_ELT(res, j + 1))[i] = has ? x->value : NA_REAL;
  INTEGER(VECTOR_ELT(res, j + 2))[i] = has ? x->decimals : NA_INTEGER;
}

static SEXP new_columns(R_xlen_t n)
{
  SEXP res = PROTECT(Rf_allocVector(VECSXP, SCAN_NCOL));
  SEXP nms = PROTECT(Rf_allocVector(STRSXP, SCAN_NCOL));
  for (size_t j = 0; j < SCAN_NCOL; j++) {
    const char *nm = scan_names[j];
    size_t l = strlen(nm);
    SEXPTYPE t = STRSXP;
    if (j == C_LEVEL || (l > 6 && strcmp(nm + l - 6, "_value") == 0))
      t = REALSXP;
    else if (j == C_LOG || j == C_LEVPR)
      t = LGLSXP;
    else if (j == C_DOC || j == C_START || j == C_END || j == C_DIR ||
             (l > 9 && strcmp(nm + l - 9, "_decimals") == 0) ||
             strcmp(nm, "p_exponent") == 0)
      t = INTSXP;
    SET_VECTOR_ELT(res, j, Rf_allocVector(t, n));
    SET_STRING_ELT(nms, j, Rf_mkChar(nm));
  }
  Rf_setAttrib(res, R_NamesSymbol, nms);
  UNPROTECT(2);
  return res;
}

/* The measure names and p comparisons as CHARSXPs, made once per call. */
typedef struct {
  SEXP measure[NEV_SCAN_NMEASURE], op[NEV_SCAN_NPOP];
} names_cache;

static void fill_row(SEXP res, R_xlen_t i, const nev_scan_hit *h, int doc,
                     const char *s, size_t len, int width, char_counter *cc,
                     const names_cache *nc)
{
  const unsigned char *u = (const unsigned char *) s;
  INTEGER(VECTOR_ELT(res, C_DOC))[i] = doc + 1;
  INTEGER(VECTOR_ELT(res, C_START))[i] = char_pos(cc, u, h->start) + 1;
  INTEGER(VECTOR_ELT(res, C_END))[i] = char_pos(cc, u, h->end);
  SET_STRING_ELT(VECTOR_ELT(res, C_TEXT), i, span(s, h->start, h->end));
  SET_STRING_ELT(VECTOR_ELT(res, C_CONTEXT), i,
                 span(s, char_step(u, len, h->start, width, -1),
                      char_step(u, len, h->end, width, 1)));
  SET_STRING_ELT(VECTOR_ELT(res, C_LABEL), i,
                 span(s, h->label_start, h->label_end));
  SET_STRING_ELT(VECTOR_ELT(res, C_MEASURE), i, nc->measure[h->measure]);
  LOGICAL(VECTOR_ELT(res, C_LOG))[i] = h->log_scale;
  INTEGER(VECTOR_ELT(res, C_DIR))[i] = h->direction;
  REAL(VECTOR_ELT(res, C_LEVEL))[i] = h->level;
  LOGICAL(VECTOR_ELT(res, C_LEVPR))[i] = h->level_printed;
  put_num(res, C_EST, i, s, &h->est);
  put_num(res, C_EST + 3, i, s, &h->lo);
  put_num(res, C_EST + 6, i, s, &h->hi);
  put_num(res, C_EST + 9, i, s, &h->cmp);
  int j = C_EST + 12, has_p = h->p_op != NEV_SCAN_P_NONE;
  SET_STRING_ELT(VECTOR_ELT(res, j), i,
                 has_p ? span(s, h->p_start, h->p_end) : NA_STRING);
  SET_STRING_ELT(VECTOR_ELT(res, j + 1), i,
                 has_p ? nc->op[h->p_op] : NA_STRING);
  REAL(VECTOR_ELT(res, j + 2))[i] = has_p ? h->p.value : NA_REAL;
  INTEGER(VECTOR_ELT(res, j + 3))[i] = has_p ? h->p.decimals : NA_INTEGER;
  INTEGER(VECTOR_ELT(res, j + 4))[i] = has_p ? h->p.exponent : NA_INTEGER;
}

SEXP r_scan_text(SEXP x, SEXP lenient, SEXP context)
{
  if (!Rf_isString(x)) Rf_error("`x` must be a character vector");
  int len = nev_bool_scalar(lenient, "lenient");
  int width = nev_int_scalar(context, "context");
  if (width < 0) Rf_error("`context` must be 0 or more");
  R_xlen_t nx = XLENGTH(x);
  nev_scan_keywords *kw = (nev_scan_keywords *) R_alloc(1, sizeof *kw);
  if (nev_scan_keywords_init(kw) != NEV_OK)
    Rf_error("scan_text: keyword table");
  hit_store st = {NULL, NULL, 0, 0};
  SEXP bad = PROTECT(Rf_allocVector(INTSXP, nx));
  for (R_xlen_t d = 0; d < nx; d++) {
    /* scratch is R_alloc'ed and `bad` protected: an interrupt may jump */
    if ((d & 0x3FF) == 0x3FF) R_CheckUserInterrupt();
    SEXP e = STRING_ELT(x, d);
    INTEGER(bad)[d] = e == NA_STRING ? 0 :
      scan_one((const unsigned char *) CHAR(e), (size_t) LENGTH(e), len,
               kw, &st, (int) d);
  }
  SEXP res = PROTECT(new_columns((R_xlen_t) st.n));
  /* each CHARSXP made once, held in a protected vector */
  SEXP keep = PROTECT(Rf_allocVector(STRSXP, NEV_SCAN_NMEASURE + NEV_SCAN_NPOP));
  names_cache nc;
  for (int m = 0; m < NEV_SCAN_NMEASURE; m++) {
    nc.measure[m] = Rf_mkChar(nev_scan_measure_names[m]);
    SET_STRING_ELT(keep, m, nc.measure[m]);
  }
  for (int o = 0; o < NEV_SCAN_NPOP; o++) {
    nc.op[o] = Rf_mkChar(nev_scan_p_ops[o]);
    SET_STRING_ELT(keep, NEV_SCAN_NMEASURE + o, nc.op[o]);
  }
  char_counter cc = {NULL, 0, 0};
  for (size_t i = 0; i < st.n; i++) {
    SEXP e = STRING_ELT(x, st.doc[i]);
    fill_row(res, (R_xlen_t) i, &st.h[i], st.doc[i], CHAR(e),
             (size_t) LENGTH(e), width, &cc, &nc);
  }
  Rf_setAttrib(res, Rf_install("malformed"), bad);
  UNPROTECT(3);
  return res;
}
