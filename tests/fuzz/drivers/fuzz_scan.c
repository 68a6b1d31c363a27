/* libFuzzer driver for the text scanner: the fuzzer's bytes are the text
 * (NUL bytes, invalid UTF-8 and all), scanned in both modes with a hit
 * array of exactly the size asked for, so that ASan sees any write past
 * it; the count returned with a small array must equal the full count,
 * and nev_scan_each() must hand over the same hits in the same order.
 * NEV_FUZZ_SOURCES: scan.c status.c */
#include <stdlib.h>
#include "fuzz_input.h"
#include "nev_status.h"
#include "scan.h"

static nev_scan_keywords kw;

typedef struct { const nev_scan_hit *h; size_t n, seen; int ok; } each_ctx;

static void each_sink(void *ctx, const nev_scan_hit *hit)
{
  each_ctx *c = ctx;
  const nev_scan_hit *a = c->seen < c->n ? &c->h[c->seen] : NULL;
  if (!a || a->start != hit->start || a->end != hit->end ||
      a->measure != hit->measure || a->p_op != hit->p_op ||
      a->est.start != hit->est.start || a->lo.end != hit->lo.end ||
      a->hi.end != hit->hi.end || a->p_end != hit->p_end)
    c->ok = 0;
  c->seen++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static int init = 0;
  if (!init) { nev_scan_keywords_init(&kw); init = 1; }
  if (size == 0) return 0;
  int lenient = data[0] & 1;
  const unsigned char *text = data + 1;
  size_t len = size - 1, n = 0, bad = 0, n2 = 0, bad2 = 0;
  if (nev_scan(text, len, lenient, &kw, NULL, 0, &n, &bad) != NEV_OK) abort();
  nev_scan_hit *h = n ? malloc(n * sizeof *h) : NULL;
  if (n && !h) return 0;
  if (nev_scan(text, len, lenient, &kw, h, n, &n2, &bad2) != NEV_OK ||
      n2 != n || bad2 != bad)
    abort();
  each_ctx c = {h, n, 0, 1};
  size_t n3 = 0, bad3 = 0;
  if (nev_scan_each(text, len, lenient, &kw, each_sink, &c, &n3, &bad3) !=
      NEV_OK || n3 != n || bad3 != bad || c.seen != n || !c.ok)
    abort();
  for (size_t i = 0; i < n; i++)
    if (h[i].start > h[i].end || h[i].end > len || h[i].est.end > len ||
        h[i].measure < 0 || h[i].measure >= NEV_SCAN_NMEASURE)
      abort();
  free(h);
  return 0;
}
