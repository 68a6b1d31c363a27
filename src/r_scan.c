/* Glue for the scan family: runs the scanner in scan.c over each element
 * of a character vector and returns the statistics found as a named list
 * of columns. Positions are in characters (1-based, end inclusive), the
 * printed numbers are given verbatim and as value + decimals. scan_claims
 * returns claim_scan()'s whole table: each statistic also checked as
 * claim_check() checks it (the claim core in claim.c), row by row. */
#include "r_scan.h"
#include "r_lazy.h"
#include "scan.h"
#include "claim.h"
#include "nev_status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <Rmath.h>          /* fprec(), fround(), R_pow(): R's signif(),
                               round() and ^ */
#include <R_ext/Utils.h>    /* R_strtod(): as.numeric()'s reader */

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

/* The hits of every text, in blocks of HIT_BLOCK (filled once, never
 * moved: a corpus has many hits, and copying a growing array touched its
 * memory twice). The scanner hands each hit over as it finds it
 * (nev_scan_each()), so a long text is scanned once and its hits are
 * written once. All memory is R_alloc'ed (freed by R, also when an
 * interrupt jumps). */
#define HIT_BLOCK 4096
typedef struct {
  nev_scan_hit **h;
  int **doc;
  size_t n, nblk, cap_blk;
  int cur_doc;
} hit_store;

static const nev_scan_hit *hit_at(const hit_store *s, size_t i)
{
  return &s->h[i / HIT_BLOCK][i % HIT_BLOCK];
}

static int hit_doc(const hit_store *s, size_t i)
{
  return s->doc[i / HIT_BLOCK][i % HIT_BLOCK];
}

static void store_hit(void *ctx, const nev_scan_hit *h)
{
  hit_store *s = (hit_store *) ctx;
  size_t b = s->n / HIT_BLOCK, j = s->n % HIT_BLOCK;
  if (b == s->nblk) {
    if (s->nblk == s->cap_blk) {
      size_t cap = s->cap_blk ? 2 * s->cap_blk : 16;
      nev_scan_hit **nh = (nev_scan_hit **) R_alloc(cap, sizeof *nh);
      int **nd = (int **) R_alloc(cap, sizeof *nd);
      if (s->nblk) {
        memcpy(nh, s->h, s->nblk * sizeof *nh);
        memcpy(nd, s->doc, s->nblk * sizeof *nd);
      }
      s->h = nh;
      s->doc = nd;
      s->cap_blk = cap;
    }
    s->h[b] = (nev_scan_hit *) R_alloc(HIT_BLOCK, sizeof **s->h);
    s->doc[b] = (int *) R_alloc(HIT_BLOCK, sizeof **s->doc);
    s->nblk++;
  }
  s->h[b][j] = *h;
  s->doc[b][j] = s->cur_doc;
  s->n++;
}

/* Scans one text, appending its statistics; returns the malformed count. */
static int scan_one(const unsigned char *s, size_t len, int lenient,
                    const nev_scan_keywords *kw, hit_store *st, int doc)
{
  size_t found = 0, bad = 0;
  st->cur_doc = doc;
  int status = nev_scan_each(s, len, lenient, kw, store_hit, st, &found,
                             &bad);
  if (status != NEV_OK) nev_stop_on_error(status, "scan_text");
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
  hit_store st = {NULL, NULL, 0, 0, 0, 0};
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
    SEXP e = STRING_ELT(x, hit_doc(&st, i));
    fill_row(res, (R_xlen_t) i, hit_at(&st, i), hit_doc(&st, i), CHAR(e),
             (size_t) LENGTH(e), width, &cc, &nc);
  }
  Rf_setAttrib(res, Rf_install("malformed"), bad);
  UNPROTECT(3);
  return res;
}

/* claim_scan(): every statistic found, checked ----------------------- */

