/* Scanner of reported statistics (see scan.h). Two layers:
 *  - a lexer: one pass over the bytes, UTF-8 decoded on the fly, emitting
 *    tokens (numbers with their printed decimals, words with a keyword id,
 *    punctuation classes) and the whitespace before each token;
 *  - a parser: tokens are collected per sentence (or per table, up to a
 *    blank line) and read left to right; at each number the parser tries,
 *    with a look-ahead bounded by the sentence, the forms a statistic takes
 *    in print ("HR 0.91 (95% CI 0.85-1.00; p = 0.04)", "34% lower (95% CI
 *    25-43%)", table rows under a "HR (95% CI)" header, "0.7 vs 1.3 mm,
 *    p = 0.02"). Nothing is re-read once a statistic is taken. */
#include "scan.h"
#include "nev_status.h"

#include <math.h>
#include <string.h>

const char *const nev_scan_measure_names[NEV_SCAN_NMEASURE] = {
  "RR", "HR", "OR", "IRR", "percent change", "mean difference", "other"
};
const char *const nev_scan_p_ops[NEV_SCAN_NPOP] = {
  "", "=", "<", "<=", ">", ">="
};

/* Keywords ------------------------------------------------------------ */

enum {
  K_NONE = 0, K_RR, K_HR, K_OR, K_IRR, K_MD, K_OLIN, K_OLOG, K_RRR,
  K_HAZARD, K_ODDS, K_RISK, K_RATE, K_RATIO, K_RELATIVE, K_RAZON, K_CHANCE,
  K_INSTANT, K_MEAN, K_DIFF, K_STD, K_INCIDENCE, K_PREVALENCE,
  K_CI, K_CONF, K_INTERVAL, K_P, K_VALUE, K_TREND, K_PTREND, K_FOR,
  K_TO, K_A, K_AND, K_BETWEEN, K_VS, K_PERCENT, K_PER, K_CENT, K_DOWN, K_UP,
  K_NEG, K_UNIT, K_FILLER, K_X, K_E
};

typedef struct {
  const char *word;  /* lowercase */
  short id;
  short exact;       /* 1: the printed case must be `word` as given in `as` */
  const char *as;
} kw_entry;

