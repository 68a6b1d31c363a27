/* How a long-running core routine lets its caller stop it. Core files are
 * C99 + GSL only, so they cannot check for a user interrupt themselves:
 * the caller passes a callback, which the core polls every so often from
 * its main thread (never inside a parallel region). When the callback
 * reports an interrupt, the core frees what it allocated and returns
 * NEV_ERR_INTERRUPT; the caller then frees its own memory and lets the
 * interrupt (or error) continue. A NULL pointer means "never interrupted". */
#ifndef NEV_INTERRUPT_H
#define NEV_INTERRUPT_H

typedef struct nev_interrupt {
  int (*interrupted)(void *data); /* nonzero: stop now */
  void *data;
} nev_interrupt;

static inline int nev_interrupted(const nev_interrupt *it)
{
  return it != 0 && it->interrupted != 0 && it->interrupted(it->data) != 0;
}

#endif