/* What claim_check() gives for each statistic, computed here row by row
 * from the scanner's numbers without going through R: the printed numbers
 * are normalised ("0\u00b791" -> "0.91") and read back with R_strtod() as
 * as.numeric() reads them, the rounding intervals, bounds and verdict come
 * from the claim core (claim.c), and the reasons are worded with R's own
 * rounding (fprec() and fround() are signif() and round()), so that every
 * column equals claim_check()'s (tests/testthat/test-scan-check.R). */
static const char *claims_names[] = {
  "doc", "start", "end", "text", "context", "measure", "label",
  "estimate_printed", "lower_printed", "upper_printed", "comparator_printed",
  "p_printed", "estimate", "lower", "upper", "p_reported", "level", "scale",
  "estimate_low", "estimate_high", "lower_low", "lower_high", "upper_low",
  "upper_high", "se", "se_low", "se_high", "z", "z_low", "z_high",
  "p_implied", "p_implied_low", "p_implied_high", "p_half_low",
  "p_half_high", "p_reported_low", "p_reported_high", "symmetric", "inside",
  "p_consistent", "verdict", "reason"
};
enum {
  Q_DOC, Q_START, Q_END, Q_TEXT, Q_CONTEXT, Q_MEASURE, Q_LABEL, Q_EST_PR,
  Q_LO_PR, Q_HI_PR, Q_CMP_PR, Q_P_PR, Q_EST, Q_LO, Q_HI, Q_P_REP, Q_LEVEL,
  Q_SCALE, Q_BOX, Q_BOUNDS = Q_BOX + 6, Q_P_REP_LO = Q_BOUNDS + 11,
  Q_P_REP_HI, Q_SYM, Q_INSIDE, Q_P_CONS, Q_VERDICT, Q_REASON, Q_NCOL
};

static SEXPTYPE claims_type(int j)
{
  if (j <= Q_END) return INTSXP;
  if (j == Q_LEVEL || (j >= Q_BOX && j <= Q_P_REP_HI)) return REALSXP;
  if (j >= Q_SYM && j <= Q_P_CONS) return LGLSXP;
  return STRSXP;
}

/* A number as claim_check() is given it: "%.*f", as R's formatting (which
 * uses the C library's) writes it. Printed numbers have at most 300 decimals (the scanner
 * skips others), so NUMBUF holds any double. */
#define NUMBUF 720
#define REASONBUF 4096

/* Formatting as the C library's "%f" does it, without its cost: the
 * value scaled to an integer in long double (64-bit significand: exact
 * powers of ten up to 10^27, relative error 2^-64), used only when the
 * result is below 10^12 and its fraction is not within 10^-6 of one half,
 * so that rounding it to the nearest integer is the rounding of the exact
 * binary value (as the C library rounds); otherwise snprintf() itself. */
static const long double p10l[] = {
  1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L,
  1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L,
  1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L
};

/* |x| * 10^k rounded to an integer in *m, or 0 when unsure. First in
 * double (exact powers of ten up to 10^22, error below 10^-4 under 10^12,
 * so a fraction more than 10^-3 from one half decides), then in long
 * double. */
static int scaled(double x, int k, unsigned long long *m)
{
  if (k >= 0 && k <= 22) {
    double y = fabs(x) * (double) p10l[k];
    if (y < 1e12) {
      double fl = floor(y), fr = y - fl;
      if (fabs(fr - 0.5) > 1e-3) {
        *m = (unsigned long long) fl + (fr > 0.5);
        return 1;
      }
    }
  }
  if (k < -27 || k > 27) return 0;
  long double y = fabsl((long double) x);
  y = k >= 0 ? y * p10l[k] : y / p10l[-k];
  if (!(y < 1e12L)) return 0;
  long double fl = floorl(y), fr = y - fl;
  if (fabsl(fr - 0.5L) <= 1e-6L) return 0;
  *m = (unsigned long long) fl + (fr > 0.5L);
  return 1;
}

/* Digits of m, at least `width` of them (leading zeros); returns the
 * length written. */
static int digits_of(char *o, unsigned long long m, int width)
{
  char t[24];
  int n = 0;
  do { t[n++] = (char) ('0' + m % 10); m /= 10; } while (m);
  while (n < width) t[n++] = '0';
  for (int i = 0; i < n; i++) o[i] = t[n - 1 - i];
  return n;
}