static const kw_entry kw_list[] = {
  {"rr", K_RR, 1, "RR"}, {"arr", K_RR, 1, "aRR"}, {"hr", K_HR, 1, "HR"},
  {"ahr", K_HR, 1, "aHR"}, {"or", K_OR, 1, "OR"}, {"aor", K_OR, 1, "aOR"},
  {"irr", K_IRR, 1, "IRR"}, {"md", K_MD, 1, "MD"}, {"wmd", K_MD, 1, "WMD"},
  {"smd", K_OLIN, 1, "SMD"}, {"ard", K_OLIN, 1, "ARD"},
  {"rd", K_OLIN, 1, "RD"}, {"rrr", K_RRR, 1, "RRR"}, {"sir", K_OLOG, 1, "SIR"},
  {"smr", K_OLOG, 1, "SMR"}, {"pr", K_OLOG, 1, "PR"},
  {"hazard", K_HAZARD, 0, 0}, {"hazards", K_HAZARD, 0, 0},
  {"odds", K_ODDS, 0, 0}, {"risk", K_RISK, 0, 0}, {"risks", K_RISK, 0, 0},
  {"risque", K_RISK, 0, 0}, {"risques", K_RISK, 0, 0},
  {"riesgo", K_RISK, 0, 0}, {"riesgos", K_RISK, 0, 0},
  {"risco", K_RISK, 0, 0}, {"riscos", K_RISK, 0, 0},
  {"risiko", K_RISK, 0, 0}, {"rate", K_RATE, 0, 0}, {"ratio", K_RATIO, 0, 0},
  {"ratios", K_RATIO, 0, 0}, {"relative", K_RELATIVE, 0, 0},
  {"relatif", K_RELATIVE, 0, 0}, {"relativo", K_RELATIVE, 0, 0},
  {"relatives", K_RELATIVE, 0, 0}, {"relativa", K_RELATIVE, 0, 0},
  {"raz\xc3\xb3n", K_RAZON, 0, 0}, {"razon", K_RAZON, 0, 0},
  {"raz\xc3\xa3o", K_RAZON, 0, 0}, {"razao", K_RAZON, 0, 0},
  {"rapport", K_RAZON, 0, 0}, {"cociente", K_RAZON, 0, 0},
  {"momios", K_CHANCE, 0, 0}, {"cotes", K_CHANCE, 0, 0},
  {"chances", K_CHANCE, 0, 0}, {"probabilidades", K_CHANCE, 0, 0},
  {"posibilidades", K_CHANCE, 0, 0},
  {"instantan\xc3\xa9s", K_INSTANT, 0, 0},
  {"instant\xc3\xa1neos", K_INSTANT, 0, 0},
  {"instant\xc3\xa2neos", K_INSTANT, 0, 0},
  {"mean", K_MEAN, 0, 0}, {"moyenne", K_MEAN, 0, 0}, {"media", K_MEAN, 0, 0},
  {"medias", K_MEAN, 0, 0}, {"m\xc3\xa9" "dia", K_MEAN, 0, 0},
  {"m\xc3\xa9" "dias", K_MEAN, 0, 0}, {"mittlere", K_MEAN, 0, 0},
  {"weighted", K_MEAN, 0, 0},
  {"difference", K_DIFF, 0, 0}, {"differences", K_DIFF, 0, 0},
  {"diff\xc3\xa9rence", K_DIFF, 0, 0}, {"diferencia", K_DIFF, 0, 0},
  {"diferen\xc3\xa7" "a", K_DIFF, 0, 0}, {"differenz", K_DIFF, 0, 0},
  {"mittelwertdifferenz", K_MD, 0, 0},
  {"standardized", K_STD, 0, 0}, {"standardised", K_STD, 0, 0},
  {"incidence", K_INCIDENCE, 0, 0}, {"prevalence", K_PREVALENCE, 0, 0},
  {"ci", K_CI, 1, "CI"}, {"ci", K_CI, 1, "ci"}, {"cis", K_CI, 1, "CIs"},
  {"cl", K_CI, 1, "Cl"}, {"ic", K_CI, 1, "IC"}, {"ki", K_CI, 1, "KI"},
  {"cri", K_CI, 1, "CrI"},
  {"confidence", K_CONF, 0, 0}, {"confiance", K_CONF, 0, 0},
  {"confianza", K_CONF, 0, 0}, {"confian\xc3\xa7" "a", K_CONF, 0, 0},
  {"credible", K_CONF, 0, 0},
  {"interval", K_INTERVAL, 0, 0}, {"intervals", K_INTERVAL, 0, 0},
  {"intervalle", K_INTERVAL, 0, 0}, {"intervalo", K_INTERVAL, 0, 0},
  {"konfidenzintervall", K_CI, 0, 0}, {"konfidenzintervalle", K_CI, 0, 0},
  {"vertrauensintervall", K_CI, 0, 0}, {"vertrauensbereich", K_CI, 0, 0},
  {"p", K_P, 0, 0}, {"value", K_VALUE, 0, 0}, {"valeur", K_VALUE, 0, 0},
  {"valor", K_VALUE, 0, 0}, {"wert", K_VALUE, 0, 0},
  {"trend", K_TREND, 0, 0}, {"tendance", K_TREND, 0, 0},
  {"tendencia", K_TREND, 0, 0},
  {"tend\xc3\xaa" "ncia", K_TREND, 0, 0},
  {"heterogeneity", K_TREND, 0, 0},
  {"h\xc3\xa9t\xc3\xa9rog\xc3\xa9n\xc3\xa9it\xc3\xa9", K_TREND, 0, 0},
  {"heterogeneidad", K_TREND, 0, 0}, {"heterogeneidade", K_TREND, 0, 0},
  {"heterogenit\xc3\xa4t", K_TREND, 0, 0}, {"interaction", K_TREND, 0, 0},
  {"interacci\xc3\xb3n", K_TREND, 0, 0}, {"intera\xc3\xa7\xc3\xa3o", K_TREND, 0, 0},
  {"interaktion", K_TREND, 0, 0}, {"linearity", K_TREND, 0, 0},
  {"nonlinearity", K_TREND, 0, 0}, {"linear", K_TREND, 0, 0},
  {"ptrend", K_PTREND, 0, 0}, {"pinteraction", K_PTREND, 0, 0},
  {"phet", K_PTREND, 0, 0}, {"pheterogeneity", K_PTREND, 0, 0},
  {"for", K_FOR, 0, 0}, {"pour", K_PER, 0, 0}, {"para", K_FOR, 0, 0},
  {"f\xc3\xbcr", K_FOR, 0, 0},
  {"to", K_TO, 0, 0}, {"bis", K_TO, 0, 0}, {"at\xc3\xa9", K_TO, 0, 0},
  {"al", K_TO, 0, 0}, {"hasta", K_TO, 0, 0}, {"\xc3\xa0", K_A, 0, 0},
  {"a", K_A, 0, 0}, {"and", K_AND, 0, 0}, {"et", K_AND, 0, 0},
  {"y", K_AND, 0, 0}, {"e", K_E, 0, 0}, {"und", K_AND, 0, 0},
  {"between", K_BETWEEN, 0, 0}, {"entre", K_BETWEEN, 0, 0},
  {"zwischen", K_BETWEEN, 0, 0}, {"from", K_BETWEEN, 0, 0},
  {"de", K_BETWEEN, 0, 0}, {"von", K_BETWEEN, 0, 0},
  {"del", K_BETWEEN, 0, 0}, {"of", K_BETWEEN, 0, 0},
  {"vs", K_VS, 0, 0}, {"versus", K_VS, 0, 0}, {"contre", K_VS, 0, 0},
  {"frente", K_VS, 0, 0}, {"gegen\xc3\xbc" "ber", K_VS, 0, 0},
  {"percent", K_PERCENT, 0, 0}, {"prozent", K_PERCENT, 0, 0},
  {"per", K_PER, 0, 0}, {"por", K_PER, 0, 0}, {"cent", K_CENT, 0, 0},
  {"ciento", K_CENT, 0, 0}, {"cento", K_CENT, 0, 0},
  {"reduction", K_DOWN, 0, 0}, {"reductions", K_DOWN, 0, 0},
  {"reduced", K_DOWN, 0, 0}, {"reduces", K_DOWN, 0, 0},
  {"reduce", K_DOWN, 0, 0}, {"lower", K_DOWN, 0, 0},
  {"lowered", K_DOWN, 0, 0}, {"decrease", K_DOWN, 0, 0},
  {"decreased", K_DOWN, 0, 0}, {"decline", K_DOWN, 0, 0},
  {"fewer", K_DOWN, 0, 0}, {"less", K_DOWN, 0, 0}, {"drop", K_DOWN, 0, 0},
  {"r\xc3\xa9" "duction", K_DOWN, 0, 0}, {"diminution", K_DOWN, 0, 0},
  {"baisse", K_DOWN, 0, 0}, {"moins", K_DOWN, 0, 0},
  {"r\xc3\xa9" "duit", K_DOWN, 0, 0}, {"inf\xc3\xa9rieur", K_DOWN, 0, 0},
  {"reducci\xc3\xb3n", K_DOWN, 0, 0}, {"disminuci\xc3\xb3n", K_DOWN, 0, 0},
  {"menor", K_DOWN, 0, 0}, {"menos", K_DOWN, 0, 0},
  {"reduktion", K_DOWN, 0, 0}, {"verringerung", K_DOWN, 0, 0},
  {"senkung", K_DOWN, 0, 0}, {"niedriger", K_DOWN, 0, 0},
  {"niedrigeres", K_DOWN, 0, 0}, {"geringer", K_DOWN, 0, 0},
  {"geringeres", K_DOWN, 0, 0}, {"weniger", K_DOWN, 0, 0},
  {"redu\xc3\xa7\xc3\xa3o", K_DOWN, 0, 0},
  {"diminui\xc3\xa7\xc3\xa3o", K_DOWN, 0, 0},
  {"increase", K_UP, 0, 0}, {"increased", K_UP, 0, 0},
  {"increases", K_UP, 0, 0}, {"higher", K_UP, 0, 0},
  {"greater", K_UP, 0, 0}, {"more", K_UP, 0, 0}, {"excess", K_UP, 0, 0},
  {"rise", K_UP, 0, 0}, {"elevated", K_UP, 0, 0},
  {"augmentation", K_UP, 0, 0}, {"hausse", K_UP, 0, 0},
  {"sup\xc3\xa9rieur", K_UP, 0, 0}, {"aumento", K_UP, 0, 0},
  {"mayor", K_UP, 0, 0}, {"anstieg", K_UP, 0, 0},
  {"erh\xc3\xb6hung", K_UP, 0, 0}, {"h\xc3\xb6her", K_UP, 0, 0},
  {"h\xc3\xb6heres", K_UP, 0, 0}, {"maior", K_UP, 0, 0},
  {"median", K_NEG, 0, 0}, {"m\xc3\xa9" "diane", K_NEG, 0, 0},
  {"mediana", K_NEG, 0, 0}, {"iqr", K_NEG, 0, 0},
  {"interquartile", K_NEG, 0, 0}, {"range", K_NEG, 0, 0},
  {"sd", K_NEG, 0, 0}, {"aged", K_NEG, 0, 0}, {"age", K_NEG, 0, 0},
  {"\xc3\xa2ge", K_NEG, 0, 0}, {"edad", K_NEG, 0, 0}, {"idade", K_NEG, 0, 0},
  {"alter", K_NEG, 0, 0},
  {"years", K_UNIT, 0, 0}, {"year", K_UNIT, 0, 0}, {"yrs", K_UNIT, 0, 0},
  {"yr", K_UNIT, 0, 0}, {"months", K_UNIT, 0, 0}, {"month", K_UNIT, 0, 0},
  {"mo", K_UNIT, 0, 0}, {"weeks", K_UNIT, 0, 0}, {"wk", K_UNIT, 0, 0},
  {"days", K_UNIT, 0, 0}, {"d", K_UNIT, 0, 0}, {"h", K_UNIT, 0, 0},
  {"hours", K_UNIT, 0, 0}, {"min", K_UNIT, 0, 0}, {"mg", K_UNIT, 0, 0},
  {"mcg", K_UNIT, 0, 0}, {"\xc2\xb5g", K_UNIT, 0, 0},
  {"\xce\xbcg", K_UNIT, 0, 0}, {"ug", K_UNIT, 0, 0}, {"g", K_UNIT, 0, 0},
  {"kg", K_UNIT, 0, 0}, {"ng", K_UNIT, 0, 0}, {"ml", K_UNIT, 0, 0},
  {"mmol", K_UNIT, 0, 0}, {"nmol", K_UNIT, 0, 0}, {"pmol", K_UNIT, 0, 0},
  {"kcal", K_UNIT, 0, 0}, {"cm", K_UNIT, 0, 0}, {"mm", K_UNIT, 0, 0},
  {"iu", K_UNIT, 0, 0}, {"servings", K_UNIT, 0, 0},
  {"participants", K_UNIT, 0, 0}, {"patients", K_UNIT, 0, 0},
  {"subjects", K_UNIT, 0, 0}, {"women", K_UNIT, 0, 0},
  {"men", K_UNIT, 0, 0}, {"people", K_UNIT, 0, 0}, {"cases", K_UNIT, 0, 0},
  {"ans", K_UNIT, 0, 0}, {"a\xc3\xb1os", K_UNIT, 0, 0},
  {"anos", K_UNIT, 0, 0}, {"jahre", K_UNIT, 0, 0}, {"jahren", K_UNIT, 0, 0},
  {"was", K_FILLER, 0, 0}, {"were", K_FILLER, 0, 0}, {"is", K_FILLER, 0, 0},
  {"est", K_FILLER, 0, 0}, {"\xc3\xa9tait", K_FILLER, 0, 0},
  {"fue", K_FILLER, 0, 0}, {"foi", K_FILLER, 0, 0}, {"war", K_FILLER, 0, 0},
  {"betrug", K_FILLER, 0, 0}, {"x", K_X, 0, 0}
};
#define KW_N (sizeof kw_list / sizeof kw_list[0])
#define KW_MASK (NEV_SCAN_KW_SLOTS - 1)
#define WORD_MAX 40

