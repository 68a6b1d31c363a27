/* Scanner of reported statistics: finds ratios, differences and percent
 * changes printed with a confidence interval or a p-value in UTF-8 text.
 * A lexer turns the bytes into tokens in one pass (numbers keep their
 * printed precision; dashes, minus signs, decimal commas and middle dots are
 * normalised); a forward state machine over each sentence's tokens reads
 * the statistic around every number with a bounded look-ahead. No regular
 * expressions, no back-tracking, no allocation: the caller owns the hit
 * array and the keyword table. C99, no R headers. */
#ifndef NEV_SCAN_H
#define NEV_SCAN_H

#include <stddef.h>

/* Measures (index into nev_scan_measure_names). */
enum {
  NEV_SCAN_RR = 0, NEV_SCAN_HR, NEV_SCAN_OR, NEV_SCAN_IRR, NEV_SCAN_PCT,
  NEV_SCAN_MD, NEV_SCAN_OTHER, NEV_SCAN_NMEASURE
};
extern const char *const nev_scan_measure_names[NEV_SCAN_NMEASURE];

/* Comparison printed with a p-value (index into nev_scan_p_ops). */
enum { NEV_SCAN_P_NONE = 0, NEV_SCAN_P_EQ, NEV_SCAN_P_LT, NEV_SCAN_P_LE,
       NEV_SCAN_P_GT, NEV_SCAN_P_GE, NEV_SCAN_NPOP };
extern const char *const nev_scan_p_ops[NEV_SCAN_NPOP];

/* A printed number: byte span [start, end) of its digits (start == end when
 * absent), value with the sign applied, decimal places printed, and the
 * power of ten of a p printed as "1.2 x 10-5" (0 otherwise). */
typedef struct {
  size_t start, end;
  double value;
  int decimals, exponent;
} nev_scan_num;

typedef struct {
  size_t start, end;          /* bytes [start, end) of the whole statistic */
  size_t label_start, label_end; /* the measure's label as printed      */
  int measure;                /* NEV_SCAN_RR ...                         */
  int log_scale;              /* 1: check on the ratio (log) scale       */
  int direction;              /* percent change: -1 reduction, +1 increase,
                                 0 signed (ratio = 1 + value / 100)      */
  int level_printed;          /* 0: no level printed, 0.95 assumed       */
  double level;
  nev_scan_num est, lo, hi;   /* estimate and confidence limits          */
  nev_scan_num cmp;           /* second value of "0.7 vs 1.3, p = 0.02"  */
  nev_scan_num p;             /* reported p (absent: start == end)       */
  int p_op;                   /* NEV_SCAN_P_*                            */
  size_t p_start, p_end;      /* "p = 0.02" as printed                   */
} nev_scan_hit;

/* Keyword table (open addressing over lowercased words); fill it once with
 * nev_scan_keywords_init() and pass it to every nev_scan() call. */
#define NEV_SCAN_KW_SLOTS 1024
typedef struct {
  unsigned int hash[NEV_SCAN_KW_SLOTS];
  short id[NEV_SCAN_KW_SLOTS];      /* 0: empty slot */
  short entry[NEV_SCAN_KW_SLOTS];   /* index into the static word list */
  unsigned char len[NEV_SCAN_KW_SLOTS]; /* the word's length in bytes */
} nev_scan_keywords;

int nev_scan_keywords_init(nev_scan_keywords *kw);

/* Scans `len` bytes of `text` (NUL bytes and invalid UTF-8 are separators).
 * Writes at most `max_hits` hits; `*n_hits` is the number found, which may
 * exceed `max_hits` (call again with a larger array). `*n_malformed` counts
 * statistics that were recognised but skipped: a CI with no estimate, a
 * lower limit not below the upper, a ratio limit at or below 0, a p outside
 * [0, 1]. `lenient` also accepts an unlabelled "0.91 (0.85-1.00)" (for a
 * single quoted statistic). Returns NEV_OK or NEV_ERR_ARG. */
int nev_scan(const unsigned char *text, size_t len, int lenient,
             const nev_scan_keywords *kw, nev_scan_hit *hits, size_t max_hits,
             size_t *n_hits, size_t *n_malformed);

/* As nev_scan(), but each hit is handed to sink(ctx, hit) as it is found,
 * in text order (one pass whatever the number of hits; the hit is only
 * valid during the call). */
typedef void (*nev_scan_sink)(void *ctx, const nev_scan_hit *hit);
int nev_scan_each(const unsigned char *text, size_t len, int lenient,
                  const nev_scan_keywords *kw, nev_scan_sink sink, void *ctx,
                  size_t *n_hits, size_t *n_malformed);

#endif