/* m * 10^-dec written as fixed point with `dec` decimals ("%.*f"). */
static char *put_fixed(char *o, int neg, unsigned long long m, int dec)
{
  char t[24];
  int n = digits_of(t, m, dec + 1);
  if (neg) *o++ = '-';
  memcpy(o, t, (size_t) (n - dec));
  o += n - dec;
  if (dec > 0) {
    *o++ = '.';
    memcpy(o, t + n - dec, (size_t) dec);
    o += dec;
  }
  *o = '\0';
  return o;
}

/* "%.*f" of v, as the C library writes it. */
static void fixed(char *buf, double v, int dec)
{
  unsigned long long m;
  if (R_FINITE(v) && dec >= 0 && scaled(v, dec, &m)) {
    put_fixed(buf, signbit(v) != 0, m, dec);
    return;
  }
  snprintf(buf, NUMBUF, "%.*f", dec, v);
}

/* "%#.*g" of a finite, non-zero x with p significant digits, into o (room
 * for NUMBUF bytes). */
static void sig_g(char *o, double x, int p)
{
  unsigned long long m = 0, top;
  int ok = p >= 1 && p <= 11, e = 0;
  if (ok) {
    top = (unsigned long long) p10l[p];
    e = (int) floor(log10(fabs(x)));
    ok = scaled(x, p - 1 - e, &m);
    /* a rounding that carries into a new digit is left to snprintf() (glibc
     * prints 99.8 with "%#.2g" as "1.e+02") */
    if (ok && m < top / 10) { e--; ok = scaled(x, p - 1 - e, &m); }
    ok = ok && m >= top / 10 && m < top;
  }
  if (!ok) {
    snprintf(o, NUMBUF, "%#.*g", p, x);
    return;
  }
  int neg = x < 0;
  if (e >= -4 && e < p) {            /* fixed style, p - 1 - e decimals */
    char *end = put_fixed(o, neg, m, p - 1 - e);
    if (p - 1 - e == 0) { *end++ = '.'; *end = '\0'; }
    return;
  }
  char t[24];                        /* d.ddde[+-]XX */
  digits_of(t, m, p);
  if (neg) *o++ = '-';
  *o++ = t[0];
  *o++ = '.';
  memcpy(o, t + 1, (size_t) (p - 1));
  o += p - 1;
  *o++ = 'e';
  *o++ = e < 0 ? '-' : '+';
  int ae = e < 0 ? -e : e;
  o += digits_of(o, (unsigned long long) ae, 2);
  *o = '\0';
}

static double read_num(const char *buf)
{
  return R_strtod(buf, NULL);
}

/* claim_signif_dir() of R/claim.R: x rounded down (dir < 0) or up to d
 * significant digits after dropping the last-bit slack (12 digits kept). */
static double signif_dir(double x, int d, int dir)
{
  if (!R_FINITE(x) || x == 0) return x;
  double xs = fprec(x, 12.0);
  double e = floor(log10(fabs(xs))) - d + 1;
  double p = R_pow(10.0, e), y = fround(xs / p, 6.0);
  return (dir < 0 ? floor(y) : ceil(y)) * p;
}

/* Appends a to the string in buf (of size cap), cut to fit. */
static void str_cat(char *buf, size_t cap, const char *a)
{
  size_t l = strlen(buf), k = strlen(a);
  if (l + k >= cap) k = cap - l - 1;
  memcpy(buf + l, a, k);
  buf[l + k] = '\0';
}

/* A string being built: its length kept, so appending costs only what is
 * appended. */
typedef struct {
  char *b;
  size_t n, cap;
} sbuf;

static void sb_init(sbuf *sb, char *b, size_t cap)
{
  sb->b = b;
  sb->n = 0;
  sb->cap = cap;
  b[0] = '\0';
}

static void sb_cat(sbuf *sb, const char *a)
{
  size_t k = strlen(a);
  if (sb->n + k >= sb->cap) k = sb->cap - sb->n - 1;
  memcpy(sb->b + sb->n, a, k);
  sb->n += k;
  sb->b[sb->n] = '\0';
}

