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

/* Work between two polls, in units of about one study in one iteration of
 * a fit (a few milliseconds). */
#define NEV_POLL_WORK 1048576.0

/* Adds `work` units to *done and polls once *done reaches NEV_POLL_WORK. */
static inline int nev_poll(const nev_interrupt *it, double *done, double work)
{
  *done += work;
  if (*done < NEV_POLL_WORK) return 0;
  *done = 0.0;
  return nev_interrupted(it);
}

#endif