static unsigned int fnv_step(unsigned int h, unsigned char c)
{
  return (h ^ c) * 16777619u;
}

int nev_scan_keywords_init(nev_scan_keywords *kw)
{
  if (!kw) return NEV_ERR_ARG;
  memset(kw, 0, sizeof *kw);
  for (size_t e = 0; e < KW_N; e++) {
    unsigned int h = 2166136261u;
    for (const char *c = kw_list[e].word; *c; c++)
      h = fnv_step(h, (unsigned char) *c);
    unsigned int s = h & KW_MASK;
    while (kw->id[s]) s = (s + 1) & KW_MASK;
    kw->hash[s] = h;
    kw->id[s] = kw_list[e].id;
    kw->entry[s] = (short) e;
    kw->len[s] = (unsigned char) strlen(kw_list[e].word);
  }
  return NEV_OK;
}

/* Keyword id of a word: `low` is its lowercased bytes, `raw` as printed. */
static int kw_find(const nev_scan_keywords *kw, unsigned int h,
                   const char *low, size_t n, const unsigned char *raw)
{
  for (unsigned int s = h & KW_MASK; kw->id[s]; s = (s + 1) & KW_MASK) {
    if (kw->hash[s] != h) continue;
    const kw_entry *e = &kw_list[kw->entry[s]];
    if (kw->len[s] != n || memcmp(e->word, low, n) != 0) continue;
    if (e->exact && memcmp(e->as, raw, n) != 0) continue;
    return kw->id[s];
  }
  return K_NONE;
}

/* Lexer --------------------------------------------------------------- */

enum {
  T_END = 0, T_NUM, T_WORD, T_LP, T_RP, T_LB, T_RB, T_DASH, T_PLUS, T_COMMA,
  T_SEMI, T_COLON, T_EQ, T_LT, T_GT, T_LE, T_GE, T_PCT, T_PM, T_PERIOD,
  T_SLASH, T_TIMES, T_CARET, T_OTHER
};
/* Whitespace before a token. F_TAB: a tab or two spaces (a table column). */
enum { F_SP = 1, F_NL = 2, F_PARA = 4, F_TAB = 8 };

typedef struct {
  size_t s, e;       /* bytes of the token */
  double val;        /* numbers: value as printed (decimal reading)   */
  int dec;           /* numbers: decimal places printed               */
  short kw;          /* words: keyword id                             */
  short lab;         /* words: measure label ending here, -1 if none  */
  int lab_from;      /* token index where that label starts           */
  int row;           /* line within the sentence                      */
  unsigned char type, flags;
} tok;

typedef struct {
  const unsigned char *s;
  size_t len, pos;
  const nev_scan_keywords *kw;
} lexer;