/* claim_num(): "%#.*g" without a trailing point; 0, Inf, NA as R shows
 * them. Appended to sb. */
static void num_cat(sbuf *sb, double x, int d)
{
  if (ISNA(x)) sb_cat(sb, "NA");
  else if (ISNAN(x)) sb_cat(sb, "NaN");
  else if (x == 0) sb_cat(sb, "0");
  else if (!R_FINITE(x)) sb_cat(sb, x > 0 ? "Inf" : "-Inf");
  else {
    char t[NUMBUF];
    sig_g(t, x, d);
    size_t m = strlen(t);
    if (m && t[m - 1] == '.') t[m - 1] = '\0';
    sb_cat(sb, t);
  }
}

/* claim_range(): "a<sep>b" for [lo, hi] rounded outward to d significant
 * digits, the end facing the disjoint range [olo, ohi] given more digits
 * until the two no longer seem to touch. Appended to sb. */
static void range_cat(sbuf *sb, double lo, double hi, int d, const char *sep,
                      double olo, double ohi)
{
  int d_lo = d, d_hi = d;
  double o1 = signif_dir(olo, 12, -1), o2 = signif_dir(ohi, 12, 1);
  for (int k = 0; k < 8; k++) {
    int up = !ISNAN(olo) && hi < olo && d_hi < 10 &&
      signif_dir(hi, d_hi, 1) >= o1;
    int dn = !ISNAN(ohi) && ohi < lo && d_lo < 10 &&
      signif_dir(lo, d_lo, -1) <= o2;
    if (!up && !dn) break;
    d_hi += up;
    d_lo += dn;
  }
  num_cat(sb, signif_dir(lo, d_lo, -1), d_lo);
  sb_cat(sb, sep);
  num_cat(sb, signif_dir(hi, d_hi, 1), d_hi);
}


/* The strings made once per call. */
typedef struct {
  SEXP measure[NEV_SCAN_NMEASURE], log, linear, consistent, inconsistent,
    cannot_tell, vs_reason;
} claims_cache;

/* A ratio of a percent change as claim_from_percent() and claim_scan()
 * print it: round(1 + sign * x / 100, d + 2) with d + 2 decimals. */
static void percent_text(char *buf, const nev_scan_num *x, double sign)
{
  char tmp[NUMBUF];
  fixed(tmp, x->value, x->decimals);
  double v = read_num(tmp);
  fixed(buf, fround(1 + sign * v / 100, x->decimals + 2.0),
        x->decimals + 2);
}

/* The rounding box of one printed limit (or estimate) into b[0..2]: its
 * value and interval, on the scale of the check. `text` gets the number
 * as claim_check() is given it. */
static int box_of(const nev_scan_num *x, int pct, double sign, int log_scale,
                  char *text, double *b)
{
  if (pct) {
    char tmp[NUMBUF];
    percent_text(text, x, sign);
    b[0] = read_num(text);
    fixed(tmp, x->value, x->decimals);
    return nev_claim_percent_box(read_num(tmp), x->decimals, sign, b + 1,
                                 b + 2);
  }
  fixed(text, x->value, x->decimals);
  b[0] = read_num(text);
  double d = x->decimals;
  return nev_claim_round_box(1, b, &d, log_scale, b + 1, b + 2);
}

static void set_na_check(SEXP res, R_xlen_t i)
{
  for (int j = Q_BOX; j <= Q_P_REP_HI; j++)
    REAL(VECTOR_ELT(res, j))[i] = NA_REAL;
  for (int j = Q_SYM; j <= Q_P_CONS; j++)
    LOGICAL(VECTOR_ELT(res, j))[i] = NA_LOGICAL;
}

static void set_str(SEXP res, int j, R_xlen_t i, const char *s)
{
  SET_STRING_ELT(VECTOR_ELT(res, j), i, s ? Rf_mkCharCE(s, CE_UTF8)
                                          : NA_STRING);
}

