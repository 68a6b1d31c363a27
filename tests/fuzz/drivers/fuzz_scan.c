/* libFuzzer driver for the text scanner: the fuzzer's bytes are the text
 * (NUL bytes, invalid UTF-8 and all), scanned in both modes with a hit
 * array of exactly the size asked for, so that ASan sees any write past
 * it; the count returned with a small array must equal the full count.
 * NEV_FUZZ_SOURCES: scan.c status.c */
#include <stdlib.h>
#include "fuzz_input.h"
#include "nev_status.h"
#include "scan.h"

static nev_scan_keywords kw;

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
  for (size_t i = 0; i < n; i++)
    if (h[i].start > h[i].end || h[i].end > len || h[i].est.end > len ||
        h[i].measure < 0 || h[i].measure >= NEV_SCAN_NMEASURE)
      abort();
  free(h);
  return 0;
}
