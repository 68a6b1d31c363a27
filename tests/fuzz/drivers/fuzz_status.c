/* libFuzzer driver for the status table: every code, known or not, maps to
 * a non-empty static string. The smallest driver; it keeps `make fuzz`
 * meaningful before the families' cores land.
 * NEV_FUZZ_SOURCES: status.c */
#include "fuzz_input.h"
#include "nev_status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  nev_fuzz_in in = {data, size};
  int code = (int) (nev_fuzz_byte(&in) | (nev_fuzz_byte(&in) << 8)) - 1000;
  const char *m = nev_status_message(code);
  if (m == NULL || m[0] == '\0') __builtin_trap();
  return 0;
}