/* claim_check() of hit h into row i: the columns from `estimate` on. */
static void check_row(SEXP res, R_xlen_t i, const nev_scan_hit *h,
                      const claims_cache *cc)
{
  char est[NUMBUF], lo[NUMBUF], hi[NUMBUF], num[NUMBUF], pstr[NUMBUF + 8];
  char lab[NUMBUF + 8], reason[REASONBUF];
  int has_p = h->p_op != NEV_SCAN_P_NONE;
  double p_lo = NA_REAL, p_hi = NA_REAL;
  REAL(VECTOR_ELT(res, Q_LEVEL))[i] = h->level;
  if (has_p) {
    fixed(num, h->p.value, h->p.decimals);
    if (h->p.exponent != 0) {
      char ex[16];                        /* paste0(x, "e", exponent) */
      int k = 0, ex_val = h->p.exponent;
      ex[k++] = 'e';
      if (ex_val < 0) ex[k++] = '-';
      k += digits_of(ex + k, (unsigned long long) abs(ex_val), 1);
      ex[k] = '\0';
      str_cat(num, sizeof num, ex);
    }
    int op = h->p_op == NEV_SCAN_P_EQ ? 0 :
      (h->p_op == NEV_SCAN_P_LT || h->p_op == NEV_SCAN_P_LE) ? -1 : 1;
    pstr[0] = '\0';
    if (op != 0) str_cat(pstr, sizeof pstr, nev_scan_p_ops[h->p_op]);
    str_cat(pstr, sizeof pstr, num);
    lab[0] = '\0';
    str_cat(lab, sizeof lab, op == 0 ? "p = " : op < 0 ? "p < " : "p > ");
    str_cat(lab, sizeof lab, num);
    nev_stop_on_error(nev_claim_p_box(op, read_num(num),
                                      h->p.decimals - h->p.exponent,
                                      &p_lo, &p_hi), "scan_claims");
    if (ISNAN(p_lo)) p_lo = p_hi = NA_REAL;
  }
  set_str(res, Q_P_REP, i, has_p ? pstr : NULL);
  int vs = h->est.end <= h->est.start || h->cmp.end > h->cmp.start;
  if (vs) {
    /* "0.7 vs 1.3, p = 0.02": nothing to check the p against */
    for (int j = Q_EST; j <= Q_HI; j++)
      SET_STRING_ELT(VECTOR_ELT(res, j), i, NA_STRING);
    SET_STRING_ELT(VECTOR_ELT(res, Q_SCALE), i, cc->linear);
    set_na_check(res, i);
    SET_STRING_ELT(VECTOR_ELT(res, Q_VERDICT), i, cc->cannot_tell);
    SET_STRING_ELT(VECTOR_ELT(res, Q_REASON), i, cc->vs_reason);
    return;
  }
  int pct = h->measure == NEV_SCAN_PCT;
  int log_scale = pct || h->log_scale;
  double sign = h->direction < 0 ? -1 : 1;
  int has_ci = h->lo.end > h->lo.start && h->hi.end > h->hi.start;
  double box[NEV_CLAIM_NBOX], level = h->level, null = log_scale ? 1 : 0;
  const nev_scan_num *l = &h->lo, *u = &h->hi;
  if (pct && sign < 0) { l = &h->hi; u = &h->lo; }   /* limits swap */
  nev_stop_on_error(box_of(&h->est, pct, sign, log_scale, est, box),
                    "scan_claims");
  set_str(res, Q_EST, i, est);
  SET_STRING_ELT(VECTOR_ELT(res, Q_SCALE), i,
                 log_scale ? cc->log : cc->linear);
  if (!has_ci) {
    SET_STRING_ELT(VECTOR_ELT(res, Q_LO), i, NA_STRING);
    SET_STRING_ELT(VECTOR_ELT(res, Q_HI), i, NA_STRING);
    set_na_check(res, i);
    REAL(VECTOR_ELT(res, Q_P_REP_LO))[i] = p_lo;
    REAL(VECTOR_ELT(res, Q_P_REP_HI))[i] = p_hi;
    SET_STRING_ELT(VECTOR_ELT(res, Q_VERDICT), i, cc->cannot_tell);
    if (has_p) {
      sbuf rs;
      sb_init(&rs, reason, sizeof reason);
      sb_cat(&rs, "no CI given, so ");
      sb_cat(&rs, lab);
      sb_cat(&rs, " cannot be checked");
      set_str(res, Q_REASON, i, reason);
    } else {
      set_str(res, Q_REASON, i, "no CI given");
    }
    return;
  }
  nev_stop_on_error(box_of(l, pct, sign, log_scale, lo, box + 3),
                    "scan_claims");
  nev_stop_on_error(box_of(u, pct, sign, log_scale, hi, box + 6),
                    "scan_claims");
  set_str(res, Q_LO, i, lo);
  set_str(res, Q_HI, i, hi);
  double r[NEV_CLAIM_NOUT];
  nev_stop_on_error(nev_claim_bounds(1, box, &level, &null, log_scale, r),
                    "scan_claims");
  static const int box_col[6] = {
    NEV_CLAIM_EST_LO, NEV_CLAIM_EST_HI, NEV_CLAIM_LOW_LO, NEV_CLAIM_LOW_HI,
    NEV_CLAIM_UPP_LO, NEV_CLAIM_UPP_HI};
  for (int j = 0; j < 6; j++)
    REAL(VECTOR_ELT(res, Q_BOX + j))[i] = box[box_col[j]];
  for (int j = 0; j <= NEV_CLAIM_PHALF_HIGH; j++)
    REAL(VECTOR_ELT(res, Q_BOUNDS + j))[i] = r[j];
  REAL(VECTOR_ELT(res, Q_P_REP_LO))[i] = p_lo;
  REAL(VECTOR_ELT(res, Q_P_REP_HI))[i] = p_hi;
  int p_cons, v = nev_claim_verdict(r, 1, has_p ? p_lo : NAN, p_hi, &p_cons);
  LOGICAL(VECTOR_ELT(res, Q_SYM))[i] = r[NEV_CLAIM_SYMMETRIC] == 1.0;
  LOGICAL(VECTOR_ELT(res, Q_INSIDE))[i] = r[NEV_CLAIM_INSIDE] == 1.0;
  LOGICAL(VECTOR_ELT(res, Q_P_CONS))[i] = p_cons < 0 ? NA_LOGICAL : p_cons;
  SET_STRING_ELT(VECTOR_ELT(res, Q_VERDICT), i,
                 v == NEV_CLAIM_V_CONSISTENT ? cc->consistent
                                             : cc->inconsistent);
  const char *scale = log_scale ? "log" : "linear";
  char p_txt[REASONBUF];
  sbuf ps, rs;
  sb_init(&ps, p_txt, sizeof p_txt);
  if (p_cons == 0) {
    sb_cat(&ps, "the CI implies p between ");
    range_cat(&ps, r[NEV_CLAIM_P_LOW], r[NEV_CLAIM_P_HIGH], 2,
              " and ", p_lo, p_hi);
    sb_cat(&ps, " but ");
    sb_cat(&ps, lab);
    sb_cat(&ps, " was reported");
  }
  sb_init(&rs, reason, sizeof reason);
  if (v == NEV_CLAIM_V_OUTSIDE) {
    const char *part[] = {"the estimate ", est, " lies outside its CI ", lo,
                          " to ", hi, " even allowing for rounding"};
    for (int k = 0; k < 7; k++) sb_cat(&rs, part[k]);
  } else if (v == NEV_CLAIM_V_ASYMMETRIC) {
    const char *a = log_scale ? "est^2" : "2*est";
    const char *b = log_scale ? "lower*upper" : "lower+upper";
    const char *part[] = {"the CI is not symmetric about the estimate on "
                          "the ", scale, " scale even allowing for rounding: ",
                          a, " in ["};
    for (int k = 0; k < 5; k++) sb_cat(&rs, part[k]);
    range_cat(&rs, r[NEV_CLAIM_SYM_A_LOW],
              r[NEV_CLAIM_SYM_A_HIGH], 3, ", ", r[NEV_CLAIM_SYM_B_LOW],
              r[NEV_CLAIM_SYM_B_HIGH]);
    sb_cat(&rs, "] but ");
    sb_cat(&rs, b);
    sb_cat(&rs, " in [");
    range_cat(&rs, r[NEV_CLAIM_SYM_B_LOW],
              r[NEV_CLAIM_SYM_B_HIGH], 3, ", ", r[NEV_CLAIM_SYM_A_LOW],
              r[NEV_CLAIM_SYM_A_HIGH]);
    sb_cat(&rs, "]");
    if (p_cons == 0) {
      sb_cat(&rs, "; also ");
      sb_cat(&rs, p_txt);
    } else {
      sb_cat(&rs, "; with the SE from either half of the "
              "CI, p would lie between ");
      range_cat(&rs, r[NEV_CLAIM_PHALF_LOW],
                r[NEV_CLAIM_PHALF_HIGH], 2, " and ", NA_REAL, NA_REAL);
    }
  } else if (v == NEV_CLAIM_V_P) {
    sb_cat(&rs, p_txt);
  } else {
    const char *part[] = {"the CI is symmetric about the estimate on the ",
                          scale, " scale allowing for rounding and implies p "
                          "between "};
    for (int k = 0; k < 3; k++) sb_cat(&rs, part[k]);
    range_cat(&rs, r[NEV_CLAIM_P_LOW], r[NEV_CLAIM_P_HIGH],
              2, " and ", NA_REAL, NA_REAL);
    if (has_p) {
      sb_cat(&rs, ", in line with the reported ");
      sb_cat(&rs, lab);
    } else {
      sb_cat(&rs, " (no p reported)");
    }
  }
  SET_STRING_ELT(VECTOR_ELT(res, Q_REASON), i,
                 Rf_mkCharLenCE(reason, (int) rs.n, CE_UTF8));
}