/* Decodes the UTF-8 sequence at i; returns its length, or 0 if invalid. */
static size_t utf8_at(const unsigned char *s, size_t len, size_t i,
                      unsigned int *cp)
{
  unsigned char c = s[i];
  size_t n;
  unsigned int v, min;
  if (c < 0x80) { *cp = c; return 1; }
  if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
  else return 0;
  if (i + n > len) return 0;
  for (size_t k = 1; k < n; k++) {
    if ((s[i + k] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i + k] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

/* Token type of a non-letter code point; T_END for a space, -1 for a
 * letter (part of a word). */
static int cp_type(unsigned int cp)
{
  switch (cp) {
  case '(': return T_LP; case ')': return T_RP;
  case '[': return T_LB; case ']': return T_RB;
  case '-': return T_DASH; case '+': return T_PLUS;
  case ',': return T_COMMA; case ';': return T_SEMI; case ':': return T_COLON;
  case '=': return T_EQ; case '<': return T_LT; case '>': return T_GT;
  case '%': return T_PCT; case '.': return T_PERIOD; case '/': return T_SLASH;
  case '^': return T_CARET;
  case 0xB1: return T_PM; case 0xD7: return T_TIMES;
  case 0x2264: return T_LE; case 0x2265: return T_GE;
  case 0x2212: case 0xFE63: case 0xFF0D: case 0x2043: return T_DASH;
  case 0xA0: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF:
    return T_END;
  default: break;
  }
  if (cp >= 0x2010 && cp <= 0x2015) return T_DASH;
  if (cp >= 0x2000 && cp <= 0x200B) return T_END;
  if (cp < 0x80) {
    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return -1;
    return T_OTHER;
  }
  if (cp == 0xB5 || cp == 0xAA || cp == 0xBA) return -1;
  if (cp < 0xC0 || cp == 0xF7) return T_OTHER;
  if ((cp >= 0x2000 && cp < 0x2C00) || (cp >= 0x3000 && cp < 0x3040) ||
      (cp >= 0xFE30 && cp < 0xFE70) || (cp >= 0xFF00 && cp < 0xFF66))
    return T_OTHER;
  return -1;
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* A decimal separator at i followed by a digit: its length, else 0. */
static size_t dec_sep(const unsigned char *s, size_t len, size_t i)
{
  if (i + 1 < len && (s[i] == '.' || s[i] == ',') && is_digit(s[i + 1]))
    return 1;
  if (i + 2 < len && s[i] == 0xC2 && s[i + 1] == 0xB7 && is_digit(s[i + 2]))
    return 2;
  if (i + 3 < len && s[i] == 0xE2 && s[i + 1] == 0x8B && s[i + 2] == 0x85 &&
      is_digit(s[i + 3]))
    return 3;
  return 0;
}

static const double pow10_tab[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
  1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static double pow10i(int k)
{
  return (k >= 0 && k <= 22) ? pow10_tab[k] : pow(10.0, k);
}

/* Digits from i: accumulates into *m, returns the count. */
static size_t digits(const unsigned char *s, size_t len, size_t *i, double *m)
{
  size_t k = 0;
  while (*i < len && is_digit(s[*i])) {
    *m = *m * 10 + (s[*i] - '0');
    (*i)++;
    k++;
  }
  return k;
}

/* A number from i: "0.91", ".86", "0,91", "0·91"; "4,521,000" is read as
 * an integer, a single ",ddd" group as decimals (a comma between digits is
 * a decimal comma in a statistic). */
static void lex_number(lexer *L, tok *t)
{
  const unsigned char *s = L->s;
  size_t i = L->pos, nint;
  double m = 0;
  int dec = 0;
  nint = digits(s, L->len, &i, &m);
  size_t sl = dec_sep(s, L->len, i);
  if (sl && !(s[i] == ',' && nint == 0)) {
    size_t j = i + sl;
    double f = m;
    size_t nf = digits(s, L->len, &j, &f);
    int group = s[i] == ',' && nint > 0 && nint <= 3 && nf == 3 &&
      j + 1 < L->len && s[j] == ',' && is_digit(s[j + 1]);
    if (group) {
      /* thousands separators: consume every ",ddd" group */
      while (j + 3 < L->len + 0 && s[j] == ',' && is_digit(s[j + 1]) &&
             is_digit(s[j + 2]) && is_digit(s[j + 3]) &&
             (j + 4 >= L->len || !is_digit(s[j + 4]))) {
        size_t q = j + 1;
        digits(s, L->len, &q, &f);
        j = q;
      }
      m = f;
    } else {
      m = f;
      dec = (int) nf;
    }
    i = j;
  }
  t->type = T_NUM;
  t->dec = dec;
  t->val = m / pow10i(dec);
  L->pos = i;
}

static void lex_word(lexer *L, tok *t)
{
  const unsigned char *s = L->s;
  size_t i = L->pos;
  char low[WORD_MAX];
  size_t n = 0;
  unsigned int h = 2166136261u, cp;
  int long_word = 0;
  while (i < L->len) {
    unsigned char a = s[i];
    if (a < 0x80) {
      /* ASCII fast path: a letter continues the word, anything else ends
       * it (as cp_type() says for code points below 0x80) */
      unsigned char lc = (unsigned char) (a | 0x20);
      if (lc < 'a' || lc > 'z') break;
      if (a <= 'Z' && i > L->pos && s[i - 1] >= 'a' && s[i - 1] <= 'z' &&
          i + 1 < L->len && s[i + 1] >= 'A' && s[i + 1] <= 'Z')
        break;
      if (n < WORD_MAX) low[n] = (char) lc;
      n++;
      h = fnv_step(h, lc);
      i++;
      continue;
    }
    size_t k = utf8_at(s, L->len, i, &cp);
    if (!k || cp_type(cp) != -1) break;
    /* "riskHR": a run of capitals after a lowercase letter starts a word */
    if (i > L->pos && s[i - 1] >= 'a' && s[i - 1] <= 'z' && cp >= 'A' &&
        cp <= 'Z' && i + 1 < L->len && s[i + 1] >= 'A' && s[i + 1] <= 'Z')
      break;
    for (size_t b = 0; b < k; b++) {
      unsigned char c = s[i + b];
      if (k == 1 && c >= 'A' && c <= 'Z') c = (unsigned char) (c + 32);
      /* Latin-1 capitals (U+00C0-U+00DE) to lowercase: C3 80-9E -> A0-BE */
      if (k == 2 && b == 1 && s[i] == 0xC3 && c >= 0x80 && c <= 0x9E &&
          c != 0x97)
        c = (unsigned char) (c + 0x20);
      if (n < WORD_MAX) low[n] = (char) c;
      n++;
      h = fnv_step(h, c);
    }
    i += k;
  }
  if (n > WORD_MAX) long_word = 1;
  t->type = T_WORD;
  t->kw = long_word ? K_NONE :
    (short) kw_find(L->kw, h, low, n, s + L->pos);
  if (t->kw == K_PERCENT) t->type = T_PCT;
  L->pos = i;
}

/* The next token; returns 0 at the end of the text. */
static int lex_next(lexer *L, tok *t)
{
  const unsigned char *s = L->s;
  int flags = 0, nl = 0, sp = 0;
  unsigned int cp = 0;
  size_t k = 0;
  while (L->pos < L->len) {
    unsigned char c = s[L->pos];
    if (c == ' ') { sp++; flags |= F_SP; if (sp >= 2) flags |= F_TAB; L->pos++; continue; }
    if (c == '\n') { nl++; sp = 0; flags |= F_SP | F_NL; if (nl >= 2) flags |= F_PARA; L->pos++; continue; }
    if (c == '\t') { flags |= F_SP | F_TAB; L->pos++; continue; }
    if (c == '\r' || c == '\f' || c == '\v' || c == 0) { flags |= F_SP; L->pos++; continue; }
    if (c < 0x80) { k = 1; cp = c; break; }
    k = utf8_at(s, L->len, L->pos, &cp);
    if (k > 1 && cp_type(cp) == T_END) {
      sp++; flags |= F_SP; if (sp >= 2) flags |= F_TAB; L->pos += k; continue;
    }
    break;
  }
  if (L->pos >= L->len) return 0;
  t->val = 0;
  t->dec = 0;
  t->kw = 0;
  t->lab = -1;
  t->lab_from = 0;
  t->row = 0;
  t->s = L->pos;
  t->flags = (unsigned char) flags;
  unsigned char c = s[L->pos];
  if (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
    lex_word(L, t);                 /* an ASCII letter starts a word */
    t->e = L->pos;
    return 1;
  }
  if (is_digit(c) || (c == '.' && dec_sep(s, L->len, L->pos) &&
                      (L->pos == 0 || !(is_digit(s[L->pos - 1]) ||
                        ((s[L->pos - 1] | 0x20) >= 'a' &&
                         (s[L->pos - 1] | 0x20) <= 'z'))))) {
    lex_number(L, t);
  } else if (k == 0) {
    t->type = T_OTHER;       /* an invalid byte: a separator */
    L->pos++;
  } else {
    int ty = cp_type(cp);
    if (ty == -1) {
      lex_word(L, t);
    } else {
      L->pos += k;
      if ((ty == T_LT || ty == T_GT) && L->pos < L->len && s[L->pos] == '=') {
        ty = ty == T_LT ? T_LE : T_GE;
        L->pos++;
      }
      t->type = (unsigned char) ty;
    }
  }
  t->e = L->pos;
  return 1;
}

/* Parser -------------------------------------------------------------- */

#define CAP 1024        /* tokens per sentence before a forced flush     */
#define KEEP 96         /* tokens carried over a forced flush            */
#define WEAK_WINDOW 60  /* tokens back to a label earlier in the sentence */
/* Labels beyond the public measures: a ratio or a difference of another
 * kind ("SMR", "SMD", "risk difference"). */
enum { LAB_OLOG = 10, LAB_OLIN = 11 };
enum { R_NONE = 0, R_HIT, R_MALFORMED };

typedef struct {
  const unsigned char *text;
  tok *T;
  int n, lim;            /* tokens of the sentence; end of the current row */
  int lenient;
  int hdr, hdr_lab, hdr_p;   /* a "HR (95% CI)  P" header line was seen   */
  int cur_row, row_tab, row_end;
  nev_scan_hit *hits;
  size_t max, count, malformed;
  nev_scan_sink sink;    /* when set, each hit goes to sink(ctx, hit) */
  void *ctx;
} parser;

typedef struct {
  int marked, bracket, printed, lo_pct, hi_pct, end;
  double level;
  nev_scan_num lo, hi;
} ivl;

static int ty(const parser *P, int k)
{
  return (k >= 0 && k < P->lim) ? P->T[k].type : T_END;
}

static int kwd(const parser *P, int k)
{
  return ty(P, k) == T_WORD ? P->T[k].kw : K_NONE;
}

static int glued(const parser *P, int k)
{
  return !(P->T[k].flags & F_SP);
}

static int is_open(int t)
{
  return t == T_LP || t == T_LB || t == T_COMMA || t == T_SEMI ||
    t == T_COLON || t == T_EQ || t == T_END;
}

/* Measure labels: "HR", "hazard ratio", "risque relatif", "razón de
 * momios", "diferencia de medias"... resolved at the word that ends them. */
static void resolve_labels(tok *T, int n)
{
  int p1 = -1, p2 = -1;
  for (int k = 0; k < n; k++) {
    if (T[k].type == T_DASH) continue;
    if (T[k].type != T_WORD) { p1 = p2 = -1; continue; }
    int w = T[k].kw, a = p1 >= 0 ? T[p1].kw : 0, b = p2 >= 0 ? T[p2].kw : 0;
    int lab = -1, from = k;
    switch (w) {
    case K_RR: lab = NEV_SCAN_RR; break;
    case K_HR: lab = NEV_SCAN_HR; break;
    case K_OR: lab = NEV_SCAN_OR; break;
    case K_IRR: lab = NEV_SCAN_IRR; break;
    case K_MD: lab = NEV_SCAN_MD; break;
    case K_OLIN: lab = LAB_OLIN; break;
    case K_OLOG: lab = LAB_OLOG; break;
    case K_RRR: lab = NEV_SCAN_PCT; break;
    case K_RATIO:
      from = p1;
      if (a == K_HAZARD) lab = NEV_SCAN_HR;
      else if (a == K_ODDS) lab = NEV_SCAN_OR;
      else if (a == K_RISK) lab = NEV_SCAN_RR;
      else if (a == K_RATE) {
        lab = NEV_SCAN_IRR;
        if (b == K_INCIDENCE) from = p2;
      } else { lab = LAB_OLOG; from = a == K_PREVALENCE ? p1 : k; }
      break;
    case K_RISK:
      if (a == K_RELATIVE || a == K_RAZON) { lab = NEV_SCAN_RR; from = p1; }
      break;
    case K_RELATIVE:
      if (a == K_RISK) { lab = NEV_SCAN_RR; from = p1; }
      break;
    case K_CHANCE:
      if (a == K_RAZON) { lab = NEV_SCAN_OR; from = p1; }
      break;
    case K_INSTANT:
      if (a == K_RISK && b == K_RAZON) { lab = NEV_SCAN_HR; from = p2; }
      break;
    case K_DIFF:
      if (b == K_STD && a == K_MEAN) { lab = LAB_OLIN; from = p2; }
      else if (a == K_MEAN) { lab = NEV_SCAN_MD; from = b == K_MEAN ? p2 : p1; }
      else if (a == K_RISK || a == K_STD) { lab = LAB_OLIN; from = p1; }
      break;
    case K_MEAN:
      if (a == K_DIFF) { lab = NEV_SCAN_MD; from = p1; }
      break;
    default: break;
    }
    T[k].lab = (short) lab;
    T[k].lab_from = from < 0 ? k : from;
    if (w != K_BETWEEN) { p2 = p1; p1 = k; }
  }
}

/* A label just before the estimate ("HR 0.91", "OR=1.10", "(hazard ratio,
 * 0.69", "RR was 0.43"): its measure, and where it starts in *from. */
static int direct_label(const parser *P, int k, int *from)
{
  for (int x = k - 1, skips = 0; x >= 0 && skips <= 3; x--, skips++) {
    const tok *t = &P->T[x];
    if (t->type == T_WORD && t->lab >= 0) { *from = t->lab_from; return t->lab; }
    if (t->type == T_EQ || t->type == T_COLON || t->type == T_COMMA ||
        t->type == T_LB || t->type == T_RB || t->type == T_LP ||
        t->type == T_RP)
      continue;
    if (t->type == T_WORD && (t->kw == K_FILLER || t->kw == K_BETWEEN))
      continue;
    break;
  }
  return -1;
}

/* A label earlier in the sentence; *neg is set when a word such as
 * "median", "IQR" or "age" lies between it and the number. */
static int weak_label(const parser *P, int k, int *from, int *neg)
{
  *neg = 0;
  for (int x = k - 1; x >= 0 && x >= k - WEAK_WINDOW; x--) {
    const tok *t = &P->T[x];
    if (t->type == T_WORD && t->lab >= 0) { *from = t->lab_from; return t->lab; }
    if (t->type == T_PM || (t->type == T_WORD && t->kw == K_NEG)) *neg = 1;
  }
  return -1;
}

/* A number at k, with a sign glued to it; *next is the token after it. */
static int num_at(const parser *P, int k, nev_scan_num *x, int *next)
{
  double sign = 1;
  int k0 = k;
  if ((ty(P, k) == T_DASH || ty(P, k) == T_PLUS) && ty(P, k + 1) == T_NUM &&
      glued(P, k + 1)) {
    if (ty(P, k) == T_DASH) sign = -1;
    k++;
  }
  if (ty(P, k) != T_NUM) return 0;
  x->start = P->T[k0].s;
  x->end = P->T[k].e;
  x->value = sign * P->T[k].val;
  x->decimals = P->T[k].dec;
  x->exponent = 0;
  *next = k + 1;
  return 1;
}

/* "CI", "C.I.", "confidence interval", "intervalle de confiance", "KI":
 * the index after it, or -1. */
static int ci_word(const parser *P, int k)
{
  int w = kwd(P, k);
  if (w == K_CI) return k + 1;
  if (w == K_CONF && kwd(P, k + 1) == K_INTERVAL) return k + 2;
  if (w == K_INTERVAL) {
    if (kwd(P, k + 1) == K_CONF) return k + 2;
    if (kwd(P, k + 1) == K_BETWEEN && kwd(P, k + 2) == K_CONF) return k + 3;
  }
  return -1;
}

/* A printed level "95%", "95 percent": the level as a proportion. */
static int level_at(const parser *P, int k, double *lvl)
{
  if (ty(P, k) != T_NUM || ty(P, k + 1) != T_PCT) return 0;
  double v = P->T[k].val;
  if (!(v >= 50 && v < 100)) return 0;
  *lvl = v / 100;
  return 1;
}

/* The marker of a confidence interval: "95% CI", "95%-KI", "IC 95 %",
 * "95% confidence interval [CI],", "CI:". Returns the index after it. */
static int ci_marker(const parser *P, int k, double *lvl, int *printed)
{
  int j;
  *printed = 0;
  if (level_at(P, k, lvl)) {
    j = k + 2;
    if (ty(P, j) == T_DASH) j++;
    j = ci_word(P, j);
    if (j < 0) return -1;
    *printed = 1;
  } else {
    j = ci_word(P, k);
    if (j < 0) return -1;
    int q = j;
    while (q < j + 2 && (kwd(P, q) == K_A || kwd(P, q) == K_BETWEEN)) q++;
    if (level_at(P, q, lvl)) { *printed = 1; j = q + 2; }
  }
  if ((ty(P, j) == T_LB || ty(P, j) == T_LP) && kwd(P, j + 1) == K_CI &&
      (ty(P, j + 2) == T_RB || ty(P, j + 2) == T_RP))
    j += 3;
  for (int s = 0; s < 2 && (ty(P, j) == T_COLON || ty(P, j) == T_COMMA ||
                            ty(P, j) == T_EQ || kwd(P, j) == K_FILLER); s++)
    j++;
  return j;
}

/* Two limits: "0.85-1.00", "0.85 to 1.00", "0,85 a 1,00", "between 0.85
 * and 1.00", "[0.85; 1.00]" (the ";" and "," only inside brackets). */
static int range_at(const parser *P, int k, int bracket, ivl *v)
{
  int between = 0;
  if (kwd(P, k) == K_BETWEEN) { between = 1; k++; }
  if (!num_at(P, k, &v->lo, &k)) return 0;
  v->lo_pct = ty(P, k) == T_PCT;
  if (v->lo_pct) k++;
  int t = ty(P, k), w = kwd(P, k);
  if (t == T_DASH || w == K_TO || w == K_A ||
      ((w == K_AND || w == K_E) && between) ||
      (bracket && (t == T_SEMI || t == T_COMMA)))
    k++;
  else
    return 0;
  if (!num_at(P, k, &v->hi, &k)) return 0;
  v->hi_pct = ty(P, k) == T_PCT;
  if (v->hi_pct) k++;
  v->end = k;
  return 1;
}

/* An interval at j: "(95% CI 0.85-1.00", "(0.85-1.00", ", 95% CI:
 * 0.85-1.00", "95% CI 0.85-1.00". Returns 1, 0 (none) or -1 (a marker
 * without limits, as in a table header). */
static int interval_at(const parser *P, int j, int need_marker, ivl *v)
{
  int k = j;
  v->bracket = v->marked = v->printed = 0;
  v->level = 0.95;
  if (ty(P, k) == T_LP || ty(P, k) == T_LB) {
    v->bracket = 1;
    k++;
  } else if (ty(P, k) == T_COMMA || ty(P, k) == T_SEMI ||
             ty(P, k) == T_COLON) {
    k++;
    need_marker = 1;
  }
  int m = ci_marker(P, k, &v->level, &v->printed);
  if (m >= 0) {
    v->marked = 1;
    k = m;
    /* limits in brackets after the marker: "IC95 % [0,77 ; 0,96]" */
    if ((ty(P, k) == T_LB || ty(P, k) == T_LP) && ty(P, k + 1) != T_END &&
        (ty(P, k + 1) == T_NUM || ty(P, k + 1) == T_DASH)) {
      v->bracket = 1;
      k++;
    }
  } else if (need_marker || !v->bracket) {
    return 0;
  }
  if (!range_at(P, k, v->bracket, v)) return v->marked ? -1 : 0;
  return 1;
}

enum { P_NONE = 0, P_OK, P_TREND, P_BAD };

/* A p-value at k: "p = 0.03", "P<.001", "p-value 0.02", "P = 1.2 x 10-5".
 * "p for trend", "P-trend", "p for interaction" give P_TREND (not the p of
 * the statistic). A p outside [0, 1] gives P_BAD. */
static int p_at(const parser *P, int k, nev_scan_hit *h, int *next)
{
  int k0 = k, trend = 0, op = NEV_SCAN_P_EQ, bare = 0;
  int w = kwd(P, k);
  if (w == K_PTREND) {
    trend = 1;
    k++;
  } else if (w == K_P) {
    k++;
    for (int q = k, s = 0; s < 3; s++, q++) {
      int ww = kwd(P, q), t = ty(P, q);
      if (ww == K_TREND) { trend = 1; k = q + 1; break; }
      if (!(t == T_DASH || ww == K_FOR || ww == K_BETWEEN || ww == K_PER ||
            t == T_LP))
        break;
    }
    if (!trend) {
      if (ty(P, k) == T_DASH && kwd(P, k + 1) == K_VALUE) k += 2;
      else if (kwd(P, k) == K_VALUE) k++;
    }
  } else {
    return P_NONE;
  }
  if (ty(P, k) == T_RP && trend) k++;
  if (ty(P, k) == T_COLON) k++;
  switch (ty(P, k)) {
  case T_EQ: k++; break;
  case T_LT:
    op = NEV_SCAN_P_LT; k++;
    if (ty(P, k) == T_EQ) { op = NEV_SCAN_P_LE; k++; }
    break;
  case T_GT:
    op = NEV_SCAN_P_GT; k++;
    if (ty(P, k) == T_EQ) { op = NEV_SCAN_P_GE; k++; }
    break;
  case T_LE: op = NEV_SCAN_P_LE; k++; break;
  case T_GE: op = NEV_SCAN_P_GE; k++; break;
  default: bare = 1; break;
  }
  nev_scan_num x;
  if (!num_at(P, k, &x, &k)) return P_NONE;
  if (bare && !(x.decimals >= 1 && x.value < 1)) return P_NONE;
  /* "1.2 x 10-5", "1.2 × 10^-5", "2e-5" */
  int q = k;
  nev_scan_num e;
  if ((ty(P, q) == T_TIMES || kwd(P, q) == K_X) && ty(P, q + 1) == T_NUM &&
      P->T[q + 1].val == 10 && P->T[q + 1].dec == 0) {
    q += 2;
    if (ty(P, q) == T_CARET) q++;
    if (num_at(P, q, &e, &q) && e.decimals == 0 && fabs(e.value) < 400) {
      x.exponent = (int) e.value;
      x.end = e.end;
      k = q;
    }
  } else if (kwd(P, q) == K_E && glued(P, q) && num_at(P, q + 1, &e, &q) &&
             glued(P, k + 1) && e.decimals == 0 && fabs(e.value) < 400) {
    x.exponent = (int) e.value;
    x.end = e.end;
    k = q;
  }
  *next = k;
  if (trend) return P_TREND;
  double v = x.value * pow(10.0, x.exponent);
  if (!(v >= 0 && v <= 1)) return P_BAD;
  /* what claim_check() cannot read: "p < 0", "p > 1", a p below 1e-300 or
   * printed to more than 300 decimals */
  if ((op == NEV_SCAN_P_LT || op == NEV_SCAN_P_LE) && !(v > 0)) return P_BAD;
  if ((op == NEV_SCAN_P_GT || op == NEV_SCAN_P_GE) && !(v < 1)) return P_BAD;
  if (op == NEV_SCAN_P_EQ && ((v > 0 && v < 1e-300) ||
                              x.decimals - x.exponent > 300))
    return P_BAD;
  h->p = x;
  h->p_op = op;
  h->p_start = P->T[k0].s;
  h->p_end = P->T[k - 1].e;
  return P_OK;
}

/* A p after a separator at k: ", p = 0.03", "; P < .001", "(p = 0.04)",
 * "p = 0.04". Returns the p_at() code; *next is after it. */
static int p_after(const parser *P, int k, nev_scan_hit *h, int *next)
{
  int r, q;
  if (ty(P, k) == T_COMMA || ty(P, k) == T_SEMI) {
    r = p_at(P, k + 1, h, next);
  } else if (ty(P, k) == T_LP) {
    r = p_at(P, k + 1, h, &q);
    if (r == P_OK && ty(P, q) == T_RP) q++;
    *next = q;
  } else {
    r = p_at(P, k, h, next);
  }
  return r;
}

/* A p in the P column of a table row: "0.005", "<0.001". */
static int p_column(const parser *P, int k, nev_scan_hit *h, int *next)
{
  if (!(P->hdr_p && P->row_tab && k < P->lim && (P->T[k].flags & F_TAB)))
    return P_NONE;
  int op = NEV_SCAN_P_EQ, k0 = k;
  if (ty(P, k) == T_LT) { op = NEV_SCAN_P_LT; k++; }
  else if (ty(P, k) == T_LE) { op = NEV_SCAN_P_LE; k++; }
  nev_scan_num x;
  if (!num_at(P, k, &x, &k) || !(x.value >= 0 && x.value <= 1) ||
      x.decimals < 1 || x.decimals > 300 ||
      (op != NEV_SCAN_P_EQ && !(x.value > 0)))
    return P_NONE;
  h->p = x;
  h->p_op = op;
  h->p_start = P->T[k0].s;
  h->p_end = P->T[k - 1].e;
  *next = k;
  return P_OK;
}

/* What may follow the limits: units, a p, the closing bracket. Returns the
 * index after the statistic; *bad is set for a p outside [0, 1]. */
static int tail_at(const parser *P, int k, const ivl *v, nev_scan_hit *h,
                   int *bad)
{
  int q = k, r, got = 0;
  if (v->bracket) {
    for (int u = 0; u < 3 && ty(P, q) == T_WORD && kwd(P, q) != K_P &&
           kwd(P, q) != K_PTREND; u++)
      q++;
    int t = ty(P, q);
    if (t == T_RP || t == T_RB || t == T_COMMA || t == T_SEMI) k = q;
  }
  if (ty(P, k) == T_COMMA || ty(P, k) == T_SEMI) {
    r = p_after(P, k, h, &q);
    if (r == P_OK) { got = 1; k = q; }
    else if (r == P_BAD) *bad = 1;
    else if (r == P_TREND && v->bracket) k = q;
  }
  if (v->bracket) {
    if (ty(P, k) != T_RP && ty(P, k) != T_RB) return k;
    k++;
  }
  if (!got && !*bad) {
    r = p_after(P, k, h, &q);
    if (r == P_OK) { got = 1; k = q; }
    else if (r == P_BAD) *bad = 1;
  }
  if (!got && !*bad && p_column(P, k, h, &q) == P_OK) k = q;
  return k;
}

/* Direction of a percent change: words after it ("34% lower", "34%
 * reduction") or before ("reduced the risk by 34%"). */
static int direction(const parser *P, int first, int j)
{
  for (int q = j; q < j + 3 && ty(P, q) == T_WORD; q++) {
    if (kwd(P, q) == K_DOWN) return -1;
    if (kwd(P, q) == K_UP) return 1;
  }
  for (int q = first - 1; q >= 0 && q >= first - 4 && ty(P, q) == T_WORD; q--) {
    if (kwd(P, q) == K_DOWN) return -1;
    if (kwd(P, q) == K_UP) return 1;
  }
  return 0;
}

/* Words between an estimate and its marked CI: "34% reduction in arterial
 * stiffness progression (95% CI ...)", "-4.18 mm Hg (95% CI ...)". */
static int skip_to_marked(const parser *P, int j, ivl *v)
{
  for (int q = j, s = 0; s < 10; s++, q++) {
    int t = ty(P, q), w = kwd(P, q);
    if (t == T_LP || t == T_LB || t == T_COMMA || t == T_SEMI)
      return interval_at(P, q, 1, v) > 0;
    if ((t == T_NUM && ty(P, q + 1) == T_PCT) || w == K_CI || w == K_CONF)
      return interval_at(P, q, 1, v) > 0;      /* "with a 95% CI of" */
    if (t == T_NUM && P->T[q].dec == 0 && ty(P, q - 1) == T_WORD &&
        ty(P, q + 1) == T_WORD)
      continue;                                   /* "type 2 diabetes" */
    if (t == T_WORD && w != K_P && w != K_PTREND && w != K_VS) continue;
    if (t == T_DASH || t == T_SLASH) continue;
    if (t == T_NUM && ty(P, q + 1) == T_DASH && ty(P, q + 2) == T_WORD)
      continue;                                   /* "10-year" */
    if (t == T_NUM && q >= 2 && ty(P, q - 1) == T_DASH && glued(P, q) &&
        ty(P, q - 2) == T_WORD)
      continue;                                   /* "MK-7" */
    return 0;
  }
  return 0;
}

static double half_unit(const nev_scan_num *x)
{
  return 0.5 / pow10i(x->decimals);
}

/* The estimate can lie in the interval once rounding is allowed for. */
static int inside(const nev_scan_num *e, const ivl *v)
{
  return e->value + half_unit(e) >= v->lo.value - half_unit(&v->lo) &&
    e->value - half_unit(e) <= v->hi.value + half_unit(&v->hi);
}

/* Measure code and scale of a statistic from its label (or -1). */
static void set_measure(nev_scan_hit *h, int lab, int pct, int dir)
{
  if (pct && (dir || lab == NEV_SCAN_PCT)) {
    h->measure = NEV_SCAN_PCT;
    h->direction = dir ? dir : -1;
    h->log_scale = 1;
    return;
  }
  if (lab < 0 || lab == NEV_SCAN_PCT)
    lab = (!pct && h->est.value > 0 && (h->lo.end == h->lo.start ||
                                        h->lo.value > 0)) ? LAB_OLOG : LAB_OLIN;
  h->measure = lab >= LAB_OLOG ? NEV_SCAN_OTHER : lab;
  h->log_scale = lab == LAB_OLOG || lab == NEV_SCAN_RR ||
    lab == NEV_SCAN_HR || lab == NEV_SCAN_OR || lab == NEV_SCAN_IRR;
}

/* Limits a checker can use: lower below upper, ratios above 0, a percent
 * change that leaves a positive ratio. */
static int well_formed(const nev_scan_hit *h, int has_ci)
{
  const double v[3] = {h->est.value, h->lo.value, h->hi.value};
  const int d[3] = {h->est.decimals, h->lo.decimals, h->hi.decimals};
  int m = has_ci ? 3 : 1;
  if (has_ci && !(h->lo.value < h->hi.value)) return 0;
  for (int i = 0; i < m; i++) {
    /* a rounding interval needs a finite value and at most 300 decimals */
    if (!isfinite(v[i]) || d[i] > 300) return 0;
    if (h->measure == NEV_SCAN_PCT) {
      double r = 1 + (h->direction < 0 ? -v[i] : v[i]) / 100;
      if (!(r > 0)) return 0;
    } else if (h->log_scale && !(v[i] > 0)) {
      return 0;
    }
  }
  return 1;
}

/* "0.7 mm vs 1.3 mm in placebo, p = 0.02": two values and a p. */
static int try_vs(const parser *P, int i, int first, nev_scan_hit *h, int *end)
{
  int q = i + 1, u;
  if (ty(P, q) == T_PCT) q++;
  for (u = 0; u < 3 && ty(P, q) == T_WORD && kwd(P, q) != K_VS; u++) q++;
  if (kwd(P, q) != K_VS) return R_NONE;
  q++;
  if (ty(P, q) == T_PERIOD) q++;
  if (!num_at(P, q, &h->cmp, &q)) return R_NONE;
  if (ty(P, q) == T_PCT) q++;
  for (u = 0; u < 5 && ty(P, q) == T_WORD && kwd(P, q) != K_P &&
         kwd(P, q) != K_PTREND; u++)
    q++;
  if (ty(P, q) == T_RP && (ty(P, q + 1) == T_COMMA || ty(P, q + 1) == T_SEMI))
    q++;
  int r = p_after(P, q, h, &q);
  if (r == P_BAD) { *end = q; return R_MALFORMED; }
  if (r != P_OK) return R_NONE;
  h->measure = NEV_SCAN_OTHER;
  h->log_scale = 0;
  h->start = P->T[first].s;
  h->end = P->T[q - 1].e;
  *end = q;
  return R_HIT;
}

/* A CI with no estimate to go with it ("the 95% CI was 0.85-1.00"). */
static int try_orphan(const parser *P, int i, int *end)
{
  ivl v;
  int k = i, t = ty(P, i);
  if (t == T_LP || t == T_LB) k++;
  else if (t != T_NUM && kwd(P, i) != K_CI && kwd(P, i) != K_CONF &&
           kwd(P, i) != K_INTERVAL)
    return R_NONE;
  int m = ci_marker(P, k, &v.level, &v.printed);
  if (m < 0 || !range_at(P, m, t == T_LP || t == T_LB, &v)) return R_NONE;
  *end = v.end;
  return R_MALFORMED;
}

/* Reads the statistic whose estimate is the number at i. */
static int try_at(const parser *P, int i, nev_scan_hit *h, int *end)
{
  const tok *T = P->T;
  if (ty(P, i) != T_NUM) return try_orphan(P, i, end);
  if (ty(P, i + 1) == T_PCT &&
      (ci_word(P, i + 2) >= 0 ||
       (ty(P, i + 2) == T_DASH && ci_word(P, i + 3) >= 0)))
    return try_orphan(P, i, end);                /* "95% CI": a level */
  if (kwd(P, i - 1) == K_CI) return R_NONE;      /* "IC 95 %" */
  int first = i;
  double sign = 1;
  if ((ty(P, i - 1) == T_DASH || ty(P, i - 1) == T_PLUS) && glued(P, i) &&
      (i == 1 || (T[i - 1].flags & F_SP) || is_open(ty(P, i - 2)))) {
    first = i - 1;
    if (ty(P, i - 1) == T_DASH) sign = -1;
  }
  memset(h, 0, sizeof *h);
  h->level = 0.95;
  h->est.start = T[first].s;
  h->est.end = T[i].e;
  h->est.value = sign * T[i].val;
  h->est.decimals = T[i].dec;
  int j = i + 1, pct = 0;
  if (ty(P, j) == T_PCT) { pct = 1; j++; }
  int lfrom = first, neg = 0, wfrom = first;
  int lab = direct_label(P, first, &lfrom), direct = lab >= 0;
  int weak = direct ? lab : weak_label(P, first, &wfrom, &neg);
  int dir = pct ? direction(P, first, j) : 0;
  int table = P->hdr && P->row_tab;
  ivl v;
  int r = interval_at(P, j, 0, &v), skipped = 0;
  if (r == 0 && (direct || weak >= 0 || pct)) {
    r = skip_to_marked(P, j, &v);
    skipped = r > 0;
  }
  if (r <= 0 && table && ty(P, j) == T_NUM && (T[j].flags & F_TAB)) {
    v.bracket = v.marked = v.printed = 0;
    v.level = 0.95;
    r = range_at(P, j, 0, &v);
  }
  h->start = T[direct ? lfrom : first].s;
  if (direct) {
    h->label_start = T[lfrom].s;
    h->label_end = T[lfrom].e;
    for (int x = lfrom; x < first; x++)
      if (T[x].type == T_WORD && T[x].lab >= 0) h->label_end = T[x].e;
  }
  if (r > 0) {
    h->lo = v.lo;
    h->hi = v.hi;
    h->level = v.level;
    h->level_printed = v.printed;
    int bad = 0, k = tail_at(P, v.end, &v, h, &bad);
    if (pct && !dir && (kwd(P, k) == K_DOWN || kwd(P, k) == K_UP)) {
      dir = kwd(P, k) == K_DOWN ? -1 : 1;
      k++;
    }
    /* an unmarked interval needs a label, a table header or, for a percent
     * change, limits printed as percents: "13% (6% to 21%) higher" */
    int plain = !v.marked && !direct && !P->lenient && !table &&
      !(pct && dir && v.hi_pct);
    if (plain && (weak < 0 || neg || h->est.decimals < 1)) return R_NONE;
    if ((plain || skipped) && !inside(&h->est, &v)) return R_NONE;
    if (plain && kwd(P, k) == K_UNIT) return R_NONE;
    int m = direct ? lab : (weak >= 0 && (v.marked || !neg)) ? weak :
      table ? P->hdr_lab : -1;
    set_measure(h, m, pct, dir);
    h->end = T[k - 1].e;
    *end = k;
    if (bad || !well_formed(h, 1)) return R_MALFORMED;
    return R_HIT;
  }
  if (direct || (pct && dir)) {
    int k, pr = p_after(P, j, h, &k);
    if (pr == P_OK || pr == P_BAD) {
      set_measure(h, lab, pct, dir);
      h->end = T[k - 1].e;
      *end = k;
      return (pr == P_BAD || !well_formed(h, 0)) ? R_MALFORMED : R_HIT;
    }
  }
  return try_vs(P, i, first, h, end);
}

/* A CI marker can start at t only at a number ("95% CI") or a CI word. */
static int may_mark(const tok *t)
{
  return t->type == T_NUM || (t->type == T_WORD &&
                              (t->kw == K_CI || t->kw == K_CONF ||
                               t->kw == K_INTERVAL));
}

/* try_at() finds nothing at t unless t may start a marker or a bracket. */
static int may_start(const tok *t)
{
  return may_mark(t) || t->type == T_LP || t->type == T_LB;
}

/* Enters the line of token i: is it a table row, is it a table header? */
static void row_enter(parser *P, int i)
{
  int r = P->T[i].row, e = i, tab = 0, marker = 0, nums = 0, lab = -1;
  int pcol = 0;
  double lvl;
  while (e < P->n && P->T[e].row == r) e++;
  P->lim = e;
  for (int k = i; k < e; k++) {
    int pr;
    if (k > i && (P->T[k].flags & F_TAB)) tab = 1;
    if (P->T[k].type == T_WORD && P->T[k].lab >= 0 && lab < 0)
      lab = P->T[k].lab;
    if (!marker && may_mark(&P->T[k]) && ci_marker(P, k, &lvl, &pr) >= 0)
      marker = 1;
    else if (marker && kwd(P, k) == K_P) pcol = 1;
    if (P->T[k].type == T_NUM && ty(P, k + 1) != T_PCT) nums++;
  }
  if (marker && !nums) {
    P->hdr = 1;
    P->hdr_lab = lab;
    P->hdr_p = pcol;
  }
  P->cur_row = r;
  P->row_end = e;
  P->row_tab = tab;
}

static void push(parser *P, const nev_scan_hit *h)
{
  if (P->sink) P->sink(P->ctx, h);
  else if (P->count < P->max) P->hits[P->count] = *h;
  P->count++;
}

/* Parses tokens [0, n) starting statistics before `stop`; returns the
 * first token not consumed. */
static int parse_sentence(parser *P, int n, int stop)
{
  tok *T = P->T;
  int row = 0;
  for (int k = 0; k < n; k++) {
    if (k > 0 && (T[k].flags & F_NL)) row++;
    T[k].row = row;
  }
  resolve_labels(T, n);
  P->n = n;
  P->cur_row = -1;
  int i = 0;
  while (i < stop) {
    if (T[i].row != P->cur_row) row_enter(P, i);
    if (!may_start(&T[i])) { i++; continue; }
    P->lim = P->row_tab ? P->row_end : n;
    nev_scan_hit h;
    int end = i + 1, r = try_at(P, i, &h, &end);
    if (end <= i) end = i + 1;
    if (r == R_HIT) push(P, &h);
    else if (r == R_MALFORMED) P->malformed++;
    i = r == R_NONE ? i + 1 : end;
  }
  return i < n ? i : n;
}

/* Abbreviations whose period does not end a sentence ("vs.", "et al.",
 * "e.g.", "Fig."). */
static int is_abbrev(const unsigned char *s, const tok *t)
{
  static const char *const ab[] = {"vs", "al", "fig", "ref", "no", "ca",
                                   "cf", "approx", "resp", "eq", "figs"};
  size_t n = t->e - t->s;
  if (t->type != T_WORD) return 0;
  if (n == 1) return 1;
  for (size_t a = 0; a < sizeof ab / sizeof ab[0]; a++) {
    if (strlen(ab[a]) != n) continue;
    size_t c = 0;
    while (c < n && (s[t->s + c] | 0x20) == ab[a][c]) c++;
    if (c == n) return 1;
  }
  return 0;
}

static int scan_text(const unsigned char *text, size_t len, int lenient,
                     const nev_scan_keywords *kw, nev_scan_hit *hits,
                     size_t max_hits, nev_scan_sink sink, void *ctx,
                     size_t *n_hits, size_t *n_malformed)
{
  tok T[CAP + 1];
  lexer L = {text, len, 0, kw};
  parser P;
  memset(&P, 0, sizeof P);
  P.text = text;
  P.T = T;
  P.lenient = lenient;
  P.hits = hits;
  P.max = max_hits;
  P.sink = sink;
  P.ctx = ctx;
  /* `live`: the sentence holds a number or a CI word. Without either it
   * can hold no statistic (each needs a number) and cannot be a table
   * header (a header needs a CI marker), so it is not parsed at all. */
  int n = 0, depth = 0, live = 0;
  /* each token is lexed into its slot T[n] (T has CAP + 1 slots; the
   * parser reads only [0, n)) and moved only when a sentence ends */
  tok *t = T;
  while (lex_next(&L, t)) {
    int para = n > 0 && (t->flags & F_PARA);
    int stop = para || (n > 0 && T[n - 1].type == T_PERIOD &&
                        (t->flags & F_SP) && (depth == 0 || n > 200) &&
                        !(n >= 2 && is_abbrev(text, &T[n - 2])));
    if (stop) {
      if (live) parse_sentence(&P, n, n);
      T[0] = *t;
      t = T;
      n = depth = live = 0;
      if (para) P.hdr = 0;
    }
    if (n == CAP) {
      int from = live ? parse_sentence(&P, n, n - KEEP) : n - KEEP;
      memmove(T, T + from, (size_t) (n - from + 1) * sizeof *T);
      n -= from;
      t = T + n;
    }
    if (may_mark(t)) live = 1;
    if (t->type == T_WORD && t->kw == K_CENT && n > 0 &&
        T[n - 1].type == T_WORD && T[n - 1].kw == K_PER) {
      T[n - 1].type = T_PCT;                      /* "per cent" */
      T[n - 1].e = t->e;
      continue;
    }
    if (t->type == T_LP || t->type == T_LB) depth++;
    else if ((t->type == T_RP || t->type == T_RB) && depth > 0) depth--;
    t = T + ++n;
  }
  if (n && live) parse_sentence(&P, n, n);
  *n_hits = P.count;
  *n_malformed = P.malformed;
  return NEV_OK;
}

int nev_scan(const unsigned char *text, size_t len, int lenient,
             const nev_scan_keywords *kw, nev_scan_hit *hits, size_t max_hits,
             size_t *n_hits, size_t *n_malformed)
{
  if ((!text && len) || !kw || !n_hits || !n_malformed ||
      (!hits && max_hits))
    return NEV_ERR_ARG;
  return scan_text(text, len, lenient, kw, hits, max_hits, NULL, NULL,
                   n_hits, n_malformed);
}

int nev_scan_each(const unsigned char *text, size_t len, int lenient,
                  const nev_scan_keywords *kw, nev_scan_sink sink, void *ctx,
                  size_t *n_hits, size_t *n_malformed)
{
  if ((!text && len) || !kw || !sink || !n_hits || !n_malformed)
    return NEV_ERR_ARG;
  return scan_text(text, len, lenient, kw, NULL, 0, sink, ctx, n_hits,
                   n_malformed);
}