/* The lazy text columns of claim_scan(), in this order: their spans are
 * kept per row (byte offsets into the text) and made strings when read
 * (r_lazy.c). */
static const int lazy_col[] = {Q_TEXT, Q_CONTEXT, Q_LABEL, Q_EST_PR,
                               Q_LO_PR, Q_HI_PR, Q_CMP_PR, Q_P_PR};
#define NLAZY ((int) (sizeof lazy_col / sizeof lazy_col[0]))

/* Row i of the position columns and of the spans (ab[c]: the lazy column
 * c's INTEGER data of 2n, starts then ends). */
static void lead_row(SEXP res, R_xlen_t i, R_xlen_t n, const nev_scan_hit *h,
                     int doc, const char *s, size_t len, int width,
                     char_counter *cc, const claims_cache *nc, int *doc0,
                     int **ab)
{
  const unsigned char *u = (const unsigned char *) s;
  INTEGER(VECTOR_ELT(res, Q_DOC))[i] = doc + 1;
  INTEGER(VECTOR_ELT(res, Q_START))[i] = char_pos(cc, u, h->start) + 1;
  INTEGER(VECTOR_ELT(res, Q_END))[i] = char_pos(cc, u, h->end);
  SET_STRING_ELT(VECTOR_ELT(res, Q_MEASURE), i, nc->measure[h->measure]);
  doc0[i] = doc;
  size_t from[NLAZY] = {
    h->start, char_step(u, len, h->start, width, -1), h->label_start,
    h->est.start, h->lo.start, h->hi.start, h->cmp.start, h->p_start};
  size_t to[NLAZY] = {
    h->end, char_step(u, len, h->end, width, 1), h->label_end,
    h->est.end, h->lo.end, h->hi.end, h->cmp.end, h->p_end};
  if (h->p_op == NEV_SCAN_P_NONE) to[NLAZY - 1] = from[NLAZY - 1];
  for (int c = 0; c < NLAZY; c++) {
    ab[c][i] = (int) from[c];
    ab[c][n + i] = (int) (to[c] > from[c] ? to[c] : from[c]);
  }
}

SEXP r_scan_claims(SEXP x, SEXP context)
{
  if (!Rf_isString(x)) Rf_error("`x` must be a character vector");
  int width = nev_int_scalar(context, "context");
  if (width < 0) Rf_error("`context` must be 0 or more");
  R_xlen_t nx = XLENGTH(x);
  nev_scan_keywords *kw = (nev_scan_keywords *) R_alloc(1, sizeof *kw);
  if (nev_scan_keywords_init(kw) != NEV_OK)
    Rf_error("scan_claims: keyword table");
  hit_store st = {NULL, NULL, 0, 0, 0, 0};
  SEXP bad = PROTECT(Rf_allocVector(INTSXP, nx));
  for (R_xlen_t d = 0; d < nx; d++) {
    if ((d & 0x3FF) == 0x3FF) R_CheckUserInterrupt();
    SEXP e = STRING_ELT(x, d);
    INTEGER(bad)[d] = e == NA_STRING ? 0 :
      scan_one((const unsigned char *) CHAR(e), (size_t) LENGTH(e), 0,
               kw, &st, (int) d);
  }
  R_xlen_t n = (R_xlen_t) st.n;
  SEXP res = PROTECT(nev_named_list(claims_names, Q_NCOL));
  for (int j = 0; j < Q_NCOL; j++) {
    int lazy = 0;
    for (int c = 0; c < NLAZY; c++) lazy |= lazy_col[c] == j;
    if (!lazy) SET_VECTOR_ELT(res, j, Rf_allocVector(claims_type(j), n));
  }
  /* each shared CHARSXP made once, held in a protected vector */
  const char *fixed_str[] = {
    "log", "linear", "consistent", "inconsistent", "cannot tell",
    "two values compared with a p-value: no estimate with a CI to check it "
    "against"};
  SEXP keep = PROTECT(Rf_allocVector(STRSXP, NEV_SCAN_NMEASURE + 6));
  claims_cache cc;
  for (int m = 0; m < NEV_SCAN_NMEASURE; m++) {
    cc.measure[m] = Rf_mkChar(nev_scan_measure_names[m]);
    SET_STRING_ELT(keep, m, cc.measure[m]);
  }
  SEXP *fs[] = {&cc.log, &cc.linear, &cc.consistent, &cc.inconsistent,
                &cc.cannot_tell, &cc.vs_reason};
  for (int k = 0; k < 6; k++) {
    *fs[k] = Rf_mkChar(fixed_str[k]);
    SET_STRING_ELT(keep, NEV_SCAN_NMEASURE + k, *fs[k]);
  }
  SEXP doc0 = PROTECT(Rf_allocVector(INTSXP, n));
  SEXP spans = PROTECT(Rf_allocVector(VECSXP, NLAZY));
  int *ab[NLAZY];
  for (int c = 0; c < NLAZY; c++) {
    SET_VECTOR_ELT(spans, c, Rf_allocVector(INTSXP, 2 * n));
    ab[c] = INTEGER(VECTOR_ELT(spans, c));
  }
  char_counter pos = {NULL, 0, 0};
  for (R_xlen_t i = 0; i < n; i++) {
    if ((i & 0xFFF) == 0xFFF) R_CheckUserInterrupt();
    const nev_scan_hit *h = hit_at(&st, (size_t) i);
    int doc = hit_doc(&st, (size_t) i);
    SEXP e = STRING_ELT(x, doc);
    lead_row(res, i, n, h, doc, CHAR(e), (size_t) LENGTH(e), width,
             &pos, &cc, INTEGER(doc0), ab);
    check_row(res, i, h, &cc);
  }
  for (int c = 0; c < NLAZY; c++)
    SET_VECTOR_ELT(res, lazy_col[c],
                   nev_lazy_spans(x, doc0, VECTOR_ELT(spans, c),
                                  lazy_col[c] == Q_CONTEXT));
  Rf_setAttrib(res, Rf_install("malformed"), bad);
  UNPROTECT(5);
  return res;
}
